import Foundation
import Testing
import UsnetSim
import UsnetSockets
import UsnetStack
import UsnetWire

@Suite("RealTimeSwitch: a UsnetSim switch in real time behind FrameDevices", .serialized)
struct RealTimeSwitchTests {
  /// A frame from `source` to `destination` (EtherType 0x88B5, local experimental) whose
  /// payload starts with `index` in big-endian order.
  static func frame(from source: UInt8, to destination: UInt8, index: Int) -> [UInt8] {
    var bytes: [UInt8] = [2, 0, 0, 0, 0, destination, 2, 0, 0, 0, 0, source, 0x88, 0xB5]
    bytes += [UInt8(truncatingIfNeeded: index >> 8), UInt8(truncatingIfNeeded: index)]
    bytes += [UInt8](repeating: 0x5A, count: 46)
    return bytes
  }

  /// The indices of the frames `device` receives until `count` arrived or `timeout` passed.
  static func receive(
    _ device: MemoryDevice, count: Int, timeout: Duration = .seconds(5)
  ) throws -> [Int] {
    let deadline = ContinuousClock.now + timeout
    var frames: [[UInt8]] = []
    while frames.count < count, ContinuousClock.now < deadline {
      try device.wait(until: Swift.min(deadline, ContinuousClock.now + .milliseconds(50)))
      _ = try device.receive(into: &frames, limit: 1024)
    }
    return frames.map { Int($0[14]) << 8 | Int($0[15]) }
  }

  /// Sends `count` frames from port 0 to port 1 over a switch with `impairments` on port 1
  /// and returns the indices port 1 received, with the port counters.
  static func lossyRun(
    seed: UInt64, count: Int, impairments: LinkImpairments
  ) throws -> (received: [Int], sender: SimulatedPortCounters, receiver: SimulatedPortCounters) {
    let network = RealTimeSwitch(seed: seed, portCount: 2)
    defer { network.shutdown() }
    network.setImpairments(impairments, port: 1)
    for index in 0..<count {
      try network.ports[0].send(frame(from: 1, to: 2, index: index))
    }
    #expect(network.waitUntilIdle(timeout: .seconds(5)))
    var frames: [[UInt8]] = []
    _ = try network.ports[1].receive(into: &frames, limit: count)
    let received = frames.map { Int($0[14]) << 8 | Int($0[15]) }
    return (received, network.counters(port: 0), network.counters(port: 1))
  }

  @Test("frames cross the switch in order, both ways")
  func framesCross() throws {
    let network = RealTimeSwitch(seed: 1, portCount: 2)
    defer { network.shutdown() }
    for index in 0..<200 {
      try network.ports[0].send(Self.frame(from: 1, to: 2, index: index))
    }
    #expect(try Self.receive(network.ports[1], count: 200) == Array(0..<200))
    try network.ports[1].send(Self.frame(from: 2, to: 1, index: 7))
    #expect(try Self.receive(network.ports[0], count: 1) == [7])
    let counters = network.counters(port: 1)
    #expect(counters.toEndpoint.delivered == 200)
    #expect(counters.inboxAccepted == 200)
    #expect(counters.ingressAccepted == 1)
  }

  @Test("seeded loss: every frame is delivered or counted lost, and a seed repeats its losses")
  func seededLoss() throws {
    let lossy = LinkImpairments(loss: .bernoulli(0.2))
    let first = try Self.lossyRun(seed: 42, count: 500, impairments: lossy)
    #expect(first.sender.ingressAccepted == 500)
    #expect(first.sender.ingressDropped == 0)
    #expect(first.sender.toSwitch.offered == 500)
    #expect(first.sender.toSwitch.delivered == 500)
    let toReceiver = first.receiver.toEndpoint
    #expect(toReceiver.offered == 500)
    #expect(toReceiver.delivered + toReceiver.lost == 500)
    #expect((50...150).contains(toReceiver.lost), "lost \(toReceiver.lost) of 500 at 20%")
    #expect(first.receiver.inboxAccepted == toReceiver.delivered)
    #expect(first.receiver.inboxDropped == 0)
    #expect(first.received.count == toReceiver.delivered)
    #expect(first.received == first.received.sorted())
    let again = try Self.lossyRun(seed: 42, count: 500, impairments: lossy)
    #expect(again.received == first.received)
    let other = try Self.lossyRun(seed: 43, count: 500, impairments: lossy)
    #expect(other.received != first.received)
  }

  @Test("delay holds each frame back by the link's delay, in real time, even after idling")
  func delay() throws {
    let network = RealTimeSwitch(seed: 3, portCount: 2)
    defer { network.shutdown() }
    network.setImpairments(LinkImpairments(delay: .milliseconds(40)), port: 1)
    // An idle switch last ran its simulation here; the frame must still enter the link at the
    // instant it is sent, not at that older one.
    Thread.sleep(forTimeInterval: 0.1)
    let start = ContinuousClock.now
    try network.ports[0].send(Self.frame(from: 1, to: 2, index: 1))
    #expect(try Self.receive(network.ports[1], count: 1) == [1])
    let elapsed = ContinuousClock.now - start
    #expect(elapsed >= .milliseconds(40))
    #expect(elapsed < .seconds(1))
  }

