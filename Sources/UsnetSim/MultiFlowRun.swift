import UsnetStack
import UsnetWire

/// The working state of one ``MultiFlowScenario`` run: the stacks, the flows' byte
/// accounting and the receiver's checks.
///
/// Threading: not thread-safe; ``execute(wallStart:)`` drives everything on its thread.
struct MultiFlowRun {
  /// One flow's sender, receiving socket and byte accounting.
  struct Flow {
    let stack: NetworkStack
    let start: Instant
    var payload: PayloadStream
    var expected: PayloadPattern
    var client: TCPSocketID?
    var server: TCPSocketID?
    var established: Instant?
    var received = 0
    var receivedAtMeasurementStart: Int?
    var firstMismatch: Int?
    var failure: String?
    var samples: [Int] = []
    var receivedAtLastSample = 0
  }

  let scenario: MultiFlowScenario
  var flows: [Flow] = []
  var receiver: NetworkStack?
  var readBuffer = [UInt8](repeating: 0, count: 65536)

  init(scenario: MultiFlowScenario) {
    self.scenario = scenario
  }

  mutating func execute(wallStart: ContinuousClock.Instant) -> MultiFlowResult {
    let simulation = Simulation(seed: scenario.seed)
    for capture in scenario.captures { simulation.addCapture(capture) }
    let start = simulation.now
    let end = start + scenario.duration
    let measurementStart = start + scenario.measurementStart
    guard (1...MultiFlowScenario.maximumFlows).contains(scenario.flows) else {
      return report(
        simulation, start, measurementStart, wallStart,
        "\(scenario.flows) flows: a scenario has 1 to \(MultiFlowScenario.maximumFlows)")
    }
    guard measurementStart < end else {
      return report(
        simulation, start, measurementStart, wallStart,
        "no fairness interval: it would begin at \(scenario.measurementStart), after the"
          + " \(scenario.duration) run")
    }
    var random = SeededRandom(seed: scenario.seed)
    let receiver: NetworkStack
    do {
      receiver = try NetworkStack(
        configuration: configuration(
          MultiFlowScenario.receiverMAC, MultiFlowScenario.receiverAddress),
        random: &random)
      var mixer = scenario.seed ^ 0x5041_594C_4F41_4400
      for index in 0..<scenario.flows {
        let stack = try NetworkStack(
          configuration: configuration(
            MultiFlowScenario.senderMAC(index), MultiFlowScenario.senderAddress(index)),
          random: &random)
        let payloadSeed = SeededRandom.splitMix(&mixer)
        flows.append(
          Flow(
            stack: stack, start: start + scenario.stagger * index,
            payload: PayloadStream(total: Int.max, seed: payloadSeed),
            expected: PayloadPattern(seed: payloadSeed)))
      }
    } catch {
      return report(simulation, start, measurementStart, wallStart, "\(error)")
    }
    self.receiver = receiver
    let quarter = scenario.rtt / 4
    let receiverPort = simulation.attach(
      receiver, mtu: scenario.mtu, mtuPolicy: .fragmentationNeeded)
    receiverPort.toEndpoint = scenario.bottleneck
    receiverPort.toEndpoint.delay += quarter
    receiverPort.toSwitch = scenario.reverse
    receiverPort.toSwitch.delay += quarter
    for flow in flows {
      let port = simulation.attach(flow.stack, mtu: scenario.mtu, mtuPolicy: .fragmentationNeeded)
      port.setImpairments(LinkImpairments(delay: quarter))
      // Visit the start instant even when nothing else happens then.
      simulation.schedule(at: flow.start) { _ in }
    }
    simulation.schedule(at: measurementStart) { _ in }
    let listener: TCPListenerID
    do throws(StackError) {
      listener = try receiver.listen(
        port: MultiFlowScenario.receiverPort, backlog: scenario.flows, at: simulation.now)
    } catch {
      return report(simulation, start, measurementStart, wallStart, "\(error)")
    }
    let sampleInterval = Swift.max(scenario.sampleInterval, .milliseconds(1))
    var nextSample = start + sampleInterval
    _ = simulation.run(for: scenario.duration) {
      let now = simulation.now
      while nextSample <= now {
        for index in flows.indices {
          flows[index].samples.append(flows[index].received - flows[index].receivedAtLastSample)
          flows[index].receivedAtLastSample = flows[index].received
        }
        nextSample += sampleInterval
      }
      if now >= measurementStart {
        for index in flows.indices where flows[index].receivedAtMeasurementStart == nil {
          flows[index].receivedAtMeasurementStart = flows[index].received
        }
      }
      accept(receiver, listener, at: now)
      for index in flows.indices {
        step(index, at: now)
      }
      return false
    }
    return report(simulation, start, measurementStart, wallStart, nil)
  }

