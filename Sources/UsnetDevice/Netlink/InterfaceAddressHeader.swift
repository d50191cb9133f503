/// `struct ifaddrmsg`, the 8-byte fixed header of RTM_NEWADDR and RTM_GETADDR messages.
/// A plain value; `Sendable`.
struct InterfaceAddressHeader: Hashable, Sendable {
  /// The encoded size.
  static let length = 8

  /// `ifa_family`: AF_INET for IPv4.
  var family: UInt8
  /// `ifa_prefixlen`: the prefix length of the address.
  var prefixLength: UInt8
  /// `ifa_flags`: IFA_F_* (the low 8 bits; IFA_FLAGS carries all of them).
  var flags: UInt8 = 0
  /// `ifa_scope`: RT_SCOPE_UNIVERSE (0), RT_SCOPE_LINK (253), RT_SCOPE_HOST (254).
  var scope: UInt8 = 0
  /// `ifa_index`: the link's index.
  var index: UInt32

  /// A header for `family` with the given prefix length and link, flags and scope zero.
  init(family: UInt8, prefixLength: UInt8, index: UInt32) {
    self.family = family
    self.prefixLength = prefixLength
    self.index = index
  }

  /// Reads the header at the start of `payload` of a message of `messageType`.
  /// - Throws: ``NetlinkParseError/truncatedPayload(messageType:needed:available:)``.
  init(payload: [UInt8], messageType: UInt16) throws(NetlinkParseError) {
    guard payload.count >= Self.length, let index = payload.hostUInt32(at: 4) else {
      throw .truncatedPayload(
        messageType: messageType, needed: Self.length, available: payload.count)
    }
    self.family = payload[0]
    self.prefixLength = payload[1]
    self.flags = payload[2]
    self.scope = payload[3]
    self.index = index
  }

  /// The 8 encoded bytes.
  var bytes: [UInt8] {
    var bytes: [UInt8] = [family, prefixLength, flags, scope]
    bytes.appendHostOrder(index)
    return bytes
  }
}
