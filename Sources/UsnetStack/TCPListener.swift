import UsnetWire

/// A passive TCP endpoint with a SYN queue (half-open connections) and an accept queue
/// (established, not yet accepted), each bounded by the backlog.
final class TCPListener {
  let id: TCPListenerID
  let localAddress: IPv4Address
  let localPort: UInt16
  let backlog: Int
  /// Half-open connections answering a SYN of ours with a SYN-ACK.
  var synQueue: Set<TCPSocketID> = []
  /// Established connections waiting for `accept`.
  var acceptQueue = FIFO<TCPSocketID>()
  /// The TTL accepted connections start with; `nil` uses the stack's.
  var timeToLive: UInt8?

  init(id: TCPListenerID, localAddress: IPv4Address, localPort: UInt16, backlog: Int) {
    self.id = id
    self.localAddress = localAddress
    self.localPort = localPort
    self.backlog = backlog
  }

  /// A SYN can be taken only while both queues have room (Linux drops it otherwise).
  var canTakeSYN: Bool { synQueue.count < backlog && acceptQueue.count < backlog }

  /// Whether one more connection fits the accept queue.
  var acceptQueueHasRoom: Bool { acceptQueue.count < backlog }
}

/// The key listeners are found by: a local address (or `0.0.0.0`) and a port.
struct ListenerKey: Hashable {
  var address: IPv4Address
  var port: UInt16
}
