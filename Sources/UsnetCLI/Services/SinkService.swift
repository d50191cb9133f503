import UsnetSockets

/// The sink service: reads and counts until the peer's FIN, then writes the count in decimal
/// and a newline (`1000000\n`) and closes. A sender half-closes and reads the line to learn
/// how much arrived.
public struct SinkService: TCPService {
  /// `sink`.
  public var name: String { "sink" }

  /// The service.
  public init() {}

  /// Counts until the end of the stream, writes the count line, closes. Blocks the calling
  /// thread.
  public func serve<Stream: TCPStreamProtocol>(
    _ stream: Stream
  ) throws(NetError) -> ConnectionTally {
    defer { stream.close() }
    var tally = ConnectionTally()
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = try stream.readRetrying(into: &buffer)
      if count == 0 { break }
      tally.bytesReceived += count
    }
    let line = Array("\(tally.bytesReceived)\n".utf8)
    try stream.writeAll(line)
    tally.bytesSent = line.count
    return tally
  }
}
