import UsnetSockets

/// The echo service (RFC 862): writes back whatever arrives.
///
/// Over TCP it turns on `TCP_NODELAY` so each echo leaves at once; when the peer's FIN arrives
/// it sends what is still pending and closes. Over UDP it answers every datagram with the same
/// bytes to its sender.
public struct EchoService: TCPService {
  /// `echo`.
  public var name: String { "echo" }

  /// The service.
  public init() {}

  /// Echoes until the peer's FIN, then closes. Blocks the calling thread.
  public func serve<Stream: TCPStreamProtocol>(
    _ stream: Stream
  ) throws(NetError) -> ConnectionTally {
    defer { stream.close() }
    var tally = ConnectionTally()
    try stream.setNoDelay(true)
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = try stream.readRetrying(into: &buffer)
      if count == 0 { return tally }
      tally.bytesReceived += count
      try stream.writeAll(buffer, range: 0..<count)
      tally.bytesSent += count
    }
  }

  /// Answers every datagram on `socket` with its own bytes, until receiving fails (the socket
  /// was closed or the stack stopped); a reply that cannot be sent is skipped. Blocks the
  /// calling thread.
  ///
  /// - Throws: the error that ended receiving.
  public func serve<Socket: UDPSocketProtocol>(
    datagramsOn socket: Socket
  ) throws(NetError) -> Never {
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let count: Int
      let peer: SocketAddress
      do throws(NetError) {
        (count, peer) = try socket.receiveFrom(into: &buffer)
      } catch {
        if error.kind == .interrupted || error.kind == .wouldBlock { continue }
        throw error
      }
      _ = try? socket.send(Array(buffer[0..<count]), to: peer)
    }
  }
}
