import UsnetWire

/// What identifies the fragments of one IPv4 datagram (RFC 791): source, destination,
/// protocol and identification.
struct FragmentKey: Hashable, Sendable {
  var source: IPv4Address
  var destination: IPv4Address
  var ipProtocol: UInt8
  var identification: UInt16

  init(_ header: IPv4Header) {
    source = header.source
    destination = header.destination
    ipProtocol = header.protocol.rawValue
    identification = header.identification
  }
}

/// IPv4 datagrams being reassembled from fragments, within the limits of a
/// ``ReassemblyConfiguration``.
///
/// Each datagram in progress owns one buffer laid out as a complete IPv4 packet: a 20-byte
/// header, then the payload, each fragment copied to its offset. Which payload bytes are held is
/// a ``ReassemblyRanges`` set. The rules, checked in this order:
///
/// 1. A fragment invalid on its own is dropped alone: empty, a fragment with MF set whose length
///    is not a multiple of 8, or one ending beyond 65,515 payload bytes (65,535 with the
///    header: the "ping of death").
/// 2. A fragment that contradicts the end discards the whole datagram: a last fragment (MF clear)
///    whose end differs from an earlier last fragment's or lies before data already held, or a
///    fragment with MF set that reaches beyond the known end.
/// 3. Overlaps: a fragment all of whose bytes are already held with the same values is an exact
///    duplicate, dropped while the datagram is kept. Any other overlap, whether it holds other
///    bytes (the teardrop attack) or overlaps held data while adding new, discards the whole
///    datagram. This is RFC 5722's rule for IPv6 and what Linux applies to IPv4 since 4.19
///    (Linux also ignores a differing fragment that lies inside held data; we discard).
///
/// Nothing is ever written outside the buffer, and held data never changes, so the bytes a
/// datagram completes with are the bytes of its non-overlapping fragments.
///
/// A plain value type, not thread-safe: owned by one ``NetworkStack``.
struct IPv4Reassembly {
  /// One datagram in progress (a class, so that its buffer is mutated in place).
  final class Datagram {
    /// A 20-byte header slot, then the payload at its offsets.
    var buffer: [UInt8] = []
    /// Bytes charged against ``ReassemblyConfiguration/maximumBytes``.
    var reserved = 0
    /// Payload ranges held.
    var held = ReassemblyRanges()
    /// The payload length, once the last fragment arrived.
    var end: Int?
    /// The highest fragment end seen.
    var highestEnd = 0
    /// Fragments that added data.
    var fragments = 0
    /// The header of the fragment at offset 0, once it arrived.
    var firstHeader: IPv4Header?
    /// The length of that fragment's payload.
    var firstLength = 0
    /// The link-layer sender of the fragment at offset 0 (or of the first fragment seen).
    var sourceMAC: MACAddress

    init(sourceMAC: MACAddress) {
      self.sourceMAC = sourceMAC
    }
  }

  /// A datagram completed from its fragments.
  struct Completed {
    /// The datagram as one IPv4 packet: a 20-byte header (options dropped, flags and offset
    /// cleared), then the payload.
    var buffer: [UInt8]
    /// The header written at the start of `buffer`.
    var header: IPv4Header
    /// Where the payload is in `buffer`.
    var payload: Range<Int>
    /// The link-layer sender of its first fragment.
    var sourceMAC: MACAddress
  }

  /// What became of one fragment.
  enum Outcome {
    /// Held; the datagram waits for more. `started` when the fragment began a new datagram
    /// (whose timer the caller starts).
    case held(started: Bool)
    /// The fragment completed its datagram, which is no longer held.
    case completed(Completed)
    /// Dropped for `reason`; `discarded` when its datagram was discarded with it.
    case dropped(DropReason, discarded: Bool)
  }

  /// The bytes of the header slot at the start of each buffer.
  static let headerRoom = IPv4Header.minimumLength
  /// The longest payload a datagram may have (65,535 bytes with a 20-byte header).
  static let maximumPayload = 65535 - IPv4Header.minimumLength

  let configuration: ReassemblyConfiguration
  private(set) var datagrams: [FragmentKey: Datagram] = [:]
  /// Bytes charged by all datagrams in progress; never above
  /// ``ReassemblyConfiguration/maximumBytes``.
  private(set) var heldBytes = 0

  init(configuration: ReassemblyConfiguration) {
    self.configuration = configuration
  }

