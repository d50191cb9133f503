import Testing
import UsnetSim
import UsnetStack
import UsnetWire

@Suite("Path MTU through the switch")
struct PathMTUTests {
  @Test("ICMP fragmentation needed shrinks the sender's MSS and the data still arrives")
  func fragmentationNeededShrinksMSS() throws {
    let simulation = Simulation(seed: 3)
    var random = SeededRandom(seed: 3)
    func stack(_ mac: MACAddress, _ ip: IPv4Address) throws -> NetworkStack {
      let network = try #require(IPv4Network(address: ip, prefixLength: 24))
      return try NetworkStack(
        configuration: StackConfiguration(
          interface: InterfaceConfiguration(macAddress: mac, addresses: [network])),
        random: &random)
    }
    let a = try stack(TransferScenario.macA, TransferScenario.addressA)
    let b = try stack(TransferScenario.macB, TransferScenario.addressB)
    simulation.attach(a).setImpairments(LinkImpairments(delay: .milliseconds(5)))
    let portB = simulation.attach(b, mtuPolicy: .fragmentationNeeded)
    portB.setImpairments(LinkImpairments(delay: .milliseconds(5)))

    let listener = try b.listen(port: 7, backlog: 1, at: simulation.now)
    let client = try a.connect(to: TransferScenario.addressB, port: 7, at: simulation.now)
    var server: TCPSocketID?
    #expect(
      simulation.run(for: .seconds(5)) {
        if server == nil { server = try? b.accept(listener) }
        return server != nil
      })
    let accepted = try #require(server)
    #expect(a.info(client)?.sendMSS == 1460)
    simulation.scheduleMTUChange(of: portB, to: 1280, at: simulation.now + .milliseconds(100))

    let payload = (0..<500_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
    var sent = 0
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    let done = simulation.run(for: .seconds(30)) {
      if sent < payload.count {
        sent +=
          (try? a.send(client, payload, range: sent..<payload.count, at: simulation.now))
          ?? 0
      }
      while let count = try? b.receive(accepted, into: &buffer, at: simulation.now), count > 0 {
        received.append(contentsOf: buffer[0..<count])
      }
      return received.count == payload.count
    }
    #expect(done)
    #expect(received == payload)
    #expect(a.info(client)?.sendMSS == 1280 - 40)
    #expect(portB.toEndpointCounters.fragmentationNeededSent > 0)
    #expect(a.counters.tcpTimeouts == 0)
  }
}
