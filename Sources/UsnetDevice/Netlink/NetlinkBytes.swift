// Host-order integers in netlink buffers, read and written byte by byte in safe Swift.
//
// Netlink headers and integer attributes are in the host's byte order. Assembling the bytes as
// little-endian and converting with `init(littleEndian:)` / `.littleEndian` yields the host's
// value on either kind of host. IPv4 addresses in attributes are in network order and are read
// with ``networkUInt32(at:)``.

extension [UInt8] {
  /// The host-order `UInt16` at `offset`, or nil when the two bytes are not all there.
  func hostUInt16(at offset: Int) -> UInt16? {
    guard offset >= 0, offset <= count - 2 else { return nil }
    return UInt16(littleEndian: UInt16(self[offset]) | UInt16(self[offset + 1]) << 8)
  }

  /// The host-order `UInt32` at `offset`, or nil when the four bytes are not all there.
  func hostUInt32(at offset: Int) -> UInt32? {
    guard offset >= 0, offset <= count - 4 else { return nil }
    var value: UInt32 = 0
    for index in (0..<4).reversed() {
      value = value << 8 | UInt32(self[offset + index])
    }
    return UInt32(littleEndian: value)
  }

  /// The network-order (big-endian) `UInt32` at `offset`, or nil when the four bytes are not
  /// all there: an IPv4 address a.b.c.d as `a << 24 | b << 16 | c << 8 | d`.
  func networkUInt32(at offset: Int) -> UInt32? {
    guard offset >= 0, offset <= count - 4 else { return nil }
    var value: UInt32 = 0
    for index in 0..<4 {
      value = value << 8 | UInt32(self[offset + index])
    }
    return value
  }

  /// Appends `value` in host order.
  mutating func appendHostOrder(_ value: UInt16) {
    let bits = value.littleEndian
    append(UInt8(truncatingIfNeeded: bits))
    append(UInt8(truncatingIfNeeded: bits >> 8))
  }

  /// Appends `value` in host order.
  mutating func appendHostOrder(_ value: UInt32) {
    let bits = value.littleEndian
    for shift in stride(from: 0, to: 32, by: 8) {
      append(UInt8(truncatingIfNeeded: bits >> UInt32(shift)))
    }
  }

  /// Appends `value` in network order (an IPv4 address).
  mutating func appendNetworkOrder(_ value: UInt32) {
    for shift in stride(from: 24, through: 0, by: -8) {
      append(UInt8(truncatingIfNeeded: value >> UInt32(shift)))
    }
  }

  /// Appends zero bytes up to the next multiple of 4 (NLMSG_ALIGN, NLA_ALIGN).
  mutating func padToNetlinkAlignment() {
    append(contentsOf: repeatElement(0, count: netlinkAligned(count) - count))
  }
}

/// `length` rounded up to a multiple of 4, the alignment of netlink messages and attributes.
func netlinkAligned(_ length: Int) -> Int {
  (length + 3) & ~3
}
