import Testing
import UsnetCLI
import UsnetSockets

@Suite("source service", .serialized)
struct SourceServiceTests {
  /// Reads at least `count` bytes and checks they are the pattern from its start.
  static func expectPattern(from client: UserspaceTCPStream, count: Int) throws {
    var received = [UInt8](repeating: 0, count: count)
    try client.readExact(into: &received)
    let pattern = SourceService.pattern
    #expect(received.indices.allSatisfy { received[$0] == pattern[$0 % pattern.count] })
  }

  @Test("writes the pattern until the peer closes")
  func stopsOnClose() throws {
    let pair = try ServicePair()
    let (client, server) = try pair.connect(to: SourceService(), port: 5002)
    try Self.expectPattern(from: client, count: 100_000)
    client.close()
    let tally = try server.join(timeout: .seconds(10))?.get()
    #expect((tally?.bytesSent ?? 0) >= 100_000)
  }

  @Test("stops when the peer only half-closes")
  func stopsOnHalfClose() throws {
    let pair = try ServicePair()
    let (client, server) = try pair.connect(to: SourceService(), port: 5002)
    try Self.expectPattern(from: client, count: 20_000)
    try client.writeAll(Array("bye".utf8))
    try client.shutdown(.write)
    let drained = ServiceThread(name: "test-drain") { () -> Int in
      (try? readToEnd(client).count) ?? -1
    }
    let tally = try server.join(timeout: .seconds(10))?.get()
    #expect(tally?.bytesReceived == 3)
    #expect((drained.join(timeout: .seconds(10)) ?? -1) >= 0)
  }

  @Test("the pattern is RFC 864's rotating lines of 72 printable characters")
  func pattern() {
    let pattern = SourceService.pattern
    #expect(pattern.count == 95 * 74)
    #expect(String(decoding: pattern[0..<74], as: UTF8.self).hasPrefix(" !\"#$%&'()*+,-./0123"))
    #expect(Array(pattern[72..<74]) == [13, 10])
    #expect(pattern[74] == UInt8(ascii: "!"))
  }
}
