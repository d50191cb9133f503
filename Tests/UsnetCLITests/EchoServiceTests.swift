import Foundation
import Testing
import UsnetCLI
import UsnetSockets

@Suite("echo service (RFC 862)", .serialized)
struct EchoServiceTests {
  @Test("writes back what arrives, with nodelay, before the client stops writing")
  func echoesAtOnce() throws {
    let pair = try ServicePair()
    let (client, server) = try pair.connect(to: EchoService(), port: 7)
    try client.writeAll(Array("ping".utf8))
    var reply = [UInt8](repeating: 0, count: 4)
    try client.readExact(into: &reply)
    #expect(reply == Array("ping".utf8))
    try client.shutdown(.write)
    #expect(try readToEnd(client).isEmpty)
    #expect(
      try server.join(timeout: .seconds(5))?.get()
        == ConnectionTally(bytesReceived: 4, bytesSent: 4))
  }

  @Test("after the peer's FIN it sends what is pending, then closes")
  func halfClose() throws {
    let pair = try ServicePair()
    let (client, server) = try pair.connect(to: EchoService(), port: 7)
    let payload = testPattern(300_000)
    let writer = ServiceThread(name: "test-writer") { () -> Bool in
      (try? client.writeAll(payload)) != nil && (try? client.shutdown(.write)) != nil
    }
    let echoed = try readToEnd(client)
    #expect(writer.join())
    #expect(echoed == payload)
    let tally = try server.join(timeout: .seconds(5))?.get()
    #expect(tally == ConnectionTally(bytesReceived: 300_000, bytesSent: 300_000))
  }

  @Test("over UDP every datagram comes back to its sender")
  func udp() throws {
    let pair = try ServicePair()
    let socket = try UserspaceUDPSocket.bind(to: .v4(.any, port: 7), on: pair.server)
    let thread = ServiceHost.runEcho(on: socket) { _ in }
    let client = try UserspaceUDPSocket.bind(to: .v4(.any, port: 0), on: pair.client)
    try client.setReadTimeout(.seconds(5))
    for text in ["one", "two", "three"] {
      _ = try client.send(Array(text.utf8), to: .v4(ServicePair.serverIP, port: 7))
      var buffer = [UInt8](repeating: 0, count: 64)
      let (count, peer) = try client.receiveFrom(into: &buffer)
      #expect(Array(buffer[0..<count]) == Array(text.utf8))
      #expect(peer == .v4(ServicePair.serverIP, port: 7))
    }
    socket.close()
    pair.server.shutdown()
    #expect(thread.join(timeout: .seconds(5)) != nil)
  }
}
