/// An IPv4 route (an RTM_NEWROUTE message of family AF_INET): a route in a table, or the
/// answer of a route lookup for one destination. A plain value; `Sendable`.
///
/// Addresses are a.b.c.d as `a << 24 | b << 16 | c << 8 | d`.
public struct IPv4Route: Hashable, Sendable {
  /// The destination prefix (RTA_DST; 0 for a default route).
  public var destination: UInt32
  /// The destination prefix length: 0 for a default route, 32 for a lookup's answer.
  public var destinationPrefixLength: Int
  /// The next hop (RTA_GATEWAY); nil when the destination is on the link itself.
  public var gateway: UInt32?
  /// The index of the output link (RTA_OIF); nil for routes without one (multipath routes
  /// keep theirs in RTA_MULTIPATH, which is not read).
  public var outputLinkIndex: UInt32?
  /// The source address the kernel would pick (RTA_PREFSRC); nil when the route names none.
  public var preferredSource: UInt32?
  /// The routing table (RTA_TABLE, else `rtm_table`): 254 is the main table.
  public var table: UInt32
  /// The metric (RTA_PRIORITY); 0 when absent. Lower is preferred.
  public var priority: UInt32
  /// `rtm_type`: RTN_UNICAST (1), RTN_LOCAL (2), ...
  let type: UInt8

  /// Whether this is a default route of the main table that forwards traffic (RTN_UNICAST).
  var isMainDefault: Bool {
    destinationPrefixLength == 0 && table == RouteNetlink.mainTable
      && type == RouteNetlink.unicastRoute
  }

  /// Reads an RTM_NEWROUTE message; nil for a family other than IPv4.
  /// - Throws: ``NetlinkParseError`` for another message type, a truncated `rtmsg`, a
  ///   malformed attribute, or an address or integer attribute of the wrong size.
  init?(message: NetlinkMessage) throws(NetlinkParseError) {
    guard message.type == RouteNetlink.newRoute else {
      throw .unexpectedMessageType(message.type)
    }
    let header = try RouteHeader(payload: message.payload, messageType: message.type)
    guard header.family == RouteNetlink.ipv4Family else { return nil }
    let attributes = try NetlinkAttribute.parseAll(message.payload, from: RouteHeader.length)
    destination = try attributes.first(ofType: RouteNetlink.routeDestination)?.ipv4() ?? 0
    destinationPrefixLength = Int(header.destinationLength)
    gateway = try attributes.first(ofType: RouteNetlink.routeGateway)?.ipv4()
    outputLinkIndex = try attributes.first(ofType: RouteNetlink.routeOutputLink)?.uint32()
    preferredSource = try attributes.first(ofType: RouteNetlink.routePreferredSource)?.ipv4()
    table =
      try attributes.first(ofType: RouteNetlink.routeTable)?.uint32() ?? UInt32(header.table)
    priority = try attributes.first(ofType: RouteNetlink.routePriority)?.uint32() ?? 0
    type = header.type
  }

  /// The main table's default route with the lowest metric among `routes`, or nil.
  static func preferredDefault(among routes: [IPv4Route]) -> IPv4Route? {
    routes.filter(\.isMainDefault).min { $0.priority < $1.priority }
  }
}
