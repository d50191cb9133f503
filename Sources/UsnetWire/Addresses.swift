/// A 48-bit IEEE 802 MAC address.
public struct MACAddress: Hashable, Sendable, CustomStringConvertible {
  /// The address in the low 48 bits; the first octet on the wire occupies bits 47...40.
  public var rawValue: UInt64

  /// Creates an address from its 48-bit value; bits above 47 are discarded.
  @inlinable
  public init(rawValue: UInt64) {
    self.rawValue = rawValue & 0xFFFF_FFFF_FFFF
  }

  /// Creates an address from its six octets in wire order.
  @inlinable
  public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8, _ e: UInt8, _ f: UInt8) {
    rawValue =
      UInt64(a) &<< 40 | UInt64(b) &<< 32 | UInt64(c) &<< 24
      | UInt64(d) &<< 16 | UInt64(e) &<< 8 | UInt64(f)
  }

  /// Parses `"aa:bb:cc:dd:ee:ff"`: six colon-separated pairs of hex digits, either case.
  public init?(_ string: String) {
    var value: UInt64 = 0
    var octets = 0
    var digits = 0
    for byte in string.utf8 {
      if byte == UInt8(ascii: ":") {
        guard digits == 2, octets < 5 else { return nil }
        octets += 1
        digits = 0
      } else {
        guard let nibble = hexDigitValue(byte), digits < 2 else { return nil }
        value = value &<< 4 | UInt64(nibble)
        digits += 1
      }
    }
    guard octets == 5, digits == 2 else { return nil }
    rawValue = value
  }

  /// The broadcast address ff:ff:ff:ff:ff:ff.
  public static let broadcast = MACAddress(rawValue: 0xFFFF_FFFF_FFFF)
  /// The all-zero address 00:00:00:00:00:00.
  public static let zero = MACAddress(rawValue: 0)

  /// True for ff:ff:ff:ff:ff:ff.
  @inlinable
  public var isBroadcast: Bool { rawValue == 0xFFFF_FFFF_FFFF }
  /// True when the group (I/G) bit of the first octet is set; this includes broadcast.
  @inlinable
  public var isMulticast: Bool { rawValue & 0x0100_0000_0000 != 0 }
  /// True when the group bit is clear (the address names a single interface).
  @inlinable
  public var isUnicast: Bool { !isMulticast }

  /// Reads six octets at `offset`; the caller guarantees they are present.
  @inlinable
  public init(reading buffer: [UInt8], at offset: Int) {
    self.init(
      buffer[offset], buffer[offset &+ 1], buffer[offset &+ 2],
      buffer[offset &+ 3], buffer[offset &+ 4], buffer[offset &+ 5])
  }

  /// Writes the six octets at `offset`; the caller guarantees room.
  @inlinable
  public func write(to buffer: inout [UInt8], at offset: Int) {
    buffer[offset] = UInt8(truncatingIfNeeded: rawValue &>> 40)
    buffer[offset &+ 1] = UInt8(truncatingIfNeeded: rawValue &>> 32)
    buffer[offset &+ 2] = UInt8(truncatingIfNeeded: rawValue &>> 24)
    buffer[offset &+ 3] = UInt8(truncatingIfNeeded: rawValue &>> 16)
    buffer[offset &+ 4] = UInt8(truncatingIfNeeded: rawValue &>> 8)
    buffer[offset &+ 5] = UInt8(truncatingIfNeeded: rawValue)
  }

  /// Lower-case colon-separated form, e.g. `02:00:00:00:00:0a`.
  public var description: String {
    var result = ""
    result.reserveCapacity(17)
    for shift in stride(from: 40, through: 0, by: -8) {
      if shift != 40 { result.append(":") }
      let octet = UInt8(truncatingIfNeeded: rawValue &>> UInt64(shift))
      result.append(hexCharacter(octet &>> 4))
      result.append(hexCharacter(octet & 0xF))
    }
    return result
  }
}

/// An IPv4 address.
public struct IPv4Address: Hashable, Sendable, Comparable, CustomStringConvertible {
  /// The address as a number: a.b.c.d is `a << 24 | b << 16 | c << 8 | d`.
  public var rawValue: UInt32

  /// Creates an address from its 32-bit value.
  @inlinable
  public init(rawValue: UInt32) {
    self.rawValue = rawValue
  }

