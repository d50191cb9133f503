import UsnetSockets

/// The source service: writes a pattern (RFC 864's rotating lines of printable ASCII) until
/// the peer closes or resets the connection, then closes.
///
/// A helper thread reads the connection meanwhile: when the peer's FIN arrives it shuts down
/// writing, which ends the writer with `brokenPipe`; a reset ends both. So a peer that only
/// half-closes stops the source too.
public struct SourceService: TCPService {
  /// `source`.
  public var name: String { "source" }

  /// One period of the pattern: 95 lines of 72 characters and CRLF.
  public static let pattern: [UInt8] = {
    let printable = [UInt8](32...126)
    var bytes: [UInt8] = []
    for line in 0..<printable.count {
      for column in 0..<72 {
        bytes.append(printable[(line + column) % printable.count])
      }
      bytes += [13, 10]
    }
    return bytes
  }()

  /// The service.
  public init() {}

  /// Writes the pattern until the peer closes or resets, then closes. Blocks the calling
  /// thread; starts one helper thread per connection.
  ///
  /// - Throws: a write error other than the peer's close (`brokenPipe`, `connectionReset`,
  ///   `connectionAborted`), or the clone's error.
  public func serve<Stream: TCPStreamProtocol>(
    _ stream: Stream
  ) throws(NetError) -> ConnectionTally {
    defer { stream.close() }
    let watcher = try stream.tryClone()
    let reader = ServiceThread(name: "usnet-source-reader") { () -> Int in
      defer { watcher.close() }
      var received = 0
      var buffer = [UInt8](repeating: 0, count: 4096)
      while let count = try? watcher.readRetrying(into: &buffer), count > 0 {
        received += count
      }
      try? watcher.shutdown(.write)
      return received
    }
    var tally = ConnectionTally()
    let pattern = Self.pattern
    var offset = 0
    var failure: NetError?
    writing: while true {
      do throws(NetError) {
        let count = try stream.write(pattern, range: offset..<pattern.count)
        guard count > 0 else {
          failure = NetError(.writeZero, message: "failed to write whole buffer")
          break writing
        }
        tally.bytesSent += count
        offset = (offset + count) % pattern.count
      } catch {
        switch error.kind {
        case .interrupted: continue writing
        case .brokenPipe, .connectionReset, .connectionAborted: break writing
        default:
          failure = error
          break writing
        }
      }
    }
    try? stream.shutdown(.read)
    tally.bytesReceived = reader.join()
    if let failure { throw failure }
    return tally
  }
}
