import Testing
import UsnetCLI
import UsnetSockets

@Suite("sink and discard services", .serialized)
struct SinkServiceTests {
  @Test("sink counts until EOF, then writes the count and a newline and closes")
  func countLine() throws {
    let pair = try ServicePair()
    let (client, server) = try pair.connect(to: SinkService(), port: 5001)
    try client.writeAll(testPattern(123_456))
    try client.shutdown(.write)
    #expect(String(decoding: try readToEnd(client), as: UTF8.self) == "123456\n")
    let tally = try server.join(timeout: .seconds(5))?.get()
    #expect(tally == ConnectionTally(bytesReceived: 123_456, bytesSent: 7))
  }

  @Test("sink answers 0 for an empty stream")
  func empty() throws {
    let pair = try ServicePair()
    let (client, _) = try pair.connect(to: SinkService(), port: 5001)
    try client.shutdown(.write)
    #expect(String(decoding: try readToEnd(client), as: UTF8.self) == "0\n")
  }

  @Test("discard reads everything, writes nothing, closes after EOF")
  func discard() throws {
    let pair = try ServicePair()
    let (client, server) = try pair.connect(to: DiscardService(), port: 9)
    try client.writeAll(testPattern(50_000))
    try client.shutdown(.write)
    #expect(try readToEnd(client).isEmpty)
    #expect(try server.join(timeout: .seconds(5))?.get() == ConnectionTally(bytesReceived: 50_000))
  }
}
