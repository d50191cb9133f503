import Testing
import UsnetSim
import UsnetStack
import UsnetWire

@Suite("Virtual switch")
struct VirtualSwitchTests {
  @Test("unknown destinations flood, learned ones go to one port, broadcast reaches all others")
  func learningAndFlooding() {
    let simulation = Simulation(seed: 1)
    let endpoints = (0..<3).map { _ in RecordingEndpoint() }
    for endpoint in endpoints {
      simulation.attach(endpoint, to: simulation.addPort())
    }
    let mac = TestFrames.mac
    // 1 -> 2: 2 is unknown, so ports 1 and 2 get it; the switch learns 1 on port 0.
    endpoints[0].outbox.append(TestFrames.ethernet(from: mac(1), to: mac(2), sequence: 1))
    simulation.advance(by: .milliseconds(1))
    #expect(endpoints.map(\.received.count) == [0, 1, 1])
    #expect(simulation.virtualSwitch.port(of: mac(1)) == 0)
    #expect(simulation.virtualSwitch.framesFlooded == 1)
    // 2 answers 1: learned, so only port 0.
    endpoints[1].outbox.append(TestFrames.ethernet(from: mac(2), to: mac(1), sequence: 2))
    simulation.advance(by: .milliseconds(1))
    #expect(endpoints.map(\.received.count) == [1, 1, 1])
    #expect(simulation.virtualSwitch.port(of: mac(2)) == 1)
    // 1 -> 2 again: now only port 1.
    endpoints[0].outbox.append(TestFrames.ethernet(from: mac(1), to: mac(2), sequence: 3))
    simulation.advance(by: .milliseconds(1))
    #expect(endpoints.map(\.received.count) == [1, 2, 1])
    // Broadcast from port 2 reaches ports 0 and 1, never its own.
    endpoints[2].outbox.append(TestFrames.ethernet(from: mac(3), to: .broadcast, sequence: 4))
    simulation.advance(by: .milliseconds(1))
    #expect(endpoints.map(\.received.count) == [2, 3, 1])
    // A frame for a MAC behind its own ingress port is filtered.
    endpoints[2].outbox.append(TestFrames.ethernet(from: mac(9), to: mac(3), sequence: 5))
    simulation.advance(by: .milliseconds(1))
    #expect(endpoints.map(\.received.count) == [2, 3, 1])
    #expect(simulation.virtualSwitch.framesFiltered == 1)
    // A station that moves is relearned on its new port.
    endpoints[2].outbox.append(TestFrames.ethernet(from: mac(1), to: mac(2), sequence: 6))
    simulation.advance(by: .milliseconds(1))
    #expect(simulation.virtualSwitch.port(of: mac(1)) == 2)
  }

  @Test("scheduled actions run in time order, ties in scheduling order")
  func scheduledActionOrder() {
    let simulation = Simulation(seed: 1)
    var log: [String] = []
    simulation.schedule(at: .milliseconds(5)) { _ in log.append("c") }
    simulation.schedule(at: .milliseconds(1)) { _ in log.append("a") }
    simulation.schedule(at: .milliseconds(5)) { _ in log.append("d") }
    simulation.schedule(at: .milliseconds(2)) { simulation in
      log.append("b@\(simulation.now)")
    }
    simulation.advance(by: .milliseconds(10))
    #expect(log == ["a", "b@0.002000000s", "c", "d"])
    #expect(simulation.now == .milliseconds(10))
  }
}

@Suite("MTU")
struct MTUTests {
  @Test("a frame above the MTU is dropped silently with the drop policy")
  func dropPolicy() {
    let net = TwoPorts()
    net.portB.mtu = 1280
    net.a.outbox = [
      TestFrames.ipv4(from: TestFrames.mac(1), to: TestFrames.mac(2), ipLength: 1281),
      TestFrames.ipv4(from: TestFrames.mac(1), to: TestFrames.mac(2), ipLength: 1280),
    ]
    net.simulation.advance(by: .milliseconds(10))
    #expect(net.b.received.map(\.frame.count) == [1294])
    #expect(net.a.received.isEmpty)
    #expect(net.portB.toEndpointCounters.mtuDrops == 1)
    #expect(net.portB.toEndpointCounters.fragmentationNeededSent == 0)
  }