  @Test("a full inbox drops and counts frames")
  func inboxOverflow() throws {
    let network = RealTimeSwitch(seed: 4, portCount: 2, queueLimit: 8)
    defer { network.shutdown() }
    for index in 0..<8 {
      try network.ports[0].send(Self.frame(from: 1, to: 2, index: index))
      Thread.sleep(forTimeInterval: 0.002)
    }
    #expect(network.waitUntilIdle(timeout: .seconds(5)))
    for index in 8..<20 {
      try network.ports[0].send(Self.frame(from: 1, to: 2, index: index))
      Thread.sleep(forTimeInterval: 0.002)
    }
    #expect(network.waitUntilIdle(timeout: .seconds(5)))
    let counters = network.counters(port: 1)
    let sent = network.counters(port: 0)
    #expect(sent.ingressAccepted + sent.ingressDropped == 20)
    #expect(counters.toEndpoint.delivered == sent.ingressAccepted)
    #expect(counters.inboxAccepted == 8)
    #expect(counters.inboxDropped == sent.ingressAccepted - 8)
  }

  @Test("shutdown stops the thread, drops later frames and frees the port names")
  func shutdown() throws {
    let network = RealTimeSwitch(seed: 5, portCount: 2)
    try network.register(port: 0, as: "rts-shutdown")
    #expect(throws: NetError.self) { try network.register(port: 1, as: "rts-shutdown") }
    #expect(throws: NetError.self) { try network.register(port: 2, as: "rts-other") }
    let start = ContinuousClock.now
    network.shutdown()
    network.shutdown()
    #expect(ContinuousClock.now - start < .seconds(1))
    try network.ports[0].send(Self.frame(from: 1, to: 2, index: 1))
    #expect(try Self.receive(network.ports[1], count: 1, timeout: .milliseconds(100)) == [])
    let next = RealTimeSwitch(seed: 6, portCount: 1)
    defer { next.shutdown() }
    try next.register(port: 0, as: "rts-shutdown")
  }

  @Test("runtimes configured with SimulatedConfig talk TCP across a lossy, delayed switch")
  func runtimesOverSwitch() throws {
    let network = RealTimeSwitch(seed: 7, portCount: 2)
    defer { network.shutdown() }
    network.setImpairments(
      LinkImpairments(loss: .bernoulli(0.02), delay: .milliseconds(2)), port: 1)
    try network.register(port: 0, as: "rts-a")
    try network.register(port: 1, as: "rts-b")
    func runtime(_ port: String, _ host: UInt8) throws -> UserspaceRuntime {
      let ipv4 = try #require(
        SocketsConfiguration.StaticIPv4(
          address: IPv4Address(198, 18, 0, host), prefixLength: 24,
          gateway: IPv4Address(198, 18, 0, 254)))
      let device = SocketsConfiguration.Device.simulated(
        SimulatedConfig(port: port, mac: .random, ipv4: ipv4))
      return try UserspaceRuntime(configuration: SocketsConfiguration(device: device))
    }
    let a = try runtime("rts-a", 1)
    let b = try runtime("rts-b", 2)
    defer {
      a.shutdown()
      b.shutdown()
    }
    let listener = try UserspaceTCPListener.bind(to: .v4(.any, port: 7), backlog: nil, on: b)
    let payload = [UInt8]((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
    let server = JoinableThread { () -> [UInt8]? in
      guard let (stream, _) = try? listener.accept() else { return nil }
      var received: [UInt8] = []
      var buffer = [UInt8](repeating: 0, count: 65536)
      while let count = try? stream.read(into: &buffer), count > 0 {
        received += buffer[0..<count]
      }
      return received
    }
    let client = try UserspaceTCPStream.connect(
      to: .v4(IPv4Address(198, 18, 0, 2), port: 7), timeout: .seconds(5), on: a)
    try client.writeAll(payload)
    try client.shutdown(.write)
    #expect(server.join(timeout: .seconds(30)) == .some(payload))
    #expect(network.counters(port: 1).toEndpoint.lost > 0)
  }

  @Test("a runtime for an unregistered port, or without USNET_SOCKETS, fails with a clear error")
  func configurationErrors() throws {
    let ipv4 = try #require(
      SocketsConfiguration.StaticIPv4(
        address: IPv4Address(198, 18, 0, 9), prefixLength: 24,
        gateway: IPv4Address(198, 18, 0, 254)))
    let missing = SocketsConfiguration(
      device: .simulated(SimulatedConfig(port: "rts-nowhere", mac: .random, ipv4: ipv4)))
    let error = expectNetError(.addrNotAvailable) { () throws(NetError) in
      try UserspaceRuntime(configuration: missing)
    }
    #expect(error?.description.contains("rts-nowhere") == true)
    expectNetError(.invalidInput) { () throws(NetError) in
      try UserspaceRuntime.fromEnvironment([:])
    }
  }
}
