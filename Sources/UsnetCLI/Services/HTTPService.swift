import UsnetSockets

/// A minimal HTTP/1.0 server: reads the request up to its blank line, answers
/// `200 OK` with `Content-Length`, `Connection: close` and the body, whatever was asked, and
/// closes.
///
/// A request whose head exceeds ``maximumHeadBytes`` or ends before its blank line gets no
/// answer; the connection is closed.
public struct HTTPService: TCPService {
  /// `http`.
  public var name: String { "http" }

  /// The body every answer carries.
  public let body: [UInt8]
  /// The `Content-Type` of the body.
  public let contentType: String

  /// The most bytes of request head read before giving up.
  public static let maximumHeadBytes = 65536

  /// The body of `usnet serve --http`.
  public static let defaultBody = Array(
    "Hello from usnet, a memory-safe userspace TCP/IP stack in Swift.\n".utf8)

  /// A service answering with `body` of type `contentType`.
  public init(
    body: [UInt8] = HTTPService.defaultBody, contentType: String = "text/plain; charset=utf-8"
  ) {
    self.body = body
    self.contentType = contentType
  }

  /// The response head for this service's body: status line and headers, ending with the
  /// blank line. Pure.
  public var responseHead: [UInt8] {
    Array(
      ("HTTP/1.0 200 OK\r\nServer: usnet\r\nContent-Type: \(contentType)\r\n"
        + "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n").utf8)
  }

  /// Reads the request head, answers, closes. Blocks the calling thread.
  public func serve<Stream: TCPStreamProtocol>(
    _ stream: Stream
  ) throws(NetError) -> ConnectionTally {
    defer { stream.close() }
    var tally = ConnectionTally()
    var head: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while HTTPMessage.headEnd(in: head) == nil {
      guard head.count < Self.maximumHeadBytes else { return tally }
      let count = try stream.readRetrying(into: &buffer)
      if count == 0 { return tally }
      tally.bytesReceived += count
      head += buffer[0..<count]
    }
    let response = responseHead
    try stream.writeAll(response)
    try stream.writeAll(body)
    tally.bytesSent = response.count + body.count
    return tally
  }
}
