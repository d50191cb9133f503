/// Why a netlink message from the kernel could not be read: every length and field is checked
/// before it is used, so malformed or truncated input ends here instead of in a crash.
///
/// ``NetlinkSocket`` reports these inside a ``DeviceError`` with `EBADMSG` whose detail is
/// this value's description. A plain value; `Sendable`.
enum NetlinkParseError: Error, Hashable, Sendable, CustomStringConvertible {
  /// Fewer than the 16 bytes of an `nlmsghdr` were left at `offset` of a datagram.
  case truncatedMessageHeader(offset: Int, available: Int)
  /// An `nlmsghdr` at `offset` gave a `nlmsg_len` below 16 or beyond the `available` bytes.
  case badMessageLength(offset: Int, length: Int, available: Int)
  /// A message of `messageType` was shorter than the fixed header it must start with.
  case truncatedPayload(messageType: UInt16, needed: Int, available: Int)
  /// Fewer than the 4 bytes of an `rtattr` header were left at `offset` of a payload.
  case truncatedAttribute(offset: Int, available: Int)
  /// An attribute gave an `rta_len` below 4 or beyond the `available` bytes.
  case badAttributeLength(type: UInt16, length: Int, available: Int)
  /// An attribute's payload had `actual` bytes where its type needs `expected`.
  case badAttributeSize(type: UInt16, expected: Int, actual: Int)
  /// A message of `messageType` lacked the attribute `type` that it must carry.
  case missingAttribute(type: UInt16, messageType: UInt16)
  /// A message of `type` came where another kind of message was expected.
  case unexpectedMessageType(UInt16)

  /// Names the fault with its numbers, like "attribute 3 has length 40 but 12 bytes are left".
  var description: String {
    switch self {
    case .truncatedMessageHeader(let offset, let available):
      "netlink message header at offset \(offset) truncated: \(available) of 16 bytes"
    case .badMessageLength(let offset, let length, let available):
      "netlink message at offset \(offset) has length \(length) but \(available) bytes are left"
    case .truncatedPayload(let messageType, let needed, let available):
      "message type \(messageType) needs a \(needed)-byte header but has \(available) bytes"
    case .truncatedAttribute(let offset, let available):
      "attribute header at offset \(offset) truncated: \(available) of 4 bytes"
    case .badAttributeLength(let type, let length, let available):
      "attribute \(type) has length \(length) but \(available) bytes are left"
    case .badAttributeSize(let type, let expected, let actual):
      "attribute \(type) has \(actual) payload bytes, expected \(expected)"
    case .missingAttribute(let type, let messageType):
      "message type \(messageType) lacks attribute \(type)"
    case .unexpectedMessageType(let type):
      "unexpected message type \(type)"
    }
  }
}
