import Testing
import UsnetSockets
import UsnetStack
import UsnetWire

/// DNS through the userspace stack: the resolver's queries leave through one runtime's
/// userspace UDP and reach a responder on a second runtime over an in-memory link, so every
/// byte crosses two usnet stacks (ARP included) and no kernel socket.
@Suite("Resolver over the userspace stack")
struct UserspaceResolverTests {
  static let clientIP = IPv4Address(198, 18, 0, 1)
  static let serverIP = IPv4Address(198, 18, 0, 53)
  static let web = IPv4Address(198, 51, 100, 80)

  static func configuration(mac: UInt8, ip: IPv4Address) -> StackConfiguration {
    let networks = [IPv4Network(address: ip, prefixLength: 24)].compactMap { $0 }
    return StackConfiguration(
      interface: InterfaceConfiguration(
        macAddress: MACAddress(0x02, 0, 0, 0, 0x53, mac), addresses: networks))
  }

  @Test("a dropped query, a wrong id and a spoofed port, then the answer, all through the stack")
  func throughTheStack() throws {
    let devices = MemoryDevicePair()
    let client = try UserspaceRuntime(
      configuration: Self.configuration(mac: 1, ip: Self.clientIP), device: devices.a)
    let server = try UserspaceRuntime(
      configuration: Self.configuration(mac: 2, ip: Self.serverIP), device: devices.b)
    defer {
      client.shutdown()
      server.shutdown()
      devices.disconnect()
    }
    let bindOnServer = { (address: SocketAddress) throws(NetError) in
      try UserspaceUDPSocket.bind(to: address, on: server)
    }
    let responder = try LocalDNSResponder(at: .v4(Self.serverIP, port: 53), bind: bindOnServer) {
      query, index in
      let name = query.questions.first?.name.description ?? ""
      let evil = [aRecord(name, IPv4Address(203, 0, 113, 66))]
      let good = [cnameRecord(name, "edge.example.net"), aRecord("edge.example.net", Self.web)]
      guard index > 0 else { return [] }
      return [
        (.server, dnsAnswer(to: query, records: evil, id: query.header.id &+ 1)),
        (.spoofer, dnsAnswer(to: query, records: evil)),
        (.server, dnsAnswer(to: query, records: good)),
      ]
    }
    defer { responder.stop() }
    let resolver = Resolver(
      runtime: client,
      configuration: ResolverConfiguration(
        servers: [.v4(Self.serverIP, port: 53)], timeout: .milliseconds(400), attempts: 3),
      hostname: "client")
    let start = ContinuousClock.now
    #expect(
      try "www.example.com:443".socketAddresses(using: resolver)
        == [.v4(Self.web, port: 443)])
    let elapsed = ContinuousClock.now - start
    #expect(elapsed >= .milliseconds(400) && elapsed < .seconds(4), "\(elapsed)")
    #expect(responder.received.count == 2)
    #expect(try "client:80".socketAddresses(using: resolver) == [.v4(Self.clientIP, port: 80)])
    #expect(responder.received.count == 2)
  }
}
