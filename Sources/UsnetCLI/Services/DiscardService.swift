import UsnetSockets

/// The discard service (RFC 863): reads and drops everything until the peer's FIN, then closes.
public struct DiscardService: TCPService {
  /// `discard`.
  public var name: String { "discard" }

  /// The service.
  public init() {}

  /// Reads until the end of the stream, then closes. Blocks the calling thread.
  public func serve<Stream: TCPStreamProtocol>(
    _ stream: Stream
  ) throws(NetError) -> ConnectionTally {
    defer { stream.close() }
    var tally = ConnectionTally()
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = try stream.readRetrying(into: &buffer)
      if count == 0 { return tally }
      tally.bytesReceived += count
    }
  }
}
