import UsnetSim
import UsnetSockets

/// An HTTP/1.0 GET over a connected stream, with the body counted and hashed as it arrives
/// (never held whole): what `usnet demo`'s client does.
public struct HTTPFetch: Sendable, Hashable {
  /// Bytes of the request written.
  public var requestBytes: Int
  /// The parsed response head, or nil when it was malformed or missing.
  public var head: HTTPMessage.ResponseHead?
  /// Bytes of the response head, blank line included.
  public var headBytes: Int
  /// Bytes of body received (everything after the head until the end of the stream).
  public var bodyBytes: Int
  /// The SHA-256 of the body, in hex.
  public var bodyDigest: String

  /// All response bytes read.
  public var responseBytes: Int { headBytes + bodyBytes }

  /// Sends `GET path HTTP/1.0` with a `Host` header on `stream`, half-closes nothing, and reads
  /// the response until the server closes. Blocks the calling thread; the stream's read
  /// timeout bounds each read. Does not close the stream.
  ///
  /// - Throws: the socket error that ended the exchange; `unexpectedEof` when the stream ended
  ///   before the head was complete, `other` when the head grew beyond
  ///   ``HTTPService/maximumHeadBytes``.
  public static func get<Stream: TCPStreamProtocol>(
    _ path: String, host: String, on stream: Stream
  ) throws(NetError) -> HTTPFetch {
    let request = Array("GET \(path) HTTP/1.0\r\nHost: \(host)\r\nUser-Agent: usnet\r\n\r\n".utf8)
    try stream.writeAll(request)
    var head: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    var hash = SHA256()
    var bodyBytes = 0
    var headEnd: Int?
    while true {
      let count = try stream.readRetrying(into: &buffer)
      if count == 0 { break }
      if headEnd != nil {
        hash.update(buffer, range: 0..<count)
        bodyBytes += count
        continue
      }
      head += buffer[0..<count]
      if let end = HTTPMessage.headEnd(in: head) {
        headEnd = end
        hash.update(head, range: end..<head.count)
        bodyBytes = head.count - end
        head.removeSubrange(end...)
      } else if head.count > HTTPService.maximumHeadBytes {
        throw NetError(.other, message: "the response head exceeds 64 KiB")
      }
    }
    guard let headEnd else {
      throw NetError(
        .unexpectedEof,
        message: "the server closed after \(head.count) bytes, before the head ended")
    }
    return HTTPFetch(
      requestBytes: request.count, head: HTTPMessage.responseHead(head), headBytes: headEnd,
      bodyBytes: bodyBytes, bodyDigest: hash.hexDigest())
  }
}
