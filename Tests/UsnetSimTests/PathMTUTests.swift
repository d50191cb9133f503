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

  /// Two stacks on a switch, A's port plain and B's port with `policy`, both with 5 ms of
  /// delay (and `rate`, if given), connected A to B.
  struct Pair {
    let simulation: Simulation
    let a: NetworkStack
    let b: NetworkStack
    let portB: SwitchPort
    let client: TCPSocketID
    let server: TCPSocketID
  }

  static func connectedPair(
    policy: MTUPolicy, rate: Int? = nil, seed: UInt64 = 3,
    _ adjust: @escaping (inout StackConfiguration) -> Void = { _ in }
  ) throws -> Pair {
    let simulation = Simulation(seed: seed)
    var random = SeededRandom(seed: seed)
    func stack(_ mac: MACAddress, _ ip: IPv4Address) throws -> NetworkStack {
      let network = try #require(IPv4Network(address: ip, prefixLength: 24))
      var configuration = StackConfiguration(
        interface: InterfaceConfiguration(macAddress: mac, addresses: [network]))
      adjust(&configuration)
      return try NetworkStack(configuration: configuration, random: &random)
    }
    let a = try stack(TransferScenario.macA, TransferScenario.addressA)
    let b = try stack(TransferScenario.macB, TransferScenario.addressB)
    var impairments = LinkImpairments(delay: .milliseconds(5))
    impairments.rateBitsPerSecond = rate
    simulation.attach(a).setImpairments(impairments)
    let portB = simulation.attach(b, mtuPolicy: policy)
    portB.setImpairments(impairments)
    let listener = try b.listen(port: 7, backlog: 1, at: simulation.now)
    let client = try a.connect(to: TransferScenario.addressB, port: 7, at: simulation.now)
    var server: TCPSocketID?
    _ = simulation.run(for: .seconds(5)) {
      if server == nil { server = try? b.accept(listener) }
      return server != nil
    }
    return Pair(
      simulation: simulation, a: a, b: b, portB: portB, client: client,
      server: try #require(server))
  }

  /// Sends `payload` from A to B for at most `limit` of virtual time; returns what arrived.
  static func transfer(_ pair: Pair, _ payload: [UInt8], within limit: Duration) -> [UInt8] {
    let simulation = pair.simulation
    var sent = 0
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    _ = simulation.run(for: limit) {
      if sent < payload.count {
        sent +=
          (try? pair.a.send(pair.client, payload, range: sent..<payload.count, at: simulation.now))
          ?? 0
      }
      while let count = try? pair.b.receive(pair.server, into: &buffer, at: simulation.now),
        count > 0
      {
        received.append(contentsOf: buffer[0..<count])
      }
      return received.count == payload.count || pair.a.info(pair.client)?.error != nil
    }
    return received
  }

  @Test("a silent MTU drop (ICMP filtered) mid-transfer: black-hole detection completes it")
  func blackHoleDetected() throws {
    let pair = try Self.connectedPair(policy: .drop)
    #expect(pair.a.info(pair.client)?.sendMSS == 1460)
    pair.simulation.scheduleMTUChange(
      of: pair.portB, to: 1280, at: pair.simulation.now + .milliseconds(100))
    let payload = (0..<1_000_000).map { UInt8(truncatingIfNeeded: $0 &* 13) }
    let received = Self.transfer(pair, payload, within: .seconds(60))
    #expect(received == payload)
    let counters = pair.a.counters
    #expect(counters.tcpPathMTUBlackHoles >= 1)
    #expect(counters.tcpTimeouts >= 2)  // only timeouts reveal a black hole
    #expect(counters.pathMTUUpdates == 0)  // no ICMP came
    #expect(counters.tcpPathMTUProbesSucceeded > 0)  // the search went above 1024
    let mss = try #require(pair.a.info(pair.client)?.sendMSS)
    #expect(mss > 1024 && mss <= 1240)
    #expect(pair.portB.toEndpointCounters.fragmentationNeededSent == 0)
  }

  @Test("the same black hole without probing: the transfer stalls until the connection times out")
  func blackHoleWithoutProbing() throws {
    let pair = try Self.connectedPair(policy: .drop) {
      $0.tcp.pathMTUProbing = false
      $0.tcp.dataRetries = 4
    }
    pair.simulation.scheduleMTUChange(
      of: pair.portB, to: 1280, at: pair.simulation.now + .milliseconds(100))
    let payload = (0..<1_000_000).map { UInt8(truncatingIfNeeded: $0 &* 13) }
    let received = Self.transfer(pair, payload, within: .seconds(60))
    #expect(received.count < payload.count)
    #expect(pair.a.info(pair.client)?.error == .timedOut(lastICMP: nil))
    #expect(pair.a.counters.tcpTimeouts == 4)
    #expect(pair.a.counters.tcpPathMTUBlackHoles == 0)
    #expect(pair.a.info(pair.client)?.sendMSS == 1460)
  }

  @Test("after the black hole heals, the next search (after the probe interval) grows the MSS")
  func blackHoleHeals() throws {
    let pair = try Self.connectedPair(policy: .drop, rate: 8_000_000) {
      $0.tcp.pathMTUProbeInterval = .seconds(1)
    }
    let start = pair.simulation.now
    pair.simulation.scheduleMTUChange(of: pair.portB, to: 1280, at: start + .milliseconds(200))
    pair.simulation.scheduleMTUChange(of: pair.portB, to: 1500, at: start + .seconds(2))
    let payload = (0..<4_000_000).map { UInt8(truncatingIfNeeded: $0 &* 11) }
    let received = Self.transfer(pair, payload, within: .seconds(60))
    #expect(received == payload)
    #expect(pair.a.counters.tcpPathMTUBlackHoles >= 1)
    let mss = try #require(pair.a.info(pair.client)?.sendMSS)
    #expect(mss > 1400)
  }

  @Test("ICMP fragmentation needed lowers the path MTU cache; it expires and the MSS grows back")
  func fragmentationNeededExpires() throws {
    let pair = try Self.connectedPair(policy: .fragmentationNeeded, rate: 8_000_000) {
      $0.pathMTU.entryLifetime = .seconds(2)
    }
    let start = pair.simulation.now
    pair.simulation.scheduleMTUChange(of: pair.portB, to: 1280, at: start + .milliseconds(200))
    pair.simulation.scheduleMTUChange(of: pair.portB, to: 1500, at: start + .seconds(1))
    let payload = (0..<4_000_000).map { UInt8(truncatingIfNeeded: $0 &* 5) }
    let received = Self.transfer(pair, payload, within: .seconds(60))
    #expect(received == payload)
    let counters = pair.a.counters
    #expect(counters.pathMTUUpdates == 1)
    #expect(counters.pathMTUExpirations == 1)
    #expect(pair.a.info(pair.client)?.sendMSS == 1460)
  }
}
