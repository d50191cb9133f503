import UsnetDevice
import UsnetSim
import UsnetStack
import UsnetWire

/// One transfer of `usnet bridge-compare` through a fresh switch in real time: the usnet
/// stack on port 0, kernel A's TAP on port 1 (impaired: the settings' loss on each direction
/// and half the RTT of delay each way), kernel B's TAP on port 2. The same seed gives the
/// same loss draws for every kind. Goodput is timed by the receiver, from accepting the
/// connection to reading the end of the stream, for all three kinds alike.
struct BridgeTransferRun {
  let lab: BridgeLab
  let settings: BridgeCompareSettings
  let kind: BridgeTransferKind
  let repetition: Int
  /// The TCP port of this transfer (a fresh one per transfer, so no TIME-WAIT is in the way).
  let port: UInt16

  private var seed: UInt64 { settings.seed(ofRepetition: repetition) }
  /// What the python programs get as `alarm`: they end themselves after the time limit.
  private var alarm: Int { Int(settings.timeLimit.components.seconds) + 30 }

  /// Runs the transfer and returns what happened; never throws.
  func perform() -> BridgeTransferResult {
    var result = BridgeTransferResult(
      kind: kind, repetition: repetition, seed: seed, bytes: settings.bytes)
    let simulation = Simulation(seed: seed)
    var random = SeededRandom(seed: seed ^ 0x6272_6964_6765)
    let stack: NetworkStack
    do {
      guard let network = IPv4Network(address: BridgeLab.stackAddress, prefixLength: 24) else {
        result.failure = "no network for \(BridgeLab.stackAddress)/24"
        return result
      }
      var tcp = TCPConfiguration()
      if let size = settings.usnetBufferSize {
        tcp.sendBufferSize = size
        tcp.receiveBufferSize = size
      }
      stack = try NetworkStack(
        configuration: StackConfiguration(
          interface: InterfaceConfiguration(
            macAddress: BridgeLab.stackMAC, addresses: [network], mtu: 1500),
          tcp: tcp),
        random: &random)
    } catch {
      result.failure = "the stack did not start: \(error)"
      return result
    }
    simulation.attach(stack)
    let impaired = simulation.addPort()
    let bridgeA = TAPBridgeEndpoint(device: lab.tapA)
    simulation.attach(bridgeA, to: impaired)
    impaired.setImpairments(
      LinkImpairments(
        loss: settings.loss > 0 ? .bernoulli(settings.loss) : .none, delay: settings.rtt / 2))
    let clean = simulation.addPort()
    let bridgeB = TAPBridgeEndpoint(device: lab.tapB)
    simulation.attach(bridgeB, to: clean)
    let driver = RealTimeDriver(simulation: simulation, bridges: [bridgeA, bridgeB])
    do {
      switch kind {
      case .kernelToKernel: try kernelToKernel(driver, into: &result)
      case .kernelToUsnet: try kernelToUsnet(driver, stack: stack, into: &result)
      case .usnetToKernel: try usnetToKernel(driver, stack: stack, into: &result)
      }
    } catch {
      result.failure = result.failure ?? "waiting on the TAPs failed: \(error)"
    }
    result.impairedFramesOffered =
      impaired.toSwitchCounters.offered + impaired.toEndpointCounters.offered
    result.impairedFramesLost = impaired.toSwitchCounters.lost + impaired.toEndpointCounters.lost
    result.largestFrameRead = max(
      bridgeA.counters.largestFrameRead, bridgeB.counters.largestFrameRead)
    let writeErrors = bridgeA.counters.writeErrors + bridgeB.counters.writeErrors
    if writeErrors > 0, result.failure == nil {
      result.failure = "\(writeErrors) frames could not be written to a TAP"
    }
    return result
  }

  /// (a) kernel A → kernel B.
  private func kernelToKernel(
    _ driver: RealTimeDriver, into result: inout BridgeTransferResult
  ) throws(DeviceError) {
    let before = KernelTCPCounters.read(in: lab.namespaceA)
    let sink = KernelTCPPeer.startSink(
      in: lab.namespaceB, python: lab.python, address: BridgeLab.kernelAddressB, port: port,
      alarm: alarm)
    guard KernelTCPPeer.waitListening(in: lab.namespaceB, port: port, timeout: .seconds(10))
    else {
      lab.namespaceB.terminatePrograms()
      result.failure = "the kernel sink in B did not listen: \(complaint(sink.join()))"
      return
    }
    let sender = startKernelSender(to: BridgeLab.kernelAddressB)
    let finished = try driver.run(for: settings.timeLimit) { sink.isDone && sender.isDone }
    let sent = finishKernelSender(sender, finished: finished, before: before, into: &result)
    finishKernelSink(
      sink, finished: finished, namespace: lab.namespaceB, expectedDigest: sent?.digest,
      into: &result)
  }