  @Test("like a router, the switch answers DF packets above the MTU with ICMP code 4")
  func fragmentationNeeded() throws {
    let net = TwoPorts()
    net.portB.mtu = 1280
    net.portB.mtuPolicy = .fragmentationNeeded
    let big = TestFrames.ipv4(from: TestFrames.mac(1), to: TestFrames.mac(2), ipLength: 1400)
    net.a.outbox = [
      big,
      TestFrames.ipv4(
        from: TestFrames.mac(1), to: TestFrames.mac(2), ipLength: 1400, dontFragment: false),
    ]
    net.simulation.advance(by: .milliseconds(10))
    #expect(net.b.received.isEmpty)
    #expect(net.portB.toEndpointCounters.mtuDrops == 2)
    #expect(net.portB.toEndpointCounters.fragmentationNeededSent == 1)
    try #require(net.a.received.count == 1)
    let answer = net.a.received[0].frame
    let (ethernet, payload) = try EthernetHeader.parse(answer, in: 0..<answer.count)
    #expect(ethernet.destination == TestFrames.mac(1))
    #expect(ethernet.source == net.simulation.virtualSwitch.routerMAC)
    let (ip, ipPayload) = try IPv4Header.parse(answer, in: payload)
    #expect(ip.source == net.simulation.virtualSwitch.routerAddress)
    #expect(ip.destination == IPv4Address(198, 18, 0, 1))
    #expect(ip.protocol == .icmp)
    let (icmp, quoted) = try ICMPv4Packet.parse(answer, in: ipPayload)
    #expect(icmp.message == .destinationUnreachable(.fragmentationNeeded, nextHopMTU: 1280))
    // The quote is the IPv4 header and the first 8 payload bytes.
    #expect(Array(answer[quoted]) == Array(big[14..<(14 + 28)]))
  }

  @Test("a scheduled MTU change takes effect at its time")
  func scheduledChange() {
    let net = TwoPorts()
    net.simulation.scheduleMTUChange(of: net.portB, to: 1280, at: .milliseconds(50))
    let a = net.a
    for index in 0..<10 {
      net.simulation.schedule(at: .milliseconds(Int64(index) * 10 + 5)) { _ in
        a.outbox.append(
          TestFrames.ipv4(from: TestFrames.mac(1), to: TestFrames.mac(2), ipLength: 1500))
      }
    }
    net.simulation.advance(by: .milliseconds(200))
    #expect(net.b.received.count == 5)
    #expect(net.b.received.allSatisfy { $0.time < .milliseconds(50) })
    #expect(net.portB.mtu == 1280)
  }
}

@Suite("Determinism")
struct DeterminismTests {
  static func capturedRun(seed: UInt64) -> (TransferResult, [CapturedFrame]) {
    let capture = InMemoryCapture()
    var scenario = TransferScenario(
      bytes: 1_000_000, rtt: .milliseconds(20),
      impairments: LinkImpairments(
        loss: .bernoulli(0.02), jitter: .milliseconds(1), reorderProbability: 0.02,
        duplicationProbability: 0.02, corruptionProbability: 0.01,
        rateBitsPerSecond: 50_000_000, queueBytes: 32_000),
      seed: seed)
    scenario.mtuChanges = [(after: .milliseconds(300), mtu: 1280)]
    scenario.captures = [capture]
    return (scenario.run(), capture.frames)
  }

  @Test("the same seed gives a byte-identical capture; another seed does not")
  func sameSeedSameCapture() {
    let (first, firstFrames) = Self.capturedRun(seed: 42)
    let (second, secondFrames) = Self.capturedRun(seed: 42)
    let (_, otherFrames) = Self.capturedRun(seed: 43)
    #expect(first.payloadIntact && second.payloadIntact)
    #expect(firstFrames.count > 1_000)
    #expect(firstFrames == secondFrames)
    #expect(first.completionTime == second.completionTime)
    #expect(first.retransmissions == second.retransmissions)
    #expect(firstFrames != otherFrames)
    // Both directions of both ports are seen.
    let kinds = Set(firstFrames.map { "\($0.port)\($0.direction)" })
    #expect(kinds.count == 4)
  }
}
