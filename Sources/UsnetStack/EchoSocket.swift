import UsnetWire

/// Identifies an ICMP echo socket inside one ``NetworkStack`` (a ping socket, as Linux's
/// `SOCK_DGRAM`/`IPPROTO_ICMP`: the stack picks the echo identifier and hands the socket the
/// replies that carry it).
public struct EchoSocketID: Hashable, Sendable, CustomStringConvertible {
  /// The slot in the stack's echo socket table.
  public let index: Int
  /// The slot's generation when this handle was issued.
  public let generation: UInt32

  /// A textual form for logs, like `echo#0.1`.
  public var description: String { "echo#\(index).\(generation)" }
}

/// An ICMP echo reply received by an echo socket.
public struct EchoReply: Hashable, Sendable {
  /// Who answered.
  public var source: IPv4Address
  /// The sequence number the request carried.
  public var sequence: UInt16
  /// The data the reply carried (the request's data, from a well-behaved peer).
  public var payload: [UInt8]
  /// The TTL the reply arrived with.
  public var timeToLive: UInt8

  /// Creates a reply record.
  public init(source: IPv4Address, sequence: UInt16, payload: [UInt8], timeToLive: UInt8) {
    self.source = source
    self.sequence = sequence
    self.payload = payload
    self.timeToLive = timeToLive
  }
}

/// An echo socket: its identifier and a bounded queue of the replies that carry it.
final class EchoSocket {
  /// The most replies kept unread; later ones are dropped and counted.
  static let queueLimit = 64

  let id: EchoSocketID
  let identifier: UInt16
  var replies = FIFO<EchoReply>()
  var queued = 0

  init(id: EchoSocketID, identifier: UInt16) {
    self.id = id
    self.identifier = identifier
  }
}
