import Testing
import UsnetCLI
import UsnetSim
import UsnetSockets

@Suite("HTTP/1.0 service and fetch", .serialized)
struct HTTPServiceTests {
  @Test("answers 200 with Content-Length, Connection: close and the body, then closes")
  func responseShape() throws {
    let pair = try ServicePair()
    let (client, server) = try pair.connect(to: HTTPService(), port: 80)
    try client.writeAll(Array("GET / HTTP/1.0\r\nHost: x\r\n\r\n".utf8))
    let response = try readToEnd(client)
    let end = try #require(HTTPMessage.headEnd(in: response))
    let head = try #require(HTTPMessage.responseHead(Array(response[0..<end])))
    #expect(head.status == 200)
    #expect(head.contentLength == HTTPService.defaultBody.count)
    #expect(head.value(of: "Connection") == "close")
    #expect(Array(response[end...]) == HTTPService.defaultBody)
    #expect(String(decoding: response[0..<17], as: UTF8.self) == "HTTP/1.0 200 OK\r\n")
    let tally = try server.join(timeout: .seconds(5))?.get()
    #expect(tally?.bytesSent == response.count)
  }

  @Test("HTTPFetch reads a large body, counting and hashing it")
  func fetch() throws {
    let pair = try ServicePair()
    let body = testPattern(1_000_000)
    let (client, _) = try pair.connect(to: HTTPService(body: body), port: 80)
    let fetch = try HTTPFetch.get("/", host: "198.18.0.2", on: client)
    #expect(fetch.head?.status == 200)
    #expect(fetch.head?.contentLength == 1_000_000)
    #expect(fetch.bodyBytes == 1_000_000)
    var hash = SHA256()
    hash.update(body)
    #expect(fetch.bodyDigest == hash.hexDigest())
  }

  @Test("a request that ends before its blank line gets no answer")
  func truncatedRequest() throws {
    let pair = try ServicePair()
    let (client, server) = try pair.connect(to: HTTPService(), port: 80)
    try client.writeAll(Array("GET / HTTP/1.0\r\n".utf8))
    try client.shutdown(.write)
    #expect(try readToEnd(client).isEmpty)
    #expect(try server.join(timeout: .seconds(5))?.get().bytesSent == 0)
  }

  @Test("head parsing: CRLF and bare LF, malformed status lines")
  func parsing() {
    #expect(HTTPMessage.headEnd(in: Array("a\r\n\r\nb".utf8)) == 5)
    #expect(HTTPMessage.headEnd(in: Array("a\n\nb".utf8)) == 3)
    #expect(HTTPMessage.headEnd(in: Array("a\r\nb\r\n".utf8)) == nil)
    let head = HTTPMessage.responseHead(
      Array("HTTP/1.1 404 Not Found\r\nContent-Length: 12\r\n".utf8))
    #expect(head?.status == 404)
    #expect(head?.contentLength == 12)
    #expect(HTTPMessage.responseHead(Array("SSH-2.0 x\r\n".utf8)) == nil)
    #expect(HTTPMessage.responseHead(Array("HTTP/1.0 20 OK\r\n".utf8)) == nil)
    #expect(HTTPMessage.responseHead([]) == nil)
  }
}