  /// Adds the fragment whose header is `header` and whose payload is `frame[payload]`.
  mutating func insert(
    _ frame: [UInt8], payload: Range<Int>, header: IPv4Header, sourceMAC: MACAddress
  ) -> Outcome {
    let offset = header.fragmentOffset
    let length = payload.count
    let end = offset + length
    let last = !header.moreFragments
    guard length > 0, last || length % 8 == 0, end <= Self.maximumPayload else {
      return .dropped(.ipv4FragmentMalformed, discarded: false)
    }
    let key = FragmentKey(header)
    let datagram: Datagram
    let started: Bool
    if let existing = datagrams[key] {
      datagram = existing
      started = false
    } else {
      guard datagrams.count < configuration.maximumDatagrams else {
        return .dropped(.ipv4ReassemblyLimit, discarded: false)
      }
      datagram = Datagram(sourceMAC: sourceMAC)
      started = true
    }

    // The end: one last fragment, and nothing beyond it.
    if last {
      if let known = datagram.end, known != end {
        return discard(key, datagram, started, .ipv4FragmentEndConflict)
      }
      if datagram.highestEnd > end {
        return discard(key, datagram, started, .ipv4FragmentEndConflict)
      }
    } else if let known = datagram.end, end > known {
      return discard(key, datagram, started, .ipv4FragmentEndConflict)
    }

    // Overlaps: only an exact duplicate is harmless.
    let covered = datagram.held.coveredBytes(in: offset..<end)
    if covered > 0 {
      let start = Self.headerRoom + offset
      guard covered == length,
        frame[payload].elementsEqual(datagram.buffer[start..<(start + length)])
      else {
        return discard(key, datagram, started, .ipv4FragmentOverlap)
      }
      // Every byte is held already. A duplicate last fragment may still tell the end.
      guard last, datagram.end == nil else {
        return .dropped(.ipv4FragmentDuplicate, discarded: false)
      }
      datagram.end = end
      return finish(key, datagram, started: started)
    }
    guard datagram.fragments < configuration.maximumFragmentsPerDatagram else {
      return discard(key, datagram, started, .ipv4ReassemblyLimit)
    }
    guard reserve(Self.headerRoom + end, in: datagram, knownEnd: last ? end : datagram.end)
    else {
      return discard(key, datagram, started, .ipv4ReassemblyLimit)
    }
    if started { datagrams[key] = datagram }
    datagram.held.insert(offset..<end)
    let start = Self.headerRoom + offset
    datagram.buffer[start..<(start + length)] = frame[payload]
    datagram.fragments += 1
    datagram.highestEnd = Swift.max(datagram.highestEnd, end)
    if last { datagram.end = end }
    if offset == 0 {
      datagram.firstHeader = header
      datagram.firstLength = length
      datagram.sourceMAC = sourceMAC
    }
    return finish(key, datagram, started: started)
  }

  /// Removes the datagram of `key` (its timeout ran out), returning it.
  mutating func remove(_ key: FragmentKey) -> Datagram? {
    guard let datagram = datagrams.removeValue(forKey: key) else { return nil }
    heldBytes -= datagram.reserved
    return datagram
  }

  /// Completes `datagram` if every byte up to its end is held; otherwise it stays held.
  private mutating func finish(
    _ key: FragmentKey, _ datagram: Datagram, started: Bool
  ) -> Outcome {
    guard let end = datagram.end, datagram.held.totalBytes == end,
      var header = datagram.firstHeader
    else {
      return .held(started: started)
    }
    _ = remove(key)
    header.totalLength = UInt16(Self.headerRoom + end)
    header.headerLength = Self.headerRoom
    header.moreFragments = false
    header.fragmentOffset = 0
    var buffer = datagram.buffer
    datagram.buffer = []
    resize(&buffer, to: Self.headerRoom + end)
    header.emit(into: &buffer, at: 0)
    return .completed(
      Completed(
        buffer: buffer, header: header, payload: Self.headerRoom..<(Self.headerRoom + end),
        sourceMAC: datagram.sourceMAC))
  }

  /// Drops the fragment for `reason` and discards its datagram if it was held.
  private mutating func discard(
    _ key: FragmentKey, _ datagram: Datagram, _ started: Bool, _ reason: DropReason
  ) -> Outcome {
    guard !started else { return .dropped(reason, discarded: false) }
    _ = remove(key)
    return .dropped(reason, discarded: true)
  }

  /// Makes `datagram`'s buffer at least `count` bytes long, charging what it reserves against
  /// the byte limit. Reserves in doubling steps (never beyond the known end, or 65,535 bytes)
  /// so that in-order fragments do not copy the buffer each time. Returns `false` when the
  /// limit does not allow it.
  private mutating func reserve(_ count: Int, in datagram: Datagram, knownEnd: Int?) -> Bool {
    if count > datagram.reserved {
      let ceiling = knownEnd.map { Self.headerRoom + $0 } ?? (Self.headerRoom + Self.maximumPayload)
      let room = configuration.maximumBytes - (heldBytes - datagram.reserved)
      var target = Swift.min(Swift.max(count, 2 * datagram.reserved), ceiling)
      if target > room { target = count }
      guard target <= room else { return false }
      datagram.buffer.reserveCapacity(target)
      heldBytes += target - datagram.reserved
      datagram.reserved = target
    }
    if datagram.buffer.count < count {
      resize(&datagram.buffer, to: count)
    }
    return true
  }
}