  /// Creates the address a.b.c.d.
  @inlinable
  public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
    rawValue = UInt32(a) &<< 24 | UInt32(b) &<< 16 | UInt32(c) &<< 8 | UInt32(d)
  }

  /// Parses a strict dotted quad: four decimal numbers 0...255 separated by dots, digits only,
  /// no leading zeros (so "010.0.0.1" is rejected rather than read as octal or decimal).
  public init?(_ string: String) {
    var value: UInt32 = 0
    var parts = 0
    var part: UInt32 = 0
    var digits = 0
    var leadingZero = false
    for byte in string.utf8 {
      if byte == UInt8(ascii: ".") {
        guard digits > 0, parts < 3 else { return nil }
        value = value &<< 8 | part
        parts += 1
        part = 0
        digits = 0
      } else if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
        if digits == 0 {
          leadingZero = byte == UInt8(ascii: "0")
        } else if leadingZero {
          return nil
        }
        part = part * 10 + UInt32(byte - UInt8(ascii: "0"))
        digits += 1
        guard part <= 255 else { return nil }
      } else {
        return nil
      }
    }
    guard parts == 3, digits > 0 else { return nil }
    rawValue = value &<< 8 | part
  }

  /// 0.0.0.0.
  public static let any = IPv4Address(rawValue: 0)
  /// 255.255.255.255, the limited broadcast address.
  public static let broadcast = IPv4Address(rawValue: 0xFFFF_FFFF)

  /// True for 0.0.0.0.
  @inlinable
  public var isUnspecified: Bool { rawValue == 0 }
  /// True for 127.0.0.0/8.
  @inlinable
  public var isLoopback: Bool { rawValue &>> 24 == 127 }
  /// True for 224.0.0.0/4.
  @inlinable
  public var isMulticast: Bool { rawValue &>> 28 == 0xE }
  /// True for 255.255.255.255.
  @inlinable
  public var isLimitedBroadcast: Bool { rawValue == 0xFFFF_FFFF }

  /// Reads four octets at `offset`; the caller guarantees they are present.
  @inlinable
  public init(reading buffer: [UInt8], at offset: Int) {
    rawValue = buffer.readUInt32(at: offset)
  }

  /// Writes four octets at `offset`; the caller guarantees room.
  @inlinable
  public func write(to buffer: inout [UInt8], at offset: Int) {
    buffer.writeUInt32(rawValue, at: offset)
  }

  /// Orders addresses numerically.
  @inlinable
  public static func < (lhs: IPv4Address, rhs: IPv4Address) -> Bool {
    lhs.rawValue < rhs.rawValue
  }

  /// Dotted-quad form, e.g. `198.18.0.1`.
  public var description: String {
    "\(rawValue >> 24).\(rawValue >> 16 & 0xFF).\(rawValue >> 8 & 0xFF).\(rawValue & 0xFF)"
  }
}

/// An IPv4 address together with a prefix length, e.g. `198.18.0.1/24`.
///
/// The address keeps its host bits, so the value can describe an interface address.
public struct IPv4Network: Hashable, Sendable, CustomStringConvertible {
  /// The address as given (host bits are kept).
  public let address: IPv4Address
  /// Number of leading one bits in the netmask, 0...32.
  public let prefixLength: Int

  /// Creates a network; nil unless `prefixLength` is in 0...32.
  public init?(address: IPv4Address, prefixLength: Int) {
    guard (0...32).contains(prefixLength) else { return nil }
    self.address = address
    self.prefixLength = prefixLength
  }

  /// Parses `"a.b.c.d/n"`: a strict dotted quad, a slash and a decimal prefix length 0...32.
  public init?(_ string: String) {
    guard let slash = string.utf8.firstIndex(of: UInt8(ascii: "/")) else { return nil }
    guard let address = IPv4Address(String(string[..<slash])) else { return nil }
    var length = 0
    var digits = 0
    for byte in string.utf8[string.utf8.index(after: slash)...] {
      guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
      guard digits == 0 || length != 0 else { return nil }  // no leading zeros
      length = length * 10 + Int(byte - UInt8(ascii: "0"))
      digits += 1
      guard length <= 32 else { return nil }
    }
    guard digits > 0 else { return nil }
    self.init(address: address, prefixLength: length)
  }

  /// The netmask, e.g. 255.255.255.0 for /24.
  public var netmask: IPv4Address {
    IPv4Address(rawValue: prefixLength == 0 ? 0 : UInt32.max &<< UInt32(32 - prefixLength))
  }

  /// The address with its host bits cleared.
  public var networkAddress: IPv4Address {
    IPv4Address(rawValue: address.rawValue & netmask.rawValue)
  }

  /// The address with its host bits set (the directed broadcast address).
  public var broadcastAddress: IPv4Address {
    IPv4Address(rawValue: address.rawValue | ~netmask.rawValue)
  }

  /// True when `address` lies within this network.
  public func contains(_ address: IPv4Address) -> Bool {
    address.rawValue & netmask.rawValue == networkAddress.rawValue
  }

  /// `address/prefixLength`, e.g. `198.18.0.1/24`.
  public var description: String {
    "\(address)/\(prefixLength)"
  }
}

/// The value of an ASCII hex digit, or nil.
private func hexDigitValue(_ byte: UInt8) -> UInt8? {
  switch byte {
  case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
  case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
  case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
  default: nil
  }
}

/// The lower-case hex digit for a nibble 0...15.
private func hexCharacter(_ nibble: UInt8) -> Character {
  Character(Unicode.Scalar(nibble < 10 ? nibble + 48 : nibble + 87))
}
