/// One netlink message: the 16-byte `nlmsghdr` (length, type, flags, sequence number, port id)
/// and its payload.
///
/// A datagram from the kernel holds one or more messages, each padded to 4 bytes;
/// ``parseAll(_:)`` splits it with every length checked. A plain value; `Sendable`.
struct NetlinkMessage: Hashable, Sendable {
  /// The size of `struct nlmsghdr`.
  static let headerLength = 16

  /// `nlmsg_type`: NLMSG_ERROR, NLMSG_DONE or a request/reply type like RTM_NEWLINK.
  var type: UInt16
  /// `nlmsg_flags`: NLM_F_REQUEST, NLM_F_MULTI, NLM_F_ACK, ...
  var flags: UInt16
  /// `nlmsg_seq`: the kernel copies the request's number into every part of its reply.
  var sequence: UInt32
  /// `nlmsg_pid`: 0 in requests to the kernel; the receiving socket's port id in replies.
  var portID: UInt32
  /// The bytes after the header, without the trailing padding.
  var payload: [UInt8]

  /// The encoded message: the header (with `nlmsg_len` covering the payload) and the payload,
  /// padded to 4 bytes.
  func encoded() -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(Self.headerLength + netlinkAligned(payload.count))
    bytes.appendHostOrder(UInt32(truncatingIfNeeded: Self.headerLength + payload.count))
    bytes.appendHostOrder(type)
    bytes.appendHostOrder(flags)
    bytes.appendHostOrder(sequence)
    bytes.appendHostOrder(portID)
    bytes.append(contentsOf: payload)
    bytes.padToNetlinkAlignment()
    return bytes
  }

  /// Splits a datagram into its messages.
  ///
  /// Every message needs a whole header and an `nlmsg_len` of at least 16 that fits in what is
  /// left; the padding after the last message may be missing.
  /// - Throws: ``NetlinkParseError/truncatedMessageHeader(offset:available:)`` or
  ///   ``NetlinkParseError/badMessageLength(offset:length:available:)``.
  static func parseAll(_ datagram: [UInt8]) throws(NetlinkParseError) -> [NetlinkMessage] {
    var messages: [NetlinkMessage] = []
    var offset = 0
    while offset < datagram.count {
      let available = datagram.count - offset
      guard let length = datagram.hostUInt32(at: offset),
        let type = datagram.hostUInt16(at: offset + 4),
        let flags = datagram.hostUInt16(at: offset + 6),
        let sequence = datagram.hostUInt32(at: offset + 8),
        let portID = datagram.hostUInt32(at: offset + 12)
      else {
        throw .truncatedMessageHeader(offset: offset, available: available)
      }
      guard length >= headerLength, length <= available else {
        throw .badMessageLength(offset: offset, length: Int(length), available: available)
      }
      let payload = Array(datagram[(offset + headerLength)..<(offset + Int(length))])
      messages.append(
        NetlinkMessage(
          type: type, flags: flags, sequence: sequence, portID: portID, payload: payload))
      offset += netlinkAligned(Int(length))
    }
    return messages
  }
}
