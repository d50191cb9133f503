/// What the kernel says about one link (an RTM_NEWLINK message): index, name, MTU, hardware
/// address, flags and, when IFLA_LINKINFO says so, its kind. A plain value; `Sendable`.
public struct LinkFacts: Hashable, Sendable {
  /// The link's index (`ifindex`) in its network namespace.
  public var index: UInt32
  /// The link's name (IFLA_IFNAME).
  public var name: String
  /// The MTU (IFLA_MTU): the largest IP packet, without the Ethernet header; 0 when the
  /// kernel sends none.
  public var mtu: Int
  /// The hardware (MAC) address (IFLA_ADDRESS), or nil when the link has none.
  public var hardwareAddress: [UInt8]?
  /// The `IFF_*` flags (`ifi_flags`).
  public var flags: UInt32
  /// The kind the link was created as (IFLA_INFO_KIND), like `"veth"`, `"macvtap"`, `"tun"`
  /// (TUN and TAP devices) or `"bridge"`; nil for links without one (physical NICs,
  /// loopback).
  public var kind: String?
  /// IFLA_LINK: for a macvtap, macvlan or VLAN the index of its parent; for a veth the index
  /// of its peer (which may live in another namespace). Nil when the link has none (or when it
  /// is the link itself).
  public var parentIndex: UInt32?
  /// The mode of a macvtap or macvlan (IFLA_MACVLAN_MODE); nil for other kinds and for modes
  /// that ``MacvtapMode`` does not name (source).
  public var macvtapMode: MacvtapMode?

  /// Whether the link is administratively up (IFF_UP).
  public var isUp: Bool { flags & RouteNetlink.linkUp != 0 }

  /// Whether the link is up and has a carrier (IFF_RUNNING).
  public var isRunning: Bool { flags & RouteNetlink.linkRunning != 0 }

  /// Reads an RTM_NEWLINK message.
  /// - Throws: ``NetlinkParseError`` for another message type, a truncated `ifinfomsg`, a
  ///   malformed attribute, a missing IFLA_IFNAME or an IFLA_MTU or IFLA_LINK that is not 4
  ///   bytes.
  init(message: NetlinkMessage) throws(NetlinkParseError) {
    guard message.type == RouteNetlink.newLink else {
      throw .unexpectedMessageType(message.type)
    }
    let header = try InterfaceInfoHeader(payload: message.payload, messageType: message.type)
    let attributes = try NetlinkAttribute.parseAll(
      message.payload, from: InterfaceInfoHeader.length)
    guard let name = attributes.first(ofType: RouteNetlink.linkName) else {
      throw .missingAttribute(type: RouteNetlink.linkName, messageType: message.type)
    }
    index = header.index
    self.name = name.string()
    flags = header.flags
    mtu = try Int(attributes.first(ofType: RouteNetlink.linkMTU)?.uint32() ?? 0)
    hardwareAddress = attributes.first(ofType: RouteNetlink.linkAddress)?.payload
    let parent = try attributes.first(ofType: RouteNetlink.linkParent)?.uint32()
    parentIndex = parent == 0 || parent == header.index ? nil : parent
    let info = try attributes.first(ofType: RouteNetlink.linkInfo)?.nested() ?? []
    kind = info.first(ofType: RouteNetlink.linkInfoKind)?.string()
    if kind == "macvtap" || kind == "macvlan",
      let data = try info.first(ofType: RouteNetlink.linkInfoData)?.nested(),
      let mode = try data.first(ofType: RouteNetlink.macvlanMode)?.uint32()
    {
      macvtapMode = MacvtapMode(rawValue: mode)
    } else {
      macvtapMode = nil
    }
  }
}
