/// An IPv6 address: 128 bits held as two 64-bit halves, the first octet on the wire in the top
/// bits of ``high``.
///
/// Parses every RFC 4291 text form (full, `::`-compressed, with an embedded dotted quad in the
/// last 32 bits) and formats as RFC 5952 recommends: lower case, no leading zeros in a group,
/// the longest run of two or more zero groups (the first of equal runs) written as `::`, and an
/// IPv4-mapped address as `::ffff:a.b.c.d` (as Rust's `Ipv6Addr` does).
public struct IPv6Address: Hashable, Sendable, Comparable, CustomStringConvertible {
  /// Octets 0...7 (the first on the wire in bits 63...56).
  public var high: UInt64
  /// Octets 8...15.
  public var low: UInt64

  /// Creates an address from its two 64-bit halves.
  @inlinable
  public init(high: UInt64, low: UInt64) {
    self.high = high
    self.low = low
  }

  /// Creates an address from its eight 16-bit groups, first group first.
  @inlinable
  public init(
    _ a: UInt16, _ b: UInt16, _ c: UInt16, _ d: UInt16,
    _ e: UInt16, _ f: UInt16, _ g: UInt16, _ h: UInt16
  ) {
    high = UInt64(a) &<< 48 | UInt64(b) &<< 32 | UInt64(c) &<< 16 | UInt64(d)
    low = UInt64(e) &<< 48 | UInt64(f) &<< 32 | UInt64(g) &<< 16 | UInt64(h)
  }

  /// The IPv4-mapped address `::ffff:a.b.c.d` for `address`.
  @inlinable
  public init(ipv4Mapped address: IPv4Address) {
    high = 0
    low = 0xFFFF_0000_0000 | UInt64(address.rawValue)
  }

  /// Parses an RFC 4291 text form: eight groups of one to four hex digits (either case)
  /// separated by colons; one `::` standing for one or more zero groups; optionally a strict
  /// dotted quad (see ``IPv4Address/init(_:)``) as the last 32 bits. Rejects everything else:
  /// empty groups, a second `::`, a lone leading or trailing colon, five-digit groups, too many
  /// or too few groups, zone ids (`%eth0`), brackets and spaces.
  public init?(_ string: String) {
    let bytes = Array(string.utf8)
    var doubleColon: Int?
    var index = 0
    while index + 1 < bytes.count {
      if bytes[index] == UInt8(ascii: ":"), bytes[index + 1] == UInt8(ascii: ":") {
        guard doubleColon == nil else { return nil }
        doubleColon = index
        index += 2
      } else {
        index += 1
      }
    }
    var groups: [UInt16]
    if let split = doubleColon {
      guard let head = parseGroups(bytes[..<split], allowIPv4: false),
        let tail = parseGroups(bytes[(split + 2)...], allowIPv4: true),
        head.count + tail.count <= 7
      else { return nil }
      groups = head
      groups.append(contentsOf: repeatElement(0, count: 8 - head.count - tail.count))
      groups.append(contentsOf: tail)
    } else {
      guard !bytes.isEmpty, let all = parseGroups(bytes[...], allowIPv4: true), all.count == 8
      else { return nil }
      groups = all
    }
    self.init(
      groups[0], groups[1], groups[2], groups[3], groups[4], groups[5], groups[6], groups[7])
  }

  /// `::`, the unspecified address.
  public static let unspecified = IPv6Address(high: 0, low: 0)
  /// `::1`, the loopback address.
  public static let loopback = IPv6Address(high: 0, low: 1)

  /// True for `::`.
  @inlinable
  public var isUnspecified: Bool { high == 0 && low == 0 }
  /// True for `::1`.
  @inlinable
  public var isLoopback: Bool { high == 0 && low == 1 }
  /// True for ff00::/8.
  @inlinable
  public var isMulticast: Bool { high &>> 56 == 0xFF }

  /// The IPv4 address of an IPv4-mapped address (`::ffff:a.b.c.d`), else nil.
  @inlinable
  public var ipv4Mapped: IPv4Address? {
    guard high == 0, low &>> 32 == 0xFFFF else { return nil }
    return IPv4Address(rawValue: UInt32(truncatingIfNeeded: low))
  }

