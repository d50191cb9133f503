import UsnetWire

/// A bound UDP endpoint with a bounded queue of received datagrams.
final class UDPSocket {
  let id: UDPSocketID
  let localAddress: IPv4Address
  let localPort: UInt16
  /// The peer set by `connect`: datagrams from others are dropped, and ICMP errors for it are
  /// reported.
  var connectedPeer: (address: IPv4Address, port: UInt16)?
  var queue = FIFO<ReceivedDatagram>()
  var queuedBytes = 0
  /// An ICMP error for a datagram sent while connected, reported by the next call.
  var pendingError: UnreachableReason?
  /// The IPv4 TTL of this socket's datagrams; `nil` uses the stack's.
  var timeToLive: UInt8?
  /// Whether datagrams carry DF and are never fragmented (Linux's `IP_PMTUDISC_DO`).
  var dontFragment = false

  init(id: UDPSocketID, localAddress: IPv4Address, localPort: UInt16) {
    self.id = id
    self.localAddress = localAddress
    self.localPort = localPort
  }
}

/// A datagram waiting in a ``UDPSocket``'s receive queue.
struct ReceivedDatagram {
  var sourceAddress: IPv4Address
  var sourcePort: UInt16
  var bytes: [UInt8]
}

/// Where a received datagram came from, with its length.
public struct UDPDatagramInfo: Hashable, Sendable {
  /// Bytes copied to the caller (the rest of a longer datagram is discarded, like `recv`).
  public var count: Int
  /// The datagram's full length.
  public var length: Int
  /// The sender's address.
  public var sourceAddress: IPv4Address
  /// The sender's port.
  public var sourcePort: UInt16
}
