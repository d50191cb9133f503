/// An IPv4 address assigned to a link (an RTM_NEWADDR message of family AF_INET).
/// A plain value; `Sendable`.
public struct IPv4InterfaceAddress: Hashable, Sendable {
  /// The index of the link that holds the address.
  public var linkIndex: UInt32
  /// The local address, a.b.c.d as `a << 24 | b << 16 | c << 8 | d` (IFA_LOCAL, or
  /// IFA_ADDRESS when the kernel sends no IFA_LOCAL).
  public var address: UInt32
  /// The prefix length (0 to 32): 24 for a /24.
  public var prefixLength: Int
  /// The label (IFA_LABEL), like `"eth0"` or `"eth0:1"`; nil when the kernel sends none.
  public var label: String?

  /// Reads an RTM_NEWADDR message; nil for a family other than IPv4.
  /// - Throws: ``NetlinkParseError`` for another message type, a truncated `ifaddrmsg`, a
  ///   malformed attribute, no address attribute, or an address that is not 4 bytes.
  init?(message: NetlinkMessage) throws(NetlinkParseError) {
    guard message.type == RouteNetlink.newAddress else {
      throw .unexpectedMessageType(message.type)
    }
    let header = try InterfaceAddressHeader(payload: message.payload, messageType: message.type)
    guard header.family == RouteNetlink.ipv4Family else { return nil }
    let attributes = try NetlinkAttribute.parseAll(
      message.payload, from: InterfaceAddressHeader.length)
    guard
      let local = attributes.first(ofType: RouteNetlink.addressLocal)
        ?? attributes.first(ofType: RouteNetlink.addressAddress)
    else {
      throw .missingAttribute(type: RouteNetlink.addressLocal, messageType: message.type)
    }
    linkIndex = header.index
    address = try local.ipv4()
    prefixLength = Int(header.prefixLength)
    label = attributes.first(ofType: RouteNetlink.addressLabel)?.string()
  }
}
