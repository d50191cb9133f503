/// A request to rtnetlink: message type and flags, the fixed header the type starts with, and
/// attributes, plus the names used when it fails. A plain value; `Sendable`.
struct NetlinkRequest: Hashable, Sendable {
  /// The C name of the message type, like `"RTM_NEWLINK"`; errors name the call
  /// `"netlink(RTM_NEWLINK)"`.
  var name: String
  /// `nlmsg_type`.
  var type: UInt16
  /// `nlmsg_flags`; NLM_F_REQUEST is always added.
  var flags: UInt16
  /// The encoded fixed header (`ifinfomsg`, `ifaddrmsg`, `rtmsg`).
  var header: [UInt8]
  /// The attributes after the header.
  var attributes: [NetlinkAttribute]
  /// What is being done, for errors, like `"link name usnet0"`.
  var detail: String

  /// The call name in a ``DeviceError``, like `"netlink(RTM_GETLINK)"`.
  var call: String { "netlink(\(name))" }

  /// Whether the kernel answers with a multi-part dump ended by NLMSG_DONE.
  var isDump: Bool { flags & RouteNetlink.dump == RouteNetlink.dump }

  /// Whether the kernel answers with an acknowledgment (NLMSG_ERROR with error 0).
  var wantsAcknowledgment: Bool { flags & RouteNetlink.acknowledge != 0 }

  /// `EBADMSG` for a malformed answer to this request, the fault in the detail.
  func malformed(_ error: NetlinkParseError) -> DeviceError {
    DeviceError(call: call, errno: RouteNetlink.badMessage, detail: "\(detail): \(error)")
  }

  /// The encoded message with sequence number `sequence` and port id 0 (the kernel fills in
  /// the sender's).
  func encoded(sequence: UInt32) -> [UInt8] {
    var payload = header
    payload.padToNetlinkAlignment()
    for attribute in attributes {
      attribute.append(to: &payload)
    }
    let message = NetlinkMessage(
      type: type, flags: flags | RouteNetlink.request, sequence: sequence, portID: 0,
      payload: payload)
    return message.encoded()
  }
}
