import UsnetStack
import UsnetWire

/// The working state of one ``TransferScenario`` run.
struct TransferRun {
  let scenario: TransferScenario
  var payload: PayloadStream
  var sentHash = SHA256()
  var receivedHash = SHA256()
  var received = 0
  var readBuffer = [UInt8](repeating: 0, count: 65536)
  var failure: String?

  init(scenario: TransferScenario) {
    self.scenario = scenario
    var mixer = scenario.seed ^ 0x5041_594C_4F41_4400
    payload = PayloadStream(total: scenario.bytes, seed: SeededRandom.splitMix(&mixer))
  }

  mutating func execute(wallStart: ContinuousClock.Instant) -> TransferResult {
    let simulation = Simulation(seed: scenario.seed)
    for capture in scenario.captures { simulation.addCapture(capture) }
    var random = SeededRandom(seed: scenario.seed)
    let stacks: (a: NetworkStack, b: NetworkStack)
    do {
      stacks = (
        try NetworkStack(
          configuration: configuration(TransferScenario.macA, TransferScenario.addressA),
          random: &random),
        try NetworkStack(
          configuration: configuration(TransferScenario.macB, TransferScenario.addressB),
          random: &random)
      )
    } catch {
      return report(simulation, nil, nil, start: .zero, end: .zero, wallStart, "\(error)")
    }
    let (a, b) = stacks
    let quarter = scenario.rtt / 4
    let portA = simulation.attach(a, mtu: scenario.mtu, mtuPolicy: scenario.mtuPolicy)
    let portB = simulation.attach(b, mtu: scenario.mtu, mtuPolicy: scenario.mtuPolicy)
    portA.setImpairments(LinkImpairments(delay: quarter))
    portB.toEndpoint = scenario.forward
    portB.toEndpoint.delay += quarter
    portB.toSwitch = scenario.reverse
    portB.toSwitch.delay += quarter

    let client: TCPSocketID
    let server: TCPSocketID
    do throws(StackError) {
      let listener = try b.listen(port: 5001, backlog: 1, at: simulation.now)
      client = try a.connect(to: TransferScenario.addressB, port: 5001, at: simulation.now)
      var accepted: TCPSocketID?
      _ = simulation.run(for: .seconds(120)) {
        if accepted == nil { accepted = try? b.accept(listener) }
        return accepted != nil && a.info(client)?.state == .established
      }
      guard let accepted else {
        return report(
          simulation, a, b, start: .zero, end: simulation.now, wallStart,
          "handshake did not complete")
      }
      server = accepted
    } catch {
      return report(simulation, a, b, start: .zero, end: simulation.now, wallStart, "\(error)")
    }
    let start = simulation.now
    for change in scenario.mtuChanges {
      simulation.scheduleMTUChange(of: portB, to: change.mtu, at: start + change.after)
    }
    var end = start
    let total = scenario.bytes
    _ = simulation.run(for: scenario.timeLimit) {
      do throws(StackError) {
        while try payload.feed(a, client, at: simulation.now, hash: &sentHash) {}
        while let count = try b.receive(server, into: &readBuffer, at: simulation.now),
          count > 0
        {
          receivedHash.update(readBuffer, range: 0..<count)
          received += count
          end = simulation.now
        }
      } catch {
        failure = "\(error)"
        end = simulation.now
        return true
      }
      return received >= total
    }
    if failure == nil && received < total {
      let state = a.info(client).map { "\($0.state)" } ?? "released"
      failure =
        "stalled: \(received) of \(total) bytes after \(scenario.timeLimit), sender \(state)"
      end = simulation.now
    }
    return report(simulation, a, b, start: start, end: end, wallStart, failure)
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
    _ simulation: Simulation, _ a: NetworkStack?, _ b: NetworkStack?, start: Instant,
    end: Instant, _ wallStart: ContinuousClock.Instant, _ failure: String?
  ) -> TransferResult {
    let elapsed = end - start
    let seconds = Double(elapsed.totalNanoseconds) / 1e9
    let sender = a?.counters ?? StackCounters()
    let ports = simulation.virtualSwitch.ports
    func links(_ index: Int) -> (toSwitch: LinkCounters, toEndpoint: LinkCounters) {
      index < ports.count
        ? (ports[index].toSwitchCounters, ports[index].toEndpointCounters)
        : (LinkCounters(), LinkCounters())
    }
    let sentDigest = sentHash.hexDigest()
    let receivedDigest = receivedHash.hexDigest()
    let completed = failure == nil && received == scenario.bytes
    return TransferResult(
      bytes: received, requestedBytes: scenario.bytes, completed: completed,
      completionTime: elapsed, handshakeTime: start - .zero,
      goodputBitsPerSecond: seconds > 0 ? Double(received) * 8 / seconds : 0,
      retransmissions: sender.tcpRetransmissions, timeouts: sender.tcpTimeouts,
      fastRetransmits: sender.tcpFastRetransmits,
      payloadIntact: completed && sentDigest == receivedDigest, sentDigest: sentDigest,
      receivedDigest: receivedDigest, wallTime: ContinuousClock.now - wallStart,
      failure: failure, senderCounters: sender, receiverCounters: b?.counters ?? StackCounters(),
      senderLink: links(0), receiverLink: links(1))
  }
}
