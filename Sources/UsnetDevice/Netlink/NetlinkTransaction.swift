/// The kernel's answer to one request, collected datagram by datagram: the data messages with
/// the request's sequence number, until the answer is complete.
///
/// Complete means: for a dump, NLMSG_DONE; for a request with NLM_F_ACK, the acknowledgment;
/// otherwise the first data message. NLMSG_ERROR with a nonzero error becomes a
/// ``DeviceError`` that names the request (`"netlink(RTM_NEWLINK)"`), carries the errno, and
/// adds the kernel's extended-acknowledgment text to the request's detail. Messages with
/// another sequence number or port id (the rest of an abandoned earlier answer) are skipped.
/// Pure logic over bytes, so it is tested with captured datagrams. A plain value; `Sendable`.
struct NetlinkTransaction: Sendable {
  /// What was asked.
  let request: NetlinkRequest
  /// The request's sequence number.
  let sequence: UInt32
  /// The socket's port id; the kernel addresses its answers to it.
  let portID: UInt32
  /// The data messages received so far, in order.
  private(set) var messages: [NetlinkMessage] = []
  /// Whether the kernel flagged a part of the dump with NLM_F_DUMP_INTR: the table changed
  /// during the dump, so the answer may be inconsistent and is worth asking again.
  private(set) var wasInterrupted = false
  /// Whether the answer is complete.
  private(set) var isComplete = false

  /// Starts collecting the answer to `request` sent with `sequence` from port `portID`.
  init(request: NetlinkRequest, sequence: UInt32, portID: UInt32) {
    self.request = request
    self.sequence = sequence
    self.portID = portID
  }

  /// Takes in one datagram from the kernel.
  /// - Throws: ``DeviceError`` with the kernel's errno for NLMSG_ERROR, or `EBADMSG` for a
  ///   malformed datagram or NLMSG_OVERRUN (the detail says which fault).
  mutating func receive(_ datagram: [UInt8]) throws(DeviceError) {
    let parsed: [NetlinkMessage]
    do {
      parsed = try NetlinkMessage.parseAll(datagram)
    } catch {
      throw request.malformed(error)
    }
    for message in parsed where !isComplete {
      guard message.sequence == sequence, message.portID == portID else { continue }
      if message.flags & RouteNetlink.dumpInterrupted != 0 { wasInterrupted = true }
      switch message.type {
      case RouteNetlink.noop:
        continue
      case RouteNetlink.error:
        try finish(status: message)
      case RouteNetlink.done:
        // A dump's end; its payload, when present, is an int error (0 on success).
        if message.payload.count >= 4 {
          try finish(status: message)
        }
        isComplete = true
      case RouteNetlink.overrun:
        throw DeviceError(
          call: request.call, errno: RouteNetlink.badMessage,
          detail: "\(request.detail): NLMSG_OVERRUN")
      default:
        messages.append(message)
        if !request.isDump && !request.wantsAcknowledgment { isComplete = true }
      }
    }
  }

  /// Handles the `int error` that starts NLMSG_ERROR and NLMSG_DONE: 0 completes the answer,
  /// a negative value throws.
  private mutating func finish(status message: NetlinkMessage) throws(DeviceError) {
    guard let raw = message.payload.hostUInt32(at: 0) else {
      throw request.malformed(
        .truncatedPayload(messageType: message.type, needed: 4, available: message.payload.count))
    }
    let status = Int32(bitPattern: raw)
    guard status < 0 else {
      isComplete = true
      return
    }
    var detail = request.detail
    if let text = Self.extendedAcknowledgmentText(message) {
      detail += ": \(text)"
    }
    throw DeviceError(call: request.call, errno: -status, detail: detail)
  }

  /// The kernel's NLMSGERR_ATTR_MSG text in an NLMSG_ERROR or NLMSG_DONE, when it sent one.
  ///
  /// The attributes follow the `int error` and, for NLMSG_ERROR, the request's header (and,
  /// unless NLM_F_CAPPED, its payload). Anything malformed there yields nil, so the errno
  /// still reaches the caller.
  static func extendedAcknowledgmentText(_ message: NetlinkMessage) -> String? {
    guard message.flags & RouteNetlink.acknowledgmentTLVs != 0 else { return nil }
    var offset = 4
    if message.type == RouteNetlink.error {
      offset += NetlinkMessage.headerLength
      if message.flags & RouteNetlink.capped == 0 {
        guard let length = message.payload.hostUInt32(at: 4) else { return nil }
        offset = 4 + netlinkAligned(Int(length))
      }
    }
    guard offset <= message.payload.count,
      let attributes = try? NetlinkAttribute.parseAll(message.payload, from: offset),
      let text = attributes.first(ofType: RouteNetlink.errorMessage)?.string(), !text.isEmpty
    else { return nil }
    return text
  }
}
