/// `struct rtmsg`, the 12-byte fixed header of RTM_NEWROUTE and RTM_GETROUTE messages.
/// A plain value; `Sendable`.
struct RouteHeader: Hashable, Sendable {
  /// The encoded size.
  static let length = 12

  /// `rtm_family`: AF_INET for IPv4.
  var family: UInt8
  /// `rtm_dst_len`: the destination prefix length.
  var destinationLength: UInt8
  /// `rtm_src_len`: the source prefix length.
  var sourceLength: UInt8 = 0
  /// `rtm_tos`: the type-of-service selector.
  var typeOfService: UInt8 = 0
  /// `rtm_table`: the routing table id when below 256 (RTA_TABLE carries every id).
  var table: UInt8 = 0
  /// `rtm_protocol`: who installed the route (RTPROT_*).
  var routingProtocol: UInt8 = 0
  /// `rtm_scope`: RT_SCOPE_*.
  var scope: UInt8 = 0
  /// `rtm_type`: RTN_UNICAST, RTN_LOCAL, ...
  var type: UInt8 = 0
  /// `rtm_flags`: RTM_F_*.
  var flags: UInt32 = 0

  /// A header for `family` and a destination prefix length, every other field zero.
  init(family: UInt8, destinationLength: UInt8) {
    self.family = family
    self.destinationLength = destinationLength
  }

  /// Reads the header at the start of `payload` of a message of `messageType`.
  /// - Throws: ``NetlinkParseError/truncatedPayload(messageType:needed:available:)``.
  init(payload: [UInt8], messageType: UInt16) throws(NetlinkParseError) {
    guard payload.count >= Self.length, let flags = payload.hostUInt32(at: 8) else {
      throw .truncatedPayload(
        messageType: messageType, needed: Self.length, available: payload.count)
    }
    self.family = payload[0]
    self.destinationLength = payload[1]
    self.sourceLength = payload[2]
    self.typeOfService = payload[3]
    self.table = payload[4]
    self.routingProtocol = payload[5]
    self.scope = payload[6]
    self.type = payload[7]
    self.flags = flags
  }

  /// The 12 encoded bytes.
  var bytes: [UInt8] {
    var bytes: [UInt8] = [
      family, destinationLength, sourceLength, typeOfService, table, routingProtocol, scope,
      type,
    ]
    bytes.appendHostOrder(flags)
    return bytes
  }
}
