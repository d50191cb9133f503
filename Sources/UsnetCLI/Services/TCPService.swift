import UsnetSockets

/// A test service of `usnet serve`: what it does with one accepted TCP connection.
///
/// Services work on any ``TCPStreamProtocol`` (userspace, single-thread or kernel sockets).
/// Threading: a service value is immutable and `Sendable`; ``serve(_:)`` may run on many
/// threads at once, one connection each.
public protocol TCPService: Sendable {
  /// The service's name in logs, like `echo`.
  var name: String { get }

  /// Serves one accepted connection until the service is done with it, then closes it.
  /// Blocks the calling thread for the whole conversation.
  ///
  /// - Returns: the bytes read from and written to the peer.
  /// - Throws: the first socket error that ended the conversation early (the stream is closed
  ///   all the same).
  func serve<Stream: TCPStreamProtocol>(_ stream: Stream) throws(NetError) -> ConnectionTally
}
