import Testing
import UsnetSockets
import UsnetStack
import UsnetWire

@Suite("Userspace SO_LINGER")
struct UserspaceLingerTests {
  @Test("linger zero: closing resets the connection, the peer reads connectionReset")
  func lingerZeroResets() throws {
    let pair = try UserspacePair()
    let (client, server) = try pair.connectedStreams(port: 91)
    try client.setLinger(.zero)
    client.close()
    var buffer = [UInt8](repeating: 0, count: 16)
    #expect { _ = try server.read(into: &buffer) } throws: {
      ($0 as? NetError)?.kind == .connectionReset
    }
  }

  @Test("linger with a time: the last close returns once the data and FIN are acknowledged")
  func lingerWaitsForAcknowledgment() throws {
    let pair = try UserspacePair()
    let (client, server) = try pair.connectedStreams(port: 92)
    try client.setLinger(.seconds(5))
    let payload = [UInt8](repeating: 0x42, count: 100_000)
    try client.writeAll(payload)
    let clock = ContinuousClock()
    let start = clock.now
    client.close()
    #expect(clock.now - start < .seconds(5))
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = try server.read(into: &buffer)
      if count == 0 { break }
      received += buffer[0..<count]
    }
    #expect(received == payload)
  }
}
