/// One netlink attribute (`struct rtattr` / `struct nlattr`): a 16-bit type and a payload,
/// encoded as a 4-byte header (length, type) plus the payload, padded to 4 bytes.
///
/// Built and parsed in safe Swift over `[UInt8]`: ``parseAll(_:from:)`` checks every length
/// and throws ``NetlinkParseError``; the typed accessors check the payload size. A plain
/// value; `Sendable`.
struct NetlinkAttribute: Hashable, Sendable {
  /// The attribute type, without the NLA_F_NESTED and NLA_F_NET_BYTEORDER flag bits.
  var type: UInt16
  /// The payload, without padding.
  var payload: [UInt8]

  /// The bits of `rta_type` that hold the type (NLA_TYPE_MASK).
  static let typeMask: UInt16 = 0x3FFF

  /// An attribute with `payload` as given.
  init(type: UInt16, payload: [UInt8]) {
    self.type = type
    self.payload = payload
  }

  /// A host-order 32-bit integer attribute.
  init(type: UInt16, uint32 value: UInt32) {
    var payload: [UInt8] = []
    payload.appendHostOrder(value)
    self.init(type: type, payload: payload)
  }

  /// An IPv4 address (a.b.c.d as `a << 24 | ...`), in network order.
  init(type: UInt16, ipv4 address: UInt32) {
    var payload: [UInt8] = []
    payload.appendNetworkOrder(address)
    self.init(type: type, payload: payload)
  }

  /// A NUL-terminated string attribute.
  init(type: UInt16, string: String) {
    self.init(type: type, payload: Array(string.utf8) + [0])
  }

  /// A nested attribute: `header` (a fixed structure some nests start with, like the
  /// `ifinfomsg` of VETH_INFO_PEER) followed by the encoded `attributes`.
  init(type: UInt16, header: [UInt8] = [], nested attributes: [NetlinkAttribute]) {
    var payload = header
    payload.padToNetlinkAlignment()
    for attribute in attributes {
      attribute.append(to: &payload)
    }
    self.init(type: type, payload: payload)
  }

  /// Appends the encoded attribute, padded to 4 bytes, to `bytes` (which must be aligned).
  func append(to bytes: inout [UInt8]) {
    bytes.appendHostOrder(UInt16(truncatingIfNeeded: 4 + payload.count))
    bytes.appendHostOrder(type)
    bytes.append(contentsOf: payload)
    bytes.padToNetlinkAlignment()
  }

  /// The payload as a host-order 32-bit integer.
  /// - Throws: ``NetlinkParseError/badAttributeSize(type:expected:actual:)`` unless it has
  ///   exactly 4 bytes.
  func uint32() throws(NetlinkParseError) -> UInt32 {
    guard payload.count == 4, let value = payload.hostUInt32(at: 0) else {
      throw .badAttributeSize(type: type, expected: 4, actual: payload.count)
    }
    return value
  }

  /// The payload as an IPv4 address in network order (a.b.c.d as `a << 24 | ...`).
  /// - Throws: ``NetlinkParseError/badAttributeSize(type:expected:actual:)`` unless it has
  ///   exactly 4 bytes.
  func ipv4() throws(NetlinkParseError) -> UInt32 {
    guard payload.count == 4, let value = payload.networkUInt32(at: 0) else {
      throw .badAttributeSize(type: type, expected: 4, actual: payload.count)
    }
    return value
  }

  /// The payload as a string, up to the first NUL (invalid UTF-8 is repaired).
  func string() -> String {
    String(decoding: payload.prefix { $0 != 0 }, as: UTF8.self)
  }

  /// The payload parsed as nested attributes.
  /// - Throws: ``NetlinkParseError`` for a truncated or bad-length attribute inside.
  func nested() throws(NetlinkParseError) -> [NetlinkAttribute] {
    try Self.parseAll(payload, from: 0)
  }

  /// Parses the attributes that fill `bytes` from `offset` to the end.
  ///
  /// Each attribute must have a complete 4-byte header and a length that fits in what is
  /// left; the padding after the last attribute may be missing. Nothing here traps: offsets
  /// are checked before every read.
  /// - Throws: ``NetlinkParseError/truncatedAttribute(offset:available:)`` or
  ///   ``NetlinkParseError/badAttributeLength(type:length:available:)``.
  static func parseAll(
    _ bytes: [UInt8], from offset: Int
  ) throws(NetlinkParseError) -> [NetlinkAttribute] {
    var attributes: [NetlinkAttribute] = []
    var position = max(0, offset)
    while position < bytes.count {
      let available = bytes.count - position
      guard let length = bytes.hostUInt16(at: position),
        let rawType = bytes.hostUInt16(at: position + 2)
      else {
        throw .truncatedAttribute(offset: position, available: available)
      }
      let type = rawType & typeMask
      guard length >= 4, Int(length) <= available else {
        throw .badAttributeLength(type: type, length: Int(length), available: available)
      }
      let payload = Array(bytes[(position + 4)..<(position + Int(length))])
      attributes.append(NetlinkAttribute(type: type, payload: payload))
      position += netlinkAligned(Int(length))
    }
    return attributes
  }
}

extension [NetlinkAttribute] {
  /// The first attribute of `type`, or nil (the kernel sends each type at most once per level).
  func first(ofType type: UInt16) -> NetlinkAttribute? {
    first { $0.type == type }
  }
}