  /// (b) kernel A → the usnet stack.
  private func kernelToUsnet(
    _ driver: RealTimeDriver, stack: NetworkStack, into result: inout BridgeTransferResult
  ) throws(DeviceError) {
    let simulation = driver.simulation
    let listener: TCPListenerID
    do {
      listener = try stack.listen(
        on: BridgeLab.stackAddress, port: port, backlog: 4, at: simulation.now)
    } catch {
      result.failure = "usnet could not listen: \(error)"
      return
    }
    let before = KernelTCPCounters.read(in: lab.namespaceA)
    let sender = startKernelSender(to: BridgeLab.stackAddress)
    var connection: TCPSocketID?
    var digest = SHA256()
    var received = 0
    var acceptedAt: Instant?
    var endedAt: Instant?
    var failure: String?
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    let finished = try driver.run(for: settings.timeLimit) {
      let now = simulation.now
      do {
        if connection == nil, let accepted = try stack.accept(listener) {
          connection = accepted
          acceptedAt = now
        }
        if let connection, endedAt == nil {
          while let count = try stack.receive(connection, into: &buffer, at: now) {
            if count == 0 {
              endedAt = now
              stack.close(connection, at: now)
              break
            }
            digest.update(buffer, range: 0..<count)
            received += count
          }
        }
      } catch {
        failure = "usnet receive failed: \(error)"
        return true
      }
      return endedAt != nil && sender.isDone
    }
    stack.close(listener, at: simulation.now)
    let sent = finishKernelSender(sender, finished: finished, before: before, into: &result)
    result.bytesReceived = received
    if let acceptedAt, let endedAt { result.duration = endedAt - acceptedAt }
    if let sent {
      result.intact = received == settings.bytes && digest.hexDigest() == sent.digest
    }
    if let failure { result.failure = failure }
  }

  /// (c) the usnet stack → kernel A.
  private func usnetToKernel(
    _ driver: RealTimeDriver, stack: NetworkStack, into result: inout BridgeTransferResult
  ) throws(DeviceError) {
    let simulation = driver.simulation
    let sink = KernelTCPPeer.startSink(
      in: lab.namespaceA, python: lab.python, address: BridgeLab.kernelAddressA, port: port,
      alarm: alarm)
    guard KernelTCPPeer.waitListening(in: lab.namespaceA, port: port, timeout: .seconds(10))
    else {
      lab.namespaceA.terminatePrograms()
      result.failure = "the kernel sink in A did not listen: \(complaint(sink.join()))"
      return
    }
    var block = [UInt8](repeating: 0, count: 65_521)
    var generator = SeededRandom(seed: seed)
    for index in block.indices { block[index] = UInt8(truncatingIfNeeded: generator.next()) }
    var digest = SHA256()
    var sent = 0
    var shutDown = false
    var endOfStream = false
    var failure: String?
    var buffer = [UInt8](repeating: 0, count: 4096)
    var finished = false
    do {
      // ARP and the SYN cross the impaired link too and may be lost: they are retried.
      let client = try stack.connect(to: BridgeLab.kernelAddressA, port: port, at: simulation.now)
      finished = try driver.run(for: settings.timeLimit) {
        let now = simulation.now
        guard let info = stack.info(client) else {
          failure = "the usnet connection vanished"
          return true
        }
        if let error = info.error {
          failure = "the usnet connection failed: \(error)"
          return true
        }
        guard info.state != .synSent else { return false }
        do {
          while sent < settings.bytes {
            let offset = sent % block.count
            let range = offset..<(offset + min(settings.bytes - sent, block.count - offset))
            let taken = try stack.send(client, block, range: range, at: now)
            if taken == 0 { break }
            digest.update(block, range: range.lowerBound..<(range.lowerBound + taken))
            sent += taken
          }
          if sent == settings.bytes && !shutDown {
            try stack.shutdown(client, read: false, write: true, at: now)
            shutDown = true
          }
          while !endOfStream, let count = try stack.receive(client, into: &buffer, at: now) {
            if count == 0 {
              endOfStream = true
              stack.close(client, at: now)
            }
          }
        } catch {
          failure = "usnet send failed: \(error)"
          return true
        }
        return endOfStream && sink.isDone
      }
    } catch let error as DeviceError {
      throw error
    } catch {
      failure = "usnet could not connect: \(error)"
    }
    let counters = stack.counters
    result.senderRetransmissions = counters.tcpRetransmissions
    result.senderTimeouts = counters.tcpTimeouts
    result.congestionControl = "usnet cubic"
    finishKernelSink(
      sink, finished: finished, namespace: lab.namespaceA,
      expectedDigest: sent == settings.bytes ? digest.hexDigest() : nil, into: &result)
    if let failure { result.failure = failure }
  }

