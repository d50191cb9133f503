import UsnetWire

/// The path MTUs learned from ICMP fragmentation needed (RFC 1191), per destination.
///
/// Bounded by ``PathMTUConfiguration/capacity``: a new destination beyond it evicts the entry
/// that expires first (the one lowered longest ago). Each entry has an expiry time; the stack
/// keeps a timer per entry and calls ``remove(_:)`` when it fires. Lookups also ignore an
/// expired entry, so a lookup between the deadline and the timer run is already right.
struct PathMTUCache {
  /// One destination's path MTU and when it stops applying.
  struct Entry: Hashable {
    var mtu: Int
    var expires: Instant
  }

  let capacity: Int
  let lifetime: Duration
  private(set) var entries: [IPv4Address: Entry] = [:]

  init(configuration: PathMTUConfiguration) {
    capacity = configuration.capacity
    lifetime = configuration.entryLifetime
  }

  /// The path MTU to `destination` at `now`, or `nil` when nothing (current) is known.
  func mtu(for destination: IPv4Address, at now: Instant) -> Int? {
    guard !entries.isEmpty, let entry = entries[destination], now < entry.expires else {
      return nil
    }
    return entry.mtu
  }

  /// Remembers `mtu` for `destination` until `now + lifetime`. Returns the entry evicted to
  /// make room, if any.
  mutating func update(
    _ destination: IPv4Address, mtu: Int, at now: Instant
  ) -> IPv4Address? {
    var evicted: IPv4Address?
    if entries[destination] == nil && entries.count >= capacity {
      // Eviction is rare (a cache full of lowered destinations) and bounded by the capacity.
      evicted = entries.min { $0.value.expires < $1.value.expires }?.key
      if let evicted { entries[evicted] = nil }
    }
    entries[destination] = Entry(mtu: mtu, expires: now + lifetime)
    return evicted
  }

  /// Forgets `destination`'s entry.
  mutating func remove(_ destination: IPv4Address) {
    entries[destination] = nil
  }

  /// The MTU to assume for a datagram of `length` bytes that a router refused with a
  /// fragmentation needed that carries no next-hop MTU (a pre-RFC 1191 router): the next
  /// plateau below it (RFC 1191 §7), or `nil` when there is none above the 68-byte minimum.
  static func plateau(below length: Int) -> Int? {
    plateaus.first { $0 < length }
  }

  /// The RFC 1191 §7 table of common MTUs, largest first.
  static let plateaus = [65535, 32000, 17914, 8166, 4352, 2002, 1492, 1006, 508, 296, 68]
}
