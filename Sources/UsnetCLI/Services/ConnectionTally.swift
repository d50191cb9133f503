/// The bytes one connection carried, as a service saw them. A plain value.
public struct ConnectionTally: Sendable, Hashable {
  /// Bytes read from the peer.
  public var bytesReceived = 0
  /// Bytes written to the peer.
  public var bytesSent = 0

  /// A tally of `bytesReceived` and `bytesSent`.
  public init(bytesReceived: Int = 0, bytesSent: Int = 0) {
    self.bytesReceived = bytesReceived
    self.bytesSent = bytesSent
  }
}
