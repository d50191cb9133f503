/// `struct ifinfomsg`, the 16-byte fixed header of RTM_NEWLINK, RTM_GETLINK, RTM_SETLINK and
/// RTM_DELLINK messages (and of a veth's VETH_INFO_PEER). A plain value; `Sendable`.
struct InterfaceInfoHeader: Hashable, Sendable {
  /// The encoded size.
  static let length = 16

  /// `ifi_family`: AF_UNSPEC for links.
  var family: UInt8 = RouteNetlink.unspecifiedFamily
  /// `ifi_type`: the ARPHRD_* hardware type (1 for Ethernet).
  var hardwareType: UInt16 = 0
  /// `ifi_index`: the link's index; 0 in a request that names the link instead.
  var index: UInt32 = 0
  /// `ifi_flags`: IFF_UP, IFF_RUNNING, ...
  var flags: UInt32 = 0
  /// `ifi_change`: in a request, which bits of ``flags`` to change.
  var change: UInt32 = 0

  /// A header with every field zero except those given.
  init(index: UInt32 = 0, flags: UInt32 = 0, change: UInt32 = 0) {
    self.index = index
    self.flags = flags
    self.change = change
  }

  /// Reads the header at the start of `payload` of a message of `messageType`.
  /// - Throws: ``NetlinkParseError/truncatedPayload(messageType:needed:available:)``.
  init(payload: [UInt8], messageType: UInt16) throws(NetlinkParseError) {
    guard payload.count >= Self.length, let hardwareType = payload.hostUInt16(at: 2),
      let index = payload.hostUInt32(at: 4), let flags = payload.hostUInt32(at: 8),
      let change = payload.hostUInt32(at: 12)
    else {
      throw .truncatedPayload(
        messageType: messageType, needed: Self.length, available: payload.count)
    }
    self.family = payload[0]
    self.hardwareType = hardwareType
    self.index = index
    self.flags = flags
    self.change = change
  }

  /// The 16 encoded bytes.
  var bytes: [UInt8] {
    var bytes: [UInt8] = [family, 0]
    bytes.appendHostOrder(hardwareType)
    bytes.appendHostOrder(index)
    bytes.appendHostOrder(flags)
    bytes.appendHostOrder(change)
    return bytes
  }
}