  /// Takes every pending connection and pairs it with its flow by the peer's address.
  private mutating func accept(_ receiver: NetworkStack, _ listener: TCPListenerID, at now: Instant)
  {
    while let id = try? receiver.accept(listener) {
      guard let remote = receiver.info(id)?.tuple.remoteAddress,
        let index = flows.indices.first(where: {
          MultiFlowScenario.senderAddress($0) == remote && flows[$0].server == nil
        })
      else {
        receiver.abort(id, at: now)
        continue
      }
      flows[index].server = id
    }
  }

  /// Connects flow `index` once its start time has come, feeds its sender and reads and
  /// checks what its receiving socket has.
  private mutating func step(_ index: Int, at now: Instant) {
    guard flows[index].failure == nil, now >= flows[index].start else { return }
    let stack = flows[index].stack
    do throws(StackError) {
      guard let client = flows[index].client else {
        flows[index].client = try stack.connect(
          to: MultiFlowScenario.receiverAddress, port: MultiFlowScenario.receiverPort, at: now)
        return
      }
      if flows[index].established == nil {
        guard let info = stack.info(client) else {
          flows[index].failure = "the connection vanished before it was established"
          return
        }
        if let error = info.error {
          flows[index].failure = "\(error)"
          return
        }
        guard info.state == .established else { return }
        flows[index].established = now
      }
      while try flows[index].payload.feed(stack, client, at: now) {}
      guard let server = flows[index].server, let receiver else { return }
      while let count = try receiver.receive(server, into: &readBuffer, at: now), count > 0 {
        if let offset = flows[index].expected.firstMismatch(in: readBuffer, range: 0..<count),
          flows[index].firstMismatch == nil
        {
          flows[index].firstMismatch = offset
        }
        flows[index].received += count
      }
    } catch {
      flows[index].failure = "\(error)"
    }
  }

  private func configuration(_ mac: MACAddress, _ ip: IPv4Address) -> StackConfiguration {
    var configuration = StackConfiguration(
      interface: InterfaceConfiguration(
        macAddress: mac,
        addresses: IPv4Network(address: ip, prefixLength: 24).map { [$0] } ?? [],
        mtu: scenario.mtu))
    scenario.configure(&configuration)
    return configuration
  }

  private func report(
    _ simulation: Simulation, _ start: Instant,
    _ measurementStart: Instant, _ wallStart: ContinuousClock.Instant, _ failure: String?
  ) -> MultiFlowResult {
    let end = simulation.now
    let interval = end - measurementStart
    let seconds = Double(interval.totalNanoseconds) / 1e9
    let results = flows.indices.map { index in
      let flow = flows[index]
      let counters = flow.stack.counters
      let info = flow.client.flatMap { flow.stack.info($0) }
      let intervalBytes = flow.received - (flow.receivedAtMeasurementStart ?? flow.received)
      var failure = flow.failure
      if failure == nil, let error = info?.error { failure = "\(error)" }
      return FlowResult(
        index: index, start: flow.start - start, established: flow.established.map { $0 - start },
        bytes: flow.received, intervalBytes: intervalBytes,
        goodputBitsPerSecond: seconds > 0 ? Double(intervalBytes) * 8 / seconds : 0,
        retransmissions: counters.tcpRetransmissions, timeouts: counters.tcpTimeouts,
        fastRetransmits: counters.tcpFastRetransmits,
        congestionWindow: info?.congestionWindow ?? 0, smoothedRTT: info?.smoothedRTT,
        firstMismatch: flow.firstMismatch, failure: failure, samples: flow.samples)
    }
    let ports = simulation.virtualSwitch.ports
    let receiverPort = ports.first
    return MultiFlowResult(
      flows: results, rateBitsPerSecond: scenario.bottleneck.rateBitsPerSecond,
      queueBytes: scenario.bottleneck.queueBytes, rtt: scenario.rtt,
      duration: scenario.duration, measurementStart: measurementStart - start,
      measurementEnd: end - start, sampleInterval: scenario.sampleInterval,
      bottleneckLink: receiverPort?.toEndpointCounters ?? LinkCounters(),
      reverseLink: receiverPort?.toSwitchCounters ?? LinkCounters(), failure: failure,
      wallTime: ContinuousClock.now - wallStart)
  }
}