  /// The eight 16-bit groups, first group first.
  public var groups: [UInt16] {
    [48, 32, 16, 0].map { UInt16(truncatingIfNeeded: high &>> UInt64($0)) }
      + [48, 32, 16, 0].map { UInt16(truncatingIfNeeded: low &>> UInt64($0)) }
  }

  /// The sixteen octets in wire order.
  public var octets: [UInt8] {
    var result = [UInt8](repeating: 0, count: 16)
    write(to: &result, at: 0)
    return result
  }

  /// Reads sixteen octets at `offset`; the caller guarantees they are present.
  @inlinable
  public init(reading buffer: [UInt8], at offset: Int) {
    var high: UInt64 = 0
    var low: UInt64 = 0
    for index in 0..<8 {
      high = high &<< 8 | UInt64(buffer[offset &+ index])
      low = low &<< 8 | UInt64(buffer[offset &+ 8 &+ index])
    }
    self.init(high: high, low: low)
  }

  /// Writes the sixteen octets at `offset`; the caller guarantees room.
  @inlinable
  public func write(to buffer: inout [UInt8], at offset: Int) {
    for index in 0..<8 {
      let shift = UInt64(56 - 8 * index)
      buffer[offset &+ index] = UInt8(truncatingIfNeeded: high &>> shift)
      buffer[offset &+ 8 &+ index] = UInt8(truncatingIfNeeded: low &>> shift)
    }
  }

  /// Orders addresses numerically.
  @inlinable
  public static func < (lhs: IPv6Address, rhs: IPv6Address) -> Bool {
    (lhs.high, lhs.low) < (rhs.high, rhs.low)
  }

  /// The RFC 5952 form, e.g. `2001:db8::1`, `::1`, `::`, `::ffff:192.0.2.1`.
  public var description: String {
    if let mapped = ipv4Mapped { return "::ffff:\(mapped)" }
    let groups = groups
    // The longest run of zero groups, at least two long; the first wins a tie.
    var bestStart = -1
    var bestLength = 1
    var runStart = 0
    var runLength = 0
    for (index, group) in groups.enumerated() {
      if group == 0 {
        if runLength == 0 { runStart = index }
        runLength += 1
        if runLength > bestLength {
          bestStart = runStart
          bestLength = runLength
        }
      } else {
        runLength = 0
      }
    }
    func hex(_ slice: ArraySlice<UInt16>) -> String {
      slice.map { String($0, radix: 16) }.joined(separator: ":")
    }
    guard bestStart >= 0 else { return hex(groups[...]) }
    let head = hex(groups[..<bestStart])
    let tail = hex(groups[(bestStart + bestLength)...])
    return "\(head)::\(tail)"
  }
}

/// Parses colon-separated groups of 1...4 hex digits; with `allowIPv4`, the last piece may be
/// a dotted quad giving two groups. An empty input gives no groups; an empty piece fails.
private func parseGroups(_ bytes: ArraySlice<UInt8>, allowIPv4: Bool) -> [UInt16]? {
  guard !bytes.isEmpty else { return [] }
  let pieces = bytes.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
  guard pieces.count <= 8 else { return nil }
  var groups: [UInt16] = []
  for (index, piece) in pieces.enumerated() {
    if allowIPv4, index == pieces.count - 1, piece.contains(UInt8(ascii: ".")) {
      guard let quad = IPv4Address(String(decoding: piece, as: UTF8.self)) else { return nil }
      groups.append(UInt16(truncatingIfNeeded: quad.rawValue &>> 16))
      groups.append(UInt16(truncatingIfNeeded: quad.rawValue))
      continue
    }
    guard (1...4).contains(piece.count) else { return nil }
    var value: UInt16 = 0
    for byte in piece {
      guard let nibble = hexNibble(byte) else { return nil }
      value = value &<< 4 | UInt16(nibble)
    }
    groups.append(value)
  }
  return groups
}

/// The value of an ASCII hex digit, or nil.
private func hexNibble(_ byte: UInt8) -> UInt8? {
  switch byte {
  case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
  case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
  case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
  default: nil
  }
}
