/// A snapshot of one TCP connection's state, for sockets, tests and diagnostics.
public struct TCPConnectionInfo: Sendable, Hashable {
  /// The connection's addresses and ports.
  public var tuple: FourTuple
  /// The RFC 9293 state.
  public var state: TCPState
  /// Why the connection failed, if it did.
  public var error: TCPConnectionError?
  /// Bytes the application can read now.
  public var bytesReadable: Int
  /// The receive buffer's current size: the most the peer may have outstanding for us
  /// (grows with ``TCPConfiguration/receiveBufferAutotuning``).
  public var receiveBufferSize: Int
  /// Free space in the send buffer.
  public var sendBufferSpace: Int
  /// Bytes queued but not yet acknowledged.
  public var bytesUnacknowledged: Int
  /// The peer's FIN has arrived.
  public var peerClosed: Bool
  /// Data, end of stream or an error is waiting for a read.
  public var isReadable: Bool
  /// A write would take at least one byte.
  public var isWritable: Bool
  /// The MSS used for sending.
  public var sendMSS: Int
  /// The congestion window in bytes.
  public var congestionWindow: Int
  /// The slow start threshold in bytes (`Int32.max` until the first loss).
  public var slowStartThreshold: Int
  /// Whether a loss recovery episode (fast recovery) is under way.
  public var isInRecovery: Bool
  /// The current retransmission timeout, backoff included.
  public var retransmissionTimeout: Duration
  /// The smoothed round-trip time, once measured.
  public var smoothedRTT: Duration?

  init(_ connection: TCPConnection) {
    tuple = connection.tuple
    state = connection.state
    error = connection.error
    bytesReadable = connection.receiveBuffer.count
    receiveBufferSize = connection.receiveBuffer.capacity
    sendBufferSpace = connection.sendBuffer.freeSpace
    bytesUnacknowledged = connection.sendBuffer.count
    peerClosed = connection.finReceived
    isReadable = connection.isReadable
    isWritable = connection.isWritable
    sendMSS = connection.sendMSS
    congestionWindow = connection.congestion.congestionWindow
    slowStartThreshold = connection.congestion.slowStartThreshold
    isInRecovery = connection.lossRecovery.inRecovery
    retransmissionTimeout = connection.rto.current
    smoothedRTT = connection.rto.smoothedRTT.map { .nanoseconds($0) }
  }
}