  /// Starts the kernel sender in namespace A, to `address`.
  private func startKernelSender(
    to address: IPv4Address
  ) -> ServiceThread<Result<ProgramRun, ProgramFailure>> {
    KernelTCPPeer.startSender(
      in: lab.namespaceA, python: lab.python, address: address, port: port,
      bytes: settings.bytes, seed: seed, alarm: alarm,
      congestionControl: settings.kernelCongestionControl)
  }

  /// Collects what the kernel sender printed (ending it first when the run did not finish)
  /// and the sender's counters; returns its report, or `nil` after noting the failure.
  @discardableResult
  private func finishKernelSender(
    _ sender: ServiceThread<Result<ProgramRun, ProgramFailure>>, finished: Bool,
    before: KernelTCPCounters?, into result: inout BridgeTransferResult
  ) -> KernelTCPPeer.Sent? {
    if !finished {
      lab.namespaceA.terminatePrograms()
      result.failure =
        result.failure ?? "not finished within \(Formatting.duration(settings.timeLimit))"
    }
    if let before, let after = KernelTCPCounters.read(in: lab.namespaceA) {
      result.senderTimeouts = (after - before).timeouts
    }
    guard let outcome = sender.join(timeout: .seconds(15)) else {
      result.failure = result.failure ?? "the kernel sender did not end"
      return nil
    }
    guard let sent = KernelTCPPeer.parseSent(describe(outcome)) else {
      result.failure = result.failure ?? "the kernel sender failed: \(complaint(outcome))"
      return nil
    }
    result.senderRetransmissions = sent.retransmissions
    result.congestionControl = "kernel " + sent.algorithm
    return sent
  }

  /// Collects what the kernel sink printed (ending it first when the run did not finish):
  /// the bytes, the time and whether their digest is `expectedDigest`.
  private func finishKernelSink(
    _ sink: ServiceThread<Result<ProgramRun, ProgramFailure>>, finished: Bool,
    namespace: DemoNamespace, expectedDigest: String?, into result: inout BridgeTransferResult
  ) {
    if !finished {
      namespace.terminatePrograms()
      result.failure =
        result.failure ?? "not finished within \(Formatting.duration(settings.timeLimit))"
    }
    guard let outcome = sink.join(timeout: .seconds(15)) else {
      result.failure = result.failure ?? "the kernel sink did not end"
      return
    }
    guard let received = KernelTCPPeer.parseReceived(describe(outcome)) else {
      result.failure = result.failure ?? "the kernel sink failed: \(complaint(outcome))"
      return
    }
    result.bytesReceived = received.bytes
    result.duration = received.duration
    result.intact = received.bytes == settings.bytes && received.digest == expectedDigest
  }

  /// What a kernel-side program printed, or why it could not run.
  private func describe(_ outcome: Result<ProgramRun, ProgramFailure>) -> String {
    switch outcome {
    case .success(let run): run.standardOutput
    case .failure(let failure): failure.description
    }
  }

  /// A kernel-side program's complaint.
  private func complaint(_ outcome: Result<ProgramRun, ProgramFailure>) -> String {
    switch outcome {
    case .success(let run): run.complaint
    case .failure(let failure): failure.description
    }
  }
}

extension ServiceThread {
  /// Whether the closure has returned (does not block).
  fileprivate var isDone: Bool { join(timeout: .zero) != nil }
}
