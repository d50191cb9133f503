import Testing
import UsnetSim
import UsnetWire

@testable import UsnetStack

/// A seeded fuzz run: five transfers, an idle connection, short-lived connections and UDP run
/// between two stacks while 100,000 frames are injected (mutations of captured frames: bit
/// flips, truncation, field overwrites with and without fixed checksums, replays; forged
/// segments with valid checksums for the live 4-tuples; SYNs and junk for new tuples; random
/// garbage; ARP, ICMP and UDP junk). A guard (`FuzzHarness.isSafe`) only keeps out segments
/// that TCP cannot tell from genuine ones (changed content inside a transfer's window), so
/// every transfer has to finish intact. Change the seed to explore; every run is reproducible.
@Suite("Fuzz")
struct FuzzTests {
  @Test(
    "100,000 random and mutated frames amid live traffic: no crash, balanced counters, no leaks"
  )
  func randomAndMutatedFrames() throws {
    let harness = try FuzzHarness(seed: 0x5EED_F022)
    try harness.run(frames: 100_000)
  }
}

/// One direction of a genuine transfer whose outcome the fuzz test checks.
struct FuzzFlow {
  let name: String
  let sender: NetworkStack
  let sendID: TCPSocketID
  let receiver: NetworkStack
  let receiveID: TCPSocketID
  var transfer: BulkTransfer
  /// The typed error a socket call failed with.
  var failure: StackError?
  /// Whether the receiver saw end of stream.
  var sawEOF = false

  var done: Bool {
    transfer.finished || failure != nil
      || sender.info(sendID)?.error != nil || receiver.info(receiveID)?.error != nil
  }

  /// Writes up to `budget` more bytes and reads everything that arrived.
  mutating func pump(budget: Int, at now: Instant) {
    guard failure == nil else { return }
    do throws(StackError) {
      let payload = transfer.payload
      if transfer.sent < payload.count && budget > 0 {
        let end = min(payload.count, transfer.sent + budget)
        transfer.sent += try sender.send(sendID, payload, range: transfer.sent..<end, at: now)
      }
      while let count = try receiver.receive(receiveID, into: &transfer.readBuffer, at: now) {
        if count == 0 {
          sawEOF = true
          break
        }
        transfer.receivedHash.update(transfer.readBuffer, range: 0..<count)
        transfer.received += count
      }
    } catch {
      failure = error
    }
  }
}

/// One end of a short-lived connection: sends a message, shuts down writing, reads to EOF
/// and closes; closes at once on an error.
struct ChurnEnd {
  let stack: NetworkStack
  let id: TCPSocketID
  var sent = false
  var closed = false
  /// Whether the exchange ran to EOF without an error.
  var completed = false

  static let message = [UInt8](repeating: 0x5a, count: 700)

  mutating func step(buffer: inout [UInt8], at now: Instant) {
    guard !closed else { return }
    guard let info = stack.info(id), info.error == nil else {
      close(at: now)
      return
    }
    do throws(StackError) {
      if !sent && (info.state == .established || info.state == .closeWait) {
        _ = try stack.send(id, Self.message, at: now)
        try stack.shutdown(id, read: false, write: true, at: now)
        sent = true
      }
      while let count = try stack.receive(id, into: &buffer, at: now) {
        if count == 0 {
          completed = sent
          if sent { close(at: now) }
          return
        }
      }
    } catch {
      close(at: now)
    }
  }

  private mutating func close(at now: Instant) {
    stack.close(id, at: now)
    closed = true
  }
}

/// Drives two stacks with live TCP and UDP traffic while feeding them random and mutated
/// frames, all from one seed.
final class FuzzHarness {
  let link: StackPairLink
  var random: SeededRandom
  var flows: [FuzzFlow] = []
  /// Every TCP handle the application holds, with its stack.
  var handles: [(stack: NetworkStack, id: TCPSocketID)] = []
  var listeners: [(stack: NetworkStack, id: TCPListenerID)] = []
  var udpSockets: [(stack: NetworkStack, id: UDPSocketID)] = []
  /// Both ends' tuples of the idle connection #3, which forged segments may hit anywhere
  /// (exact RSTs, in-window data).
  var victims: Set<FourTuple> = []
  /// The last `captureLimit` genuine frames seen on the link (a ring), the mutation sources.
  var captured: [(frame: [UInt8], direction: LinkDirection)] = []
  var captureNext = 0
  var capturing = false
  var udpBuffer = [UInt8](repeating: 0, count: 2048)
  var udpErrors = 0
  /// Short-lived connections opened during the fuzz, so that it also meets handshakes and
  /// closes: each end sends a message, shuts down writing, reads to EOF and closes.
  var churn: [ChurnEnd] = []
  var churnOpened = 0
  var churnBuffer = [UInt8](repeating: 0, count: 4096)
  var skippedUnsafe = 0
  var injected = 0

  static let captureLimit = 512
  static let udpPort: UInt16 = 5353

  init(seed: UInt64) throws {
    link = try TestHosts.pair(seed: seed, latency: .microseconds(100))
    random = SeededRandom(seed: seed ^ 0xA5A5_A5A5)
    link.dropFilter = { [unowned self] direction, _, frame in
      if capturing { capture(frame, direction) }
      return false
    }
  }

  private func capture(_ frame: [UInt8], _ direction: LinkDirection) {
    if captured.count < Self.captureLimit {
      captured.append((frame, direction))
    } else {
      captured[captureNext] = (frame, direction)
      captureNext = (captureNext + 1) % Self.captureLimit
    }
  }

  // MARK: Setup

  private func setUp() throws {
    let a = link.a
    let b = link.b
    let listenerB = try b.listen(port: 80, backlog: 16, at: link.now)
    let listenerA = try a.listen(port: 8080, backlog: 4, at: link.now)
    listeners = [(b, listenerB), (a, listenerA)]
    var clients: [TCPSocketID] = []
    for _ in 0..<4 { clients.append(try a.connect(to: TestHosts.ipB, port: 80, at: link.now)) }
    let reverse = try b.connect(to: TestHosts.ipA, port: 8080, at: link.now)
    var servers: [TCPSocketID] = []
    var reverseServer: TCPSocketID?
    let established = link.run(for: .seconds(10)) {
      while let id = try? b.accept(listenerB) { servers.append(id) }
      if reverseServer == nil { reverseServer = try? a.accept(listenerA) }
      return servers.count == 4 && reverseServer != nil
        && clients.allSatisfy { a.info($0)?.state == .established }
        && b.info(reverse)?.state == .established
    }
    guard established, let reverseServer else { throw TestFailure("setup did not connect") }
    // accept() returns connections in handshake order, which matches connect order here.
    for (client, server) in zip(clients, servers) {
      #expect(a.info(client)?.tuple.localPort == b.info(server)?.tuple.remotePort)
      handles += [(a, client), (b, server)]
    }
    handles += [(b, reverse), (a, reverseServer)]
    func flow(
      _ name: String, _ sender: NetworkStack, _ sendID: TCPSocketID,
      _ receiver: NetworkStack, _ receiveID: TCPSocketID, _ count: Int
    ) -> FuzzFlow {
      FuzzFlow(
        name: name, sender: sender, sendID: sendID, receiver: receiver, receiveID: receiveID,
        transfer: BulkTransfer(
          payload: patternBytes(count: count, seed: UInt64(count) &+ UInt64(name.utf8.count))))
    }
    flows = [
      flow("A->B #0", a, clients[0], b, servers[0], 1_000_000),
      flow("B->A #1", b, servers[1], a, clients[1], 1_000_000),
      flow("A->B #2", a, clients[2], b, servers[2], 400_000),
      flow("B->A #2", b, servers[2], a, clients[2], 400_001),
      flow("B->A reverse", b, reverse, a, reverseServer, 300_000),
    ]
    // Connection #3 stays idle: forged segments may reset it or inject data into it.
    for (stack, id) in [(a, clients[3]), (b, servers[3])] {
      if let tuple = stack.info(id)?.tuple { victims.insert(tuple) }
    }
    let udpA = try a.bindUDP(port: Self.udpPort, at: link.now)
    let udpB = try b.bindUDP(port: Self.udpPort, at: link.now)
    try a.connectUDP(udpA, to: (TestHosts.ipB, Self.udpPort))
    udpSockets = [(a, udpA), (b, udpB)]
  }

  // MARK: Application traffic

  private func applicationStep(budget: Int) {
    let now = link.now
    if let (stack, listener) = listeners.first {
      while let id = try? stack.accept(listener) {
        handles.append((stack, id))
        churn.append(ChurnEnd(stack: stack, id: id))
      }
    }
    for index in churn.indices {
      churn[index].step(buffer: &churnBuffer, at: now)
    }
    for index in flows.indices {
      let share = budget < 0 ? Int.max : Int(random.next() % UInt64(budget + 1))
      flows[index].pump(budget: share, at: now)
    }
    for (index, (stack, id)) in udpSockets.enumerated() {
      if random.next() % 4 == 0 {
        let length = Int(random.next() % 1400)
        let datagram = [UInt8](repeating: UInt8(truncatingIfNeeded: length), count: length)
        do {
          if index == 0 {
            try stack.send(id, datagram, at: now)
          } else {
            try stack.send(id, datagram, to: (TestHosts.ipA, Self.udpPort), at: now)
          }
        } catch {
          udpErrors += 1
        }
      }
      while true {
        do {
          guard try stack.receive(id, into: &udpBuffer, at: now) != nil else { break }
        } catch {
          udpErrors += 1
        }
      }
    }
  }

  // MARK: The run

  func run(frames: Int) throws {
    try setUp()
    capturing = true
    let stepEvery = 8
    var attempts = 0
    while injected < frames {
      if attempts % stepEvery == 0 {
        applicationStep(budget: 240)
        link.advance(by: .microseconds(40))
      }
      attempts += 1
      if attempts % 1500 == 0,
        let id = try? link.a.connect(to: TestHosts.ipB, port: 80, at: link.now)
      {
        handles.append((link.a, id))
        churn.append(ChurnEnd(stack: link.a, id: id))
        churnOpened += 1
      }
      let (target, frame, range) = nextFrame()
      guard isSafe(frame, range: range, for: target) else {
        skippedUnsafe += 1
        continue
      }
      injected += 1
      if let range {
        target.receive(frame: frame, range: range, at: link.now)
      } else {
        target.receive(frame: frame, at: link.now)
      }
      if injected % 4096 == 0 && !countersBalance() {
        Issue.record("counters out of balance after \(injected) frames")
        break
      }
    }
    capturing = false
    #expect(countersBalance())

    // Let the genuine transfers finish (or fail) without interference.
    let settled = link.run(for: .seconds(1800)) {
      applicationStep(budget: -1)
      return flows.allSatisfy(\.done)
    }
    #expect(settled, "transfers still running: \(flows.filter { !$0.done }.map(\.name))")
    #expect(churnOpened >= 60)
    #expect(churn.filter(\.completed).count >= churnOpened, "churn: \(churnOpened) opened")
    checkOutcomes()

    // Close everything the application holds and let every timer run out.
    closeEverything()
    var quiet = false
    for _ in 0..<40 {
      link.advance(by: .seconds(60))
      if isEmpty(link.a) && isEmpty(link.b) {
        quiet = true
        break
      }
    }
    #expect(quiet, "state left: A \(leftovers(link.a)), B \(leftovers(link.b))")
    for (stack, id) in handles {
      #expect(stack.info(id) == nil, "\(id) still exists: \(String(describing: stack.info(id)))")
    }
    #expect(countersBalance())
    // The mix reached deep into every layer.
    for stack in [link.a, link.b] {
      let reasons = Set(stack.counters.nonZeroDrops.map(\.0))
      #expect(reasons.count >= 16, "drop reasons seen: \(reasons)")
      #expect(stack.counters.framesAccepted > 10_000)
    }
    #expect(skippedUnsafe < injected / 4)
  }

  private func countersBalance() -> Bool {
    [link.a, link.b].allSatisfy {
      $0.counters.framesReceived == $0.counters.framesAccepted + $0.counters.totalDrops
    }
  }

  private func checkOutcomes() {
    var completed = 0
    for flow in flows {
      let transfer = flow.transfer
      #expect(transfer.received <= transfer.payload.count, "\(flow.name): too many bytes")
      if transfer.finished {
        completed += 1
        #expect(
          transfer.receivedHash.hexDigest() == transfer.payloadHash,
          "\(flow.name): corrupted data")
        continue
      }
      let typedError =
        flow.failure != nil || flow.sender.info(flow.sendID)?.error != nil
        || flow.receiver.info(flow.receiveID)?.error != nil
      let progress = "\(transfer.received) of \(transfer.payload.count) bytes"
      #expect(
        typedError, "\(flow.name): stopped at \(progress) without an error (EOF: \(flow.sawEOF))")
    }
    // The fuzz must not be able to stop every transfer (the forged segments are all outside
    // the transfers' windows).
    #expect(completed == flows.count, "completed \(completed) of \(flows.count)")
  }

  private func closeEverything() {
    let now = link.now
    for (stack, id) in listeners {
      while let accepted = try? stack.accept(id) {
        handles.append((stack, accepted))
      }
      stack.close(id, at: now)
    }
    for (stack, id) in handles { stack.close(id, at: now) }
    for (stack, id) in udpSockets { stack.close(id, at: now) }
  }

  private func isEmpty(_ stack: NetworkStack) -> Bool {
    stack.connections.count == 0 && stack.connectionsByTuple.isEmpty
      && stack.listeners.count == 0 && stack.udpSockets.count == 0
      && stack.readyConnections.isEmpty && stack.nextDeadline == nil
      && stack.reassemblyDatagramsInProgress == 0 && stack.reassemblyBytesHeld == 0
      && stack.neighbors.values.allSatisfy {
        $0.pendingFrames.isEmpty && $0.waitingConnections.isEmpty
      }
  }

  private func leftovers(_ stack: NetworkStack) -> String {
    let states = stack.connectionsByTuple.values.compactMap { id -> String? in
      guard let c = stack.connection(id) else { return nil }
      return "\(c.id) \(c.state) \(c.tuple) closed by app: \(c.applicationClosed), "
        + "RST pending: \(c.resetPending), error: \(String(describing: c.error))"
    }
    return "\(stack.connections.count) connections \(states), \(stack.listeners.count) "
      + "listeners, \(stack.udpSockets.count) UDP sockets, deadline "
      + "\(String(describing: stack.nextDeadline))"
  }

  // MARK: The oracle guard

  /// Whether feeding `frame` to `target` keeps the transfers' outcome checkable: a TCP segment
  /// that reaches a live connection of a transfer with changed content must lie wholly outside
  /// its receive window (or be a SYN, or a RST that is not exactly at RCV.NXT). Anything that
  /// fails a checksum or reaches no connection is always fine.
  private func isSafe(_ frame: [UInt8], range: Range<Int>?, for target: NetworkStack) -> Bool {
    let range = range ?? 0..<frame.count
    guard range.lowerBound >= 0, range.upperBound <= frame.count,
      let ethernet = try? EthernetHeader.parse(frame, in: range),
      ethernet.header.etherType == .ipv4,
      ethernet.header.destination == mac(target) || ethernet.header.destination.isBroadcast,
      let ipv4 = try? IPv4Header.parse(frame, in: ethernet.payload),
      ipv4.header.protocol == .tcp, !ipv4.header.isFragment,
      target.isLocal(ipv4.header.destination)
    else { return true }
    let ip = ipv4.header
    let tcpRange = ipv4.payload
    guard
      let (tcp, payload) = try? TCPHeader.parse(
        frame, in: tcpRange, source: ip.source, destination: ip.destination)
    else { return true }
    let tuple = FourTuple(
      localAddress: ip.destination, localPort: tcp.destinationPort,
      remoteAddress: ip.source, remotePort: tcp.sourcePort)
    guard let id = target.connectionsByTuple[tuple], let connection = target.connection(id),
      !victims.contains(tuple)
    else { return true }
    if isGenuine(frame, tcpRange) { return true }
    let distance = SequenceNumber(tcp.sequenceNumber) - connection.receiveNext
    if tcp.flags.contains(.rst) { return distance != 0 }
    if tcp.flags.contains(.syn) { return true }
    var length = payload.count
    if tcp.flags.contains(.fin) { length += 1 }
    let window = 2 * target.configuration.tcp.receiveBufferSize
    return distance + length < 0 || distance >= window
  }

  /// Whether the TCP segment in `frame[segment]` is byte for byte one the link carried.
  private func isGenuine(_ frame: [UInt8], _ segment: Range<Int>) -> Bool {
    let ipStart = EthernetHeader.length + IPv4Header.minimumLength
    for (genuine, _) in captured where genuine.count - ipStart == segment.count {
      if genuine[ipStart...].elementsEqual(frame[segment]) { return true }
    }
    return false
  }

  // MARK: Frame generation

  private func below(_ bound: Int) -> Int { Int(random.next() % UInt64(bound)) }
  private func chance(_ percent: Int) -> Bool { below(100) < percent }
  private func randomBytes(_ count: Int) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: count)
    var word: UInt64 = 0
    for index in 0..<count {
      if index % 8 == 0 { word = random.next() }
      bytes[index] = UInt8(truncatingIfNeeded: word)
      word >>= 8
    }
    return bytes
  }

  private func peer(of stack: NetworkStack) -> NetworkStack { stack === link.a ? link.b : link.a }
  private func mac(_ stack: NetworkStack) -> MACAddress { stack.configuration.interface.macAddress }
  private func ip(_ stack: NetworkStack) -> IPv4Address { stack.primaryAddress }

  /// The next frame to inject, its target and (rarely) a sub-range to pass.
  private func nextFrame() -> (NetworkStack, [UInt8], Range<Int>?) {
    let target = chance(50) ? link.a : link.b
    let roll = below(100)
    var frame: [UInt8]
    var to = target
    switch roll {
    case 0..<30 where !captured.isEmpty:
      (to, frame) = mutatedCapture()
    case 0..<50:
      frame = forgedSegment(to: target)
    case 50..<58:
      frame = forgedNewConnection(to: target)
    case 58..<72:
      frame = garbage(to: target)
    case 72..<80:
      frame = forgedARP(to: target)
    case 80..<90:
      frame = forgedICMP(to: target)
    default:
      frame = forgedUDP(to: target)
    }
    if chance(1) {
      let lower = below(frame.count + 1)
      let upper = lower + below(frame.count + 8 - lower)
      let range = chance(10) ? (-3)..<upper : lower..<upper
      return (to, frame, range)
    }
    return (to, frame, nil)
  }

  private func mutatedCapture() -> (NetworkStack, [UInt8]) {
    let (original, direction) = captured[below(captured.count)]
    var target = direction == .aToB ? link.b : link.a
    if chance(5) { target = peer(of: target) }
    var frame = original
    switch below(100) {
    case 0..<35:
      for _ in 0...below(8) {
        let bit = below(frame.count * 8)
        frame[bit / 8] ^= UInt8(1) << UInt8(bit % 8)
      }
    case 35..<50:
      frame.removeLast(below(frame.count) + 1)
    case 50..<95:
      overwriteField(&frame)
      if chance(75) { fixChecksums(&frame) }
    default:
      break  // a verbatim replay
    }
    return (target, frame)
  }

  /// A value for a field of `bytes` bytes: random, or a boundary.
  private func fieldValue(bytes: Int) -> UInt64 {
    let mask: UInt64 = bytes >= 8 ? .max : (1 << UInt64(bytes * 8)) - 1
    switch below(6) {
    case 0: return 0
    case 1: return mask
    case 2: return UInt64(below(64))
    case 3: return mask - UInt64(below(64))
    default: return random.next() & mask
    }
  }

  private func write(_ value: UInt64, bytes: Int, into frame: inout [UInt8], at offset: Int) {
    for index in 0..<bytes where offset + index < frame.count {
      frame[offset + index] = UInt8(truncatingIfNeeded: value >> UInt64(8 * (bytes - 1 - index)))
    }
  }

  /// Overwrites one header field (lengths, flags, ports, sequence numbers, addresses...).
  private func overwriteField(_ frame: inout [UInt8]) {
    let ipOffset = EthernetHeader.length
    let transport = ipOffset + IPv4Header.minimumLength
    let isIPv4 = frame.count > transport && frame[12] == 0x08 && frame[13] == 0x00
    let fields: [(offset: Int, bytes: Int)]
    if !isIPv4 {
      // Ethernet type, or ARP fields.
      fields = [(12, 2), (14, 2), (16, 2), (18, 1), (19, 1), (20, 2), (22, 6), (28, 4), (38, 4)]
    } else {
      var list: [(Int, Int)] = [
        (12, 2), (ipOffset, 1), (ipOffset + 1, 1), (ipOffset + 2, 2), (ipOffset + 6, 2),
        (ipOffset + 8, 1), (ipOffset + 9, 1), (ipOffset + 12, 4), (ipOffset + 16, 4),
      ]
      switch frame[ipOffset + 9] {
      case IPProtocol.tcp.rawValue:
        list += [
          (transport, 2), (transport + 2, 2), (transport + 4, 4), (transport + 8, 4),
          (transport + 12, 1), (transport + 13, 1), (transport + 14, 2), (transport + 18, 2),
          (transport + 20 + below(20), 1), (transport + 4, 4), (transport + 13, 1),
        ]
      case IPProtocol.udp.rawValue:
        list += [(transport, 2), (transport + 2, 2), (transport + 4, 2)]
      default:
        list += [(transport, 1), (transport + 1, 1), (transport + 4, 4), (transport + 8, 1)]
      }
      fields = list
    }
    let field = fields[below(fields.count)]
    write(fieldValue(bytes: field.bytes), bytes: field.bytes, into: &frame, at: field.offset)
  }

  /// Recomputes the IPv4 header checksum and the transport checksum, as far as the headers
  /// allow, so that a mutation gets past the checksum checks.
  private func fixChecksums(_ frame: inout [UInt8]) {
    let ipOffset = EthernetHeader.length
    guard frame.count >= ipOffset + IPv4Header.minimumLength, frame[12] == 0x08,
      frame[13] == 0x00
    else { return }
    let headerLength = Int(frame[ipOffset] & 0x0f) * 4
    guard headerLength >= 20, ipOffset + headerLength <= frame.count else { return }
    writeChecksum(&frame, at: ipOffset + 10, over: ipOffset..<ipOffset + headerLength)
    let total = Int(frame.readUInt16(at: ipOffset + 2))
    let end = min(frame.count, ipOffset + max(total, headerLength))
    let start = ipOffset + headerLength
    let source = IPv4Address(reading: frame, at: ipOffset + 12)
    let destination = IPv4Address(reading: frame, at: ipOffset + 16)
    switch IPProtocol(rawValue: frame[ipOffset + 9]) {
    case .tcp where end - start >= 20:
      TCPHeader.writeChecksum(
        in: &frame, segment: start..<end, source: source, destination: destination)
    case .udp where end - start >= 8:
      let length = Int(frame.readUInt16(at: start + 4))
      guard length >= 8, start + length <= end else { return }
      frame[start + 6] = 0
      frame[start + 7] = 0
      var sum = InternetChecksum()
      sum.addPseudoHeader(source: source, destination: destination, protocol: .udp, length: length)
      sum.add(frame, range: start..<start + length)
      let value = sum.checksum
      frame.writeUInt16(value == 0 ? 0xffff : value, at: start + 6)
    case .icmp where end - start >= 8:
      writeChecksum(&frame, at: start + 2, over: start..<end)
    default:
      break
    }
  }

  private func writeChecksum(_ frame: inout [UInt8], at field: Int, over range: Range<Int>) {
    frame[field] = 0
    frame[field + 1] = 0
    var sum = InternetChecksum()
    sum.add(frame, range: range)
    frame.writeUInt16(sum.checksum, at: field)
  }

  /// A checksummed segment with random flags, numbers, options and data for a live 4-tuple of
  /// `target`, its sequence number usually placed relative to the receive window.
  private func forgedSegment(to target: NetworkStack) -> [UInt8] {
    let live = Array(target.connectionsByTuple)
    guard !live.isEmpty else { return forgedNewConnection(to: target) }
    let (tuple, id) = live[below(live.count)]
    let receiveNext = target.connection(id)?.receiveNext.rawValue ?? 0
    let sendNext = target.connection(id)?.sendNext.rawValue ?? 0
    let payload = chance(50) ? [] : randomBytes(below(300))
    let span = UInt32(payload.count + 2)
    let sequence: UInt32
    switch below(5) {
    case 0: sequence = UInt32(truncatingIfNeeded: random.next())
    case 1: sequence = receiveNext &- span &- UInt32(below(100_000))
    case 2: sequence = receiveNext &+ (1 << 20) &+ UInt32(below(1 << 30))
    case 3: sequence = receiveNext &- span &+ UInt32(below(Int(span) + 2000))
    default: sequence = receiveNext &+ UInt32(below(3)) &- 1
    }
    let acknowledgment: UInt32
    switch below(4) {
    case 0: acknowledgment = UInt32(truncatingIfNeeded: random.next())
    case 1: acknowledgment = sendNext &+ UInt32(below(5)) &- 2
    case 2: acknowledgment = sendNext &+ (1 << 24)
    default: acknowledgment = sendNext &- UInt32(below(1 << 20))
    }
    let flagChoices: [TCPFlags] = [
      .ack, [.ack, .psh], .rst, [.rst, .ack], .syn, [.syn, .ack], [.fin, .ack], [],
      TCPFlags(rawValue: UInt8(truncatingIfNeeded: random.next())),
    ]
    let header = TCPHeader(
      sourcePort: tuple.remotePort, destinationPort: tuple.localPort, sequenceNumber: sequence,
      acknowledgmentNumber: acknowledgment, flags: flagChoices[below(flagChoices.count)],
      window: UInt16(truncatingIfNeeded: random.next()),
      urgentPointer: chance(10) ? UInt16(truncatingIfNeeded: random.next()) : 0,
      options: randomOptions(around: receiveNext))
    return PeerFrames.tcp(
      header, payload: payload, source: tuple.remoteAddress, destination: tuple.localAddress,
      from: mac(peer(of: target)), to: mac(target))
  }

  private func randomOptions(around sequence: UInt32) -> TCPOptions {
    var options = TCPOptions()
    if chance(20) { options.maximumSegmentSize = UInt16(truncatingIfNeeded: random.next()) }
    if chance(20) { options.windowScale = UInt8(below(20)) }
    if chance(20) { options.sackPermitted = true }
    if chance(30) {
      options.timestamp = TCPTimestamp(
        value: UInt32(truncatingIfNeeded: random.next()),
        echoReply: UInt32(truncatingIfNeeded: random.next()))
    }
    if chance(20) {
      var blocks: [SACKBlock] = []
      for _ in 0..<below(4) {
        let start = sequence &+ UInt32(truncatingIfNeeded: random.next() % 400_000) &- 200_000
        blocks.append(SACKBlock(start: start, end: start &+ UInt32(below(70_000))))
      }
      options.sackBlocks = SACKBlockList(blocks)
    }
    return options
  }

  /// A SYN (or another segment) from a new tuple: to a listener or a closed port, from the
  /// peer or from addresses that never answer.
  private func forgedNewConnection(to target: NetworkStack) -> [UInt8] {
    let sources = [
      ip(peer(of: target)), IPv4Address(198, 18, 0, UInt8(3 + below(250))),
      IPv4Address(10, 9, 8, 7),
    ]
    let source = sources[below(sources.count)]
    let ports: [UInt16] = [80, 8080, UInt16(truncatingIfNeeded: random.next())]
    let flags: TCPFlags =
      chance(70) ? .syn : TCPFlags(rawValue: UInt8(truncatingIfNeeded: random.next()))
    let header = TCPHeader(
      sourcePort: UInt16(truncatingIfNeeded: random.next()), destinationPort: ports[below(3)],
      sequenceNumber: UInt32(truncatingIfNeeded: random.next()),
      acknowledgmentNumber: UInt32(truncatingIfNeeded: random.next()), flags: flags,
      window: UInt16(truncatingIfNeeded: random.next()), options: randomOptions(around: 0))
    return PeerFrames.tcp(
      header, payload: chance(20) ? randomBytes(below(100)) : [], source: source,
      destination: ip(target), from: mac(peer(of: target)), to: mac(target))
  }

  /// Random bytes, sometimes behind a valid Ethernet or Ethernet + IPv4 header.
  private func garbage(to target: NetworkStack) -> [UInt8] {
    let body = randomBytes(below(chance(80) ? 100 : 1600))
    switch below(3) {
    case 0:
      return body
    case 1:
      let types: [EtherType] = [.ipv4, .arp, .vlan, .ipv6, EtherType(rawValue: 0x88cc)]
      return PeerFrames.ethernet(
        to: chance(80) ? mac(target) : .broadcast, from: mac(peer(of: target)),
        type: types[below(types.count)], vlan: chance(10) ? VLANTag(identifier: 1) : nil,
        payload: body)
    default:
      return PeerFrames.ipv4(
        to: mac(target), from: mac(peer(of: target)), source: ip(peer(of: target)),
        destination: chance(90) ? ip(target) : .broadcast,
        protocol: IPProtocol(rawValue: [1, 6, 17, 47, UInt8(below(256))][below(5)]),
        payload: body, identification: UInt16(below(65536)), dontFragment: chance(80))
    }
  }

  private func forgedARP(to target: NetworkStack) -> [UInt8] {
    let peerStack = peer(of: target)
    let operation = [ARPOperation.request, .reply, ARPOperation(rawValue: UInt16(below(5)))][
      below(3)]
    var senderIP = IPv4Address(198, 18, 0, UInt8(3 + below(250)))
    var senderMAC = MACAddress(0x02, 0, 0, 0xee, UInt8(below(256)), UInt8(below(256)))
    switch below(100) {
    case 0..<10:
      // The real peer, truthfully.
      senderIP = ip(peerStack)
      senderMAC = mac(peerStack)
    case 10..<15:
      senderIP = .any
    case 15..<20:
      senderMAC = MACAddress(rawValue: random.next() & 0xffff_ffff_ffff)
    case 20..<25:
      senderIP = IPv4Address(rawValue: UInt32(truncatingIfNeeded: random.next()))
    default:
      break
    }
    let targetIP = chance(60) ? ip(target) : IPv4Address(198, 18, 0, UInt8(below(256)))
    return PeerFrames.arp(
      operation, senderMAC: senderMAC, senderIP: senderIP,
      targetMAC: chance(50) ? .zero : mac(target), targetIP: targetIP,
      ethernetDestination: chance(50) ? .broadcast : mac(target),
      ethernetSource: mac(peerStack))
  }

  private func forgedICMP(to target: NetworkStack) -> [UInt8] {
    let message: ICMPv4Message
    var data: [UInt8]
    switch below(4) {
    case 0:
      message = .echoRequest(
        identifier: UInt16(below(65536)), sequence: UInt16(below(65536)))
      data = randomBytes(below(200))
    case 1, 2:
      // An error quoting a datagram the target sent (often one of a live flow).
      let codes: [ICMPv4UnreachableCode] = [
        .portUnreachable, .hostUnreachable, .networkUnreachable, .protocolUnreachable,
        .fragmentationNeeded, .communicationProhibited, ICMPv4UnreachableCode(rawValue: 15),
      ]
      message =
        chance(85)
        ? .destinationUnreachable(codes[below(codes.count)], nextHopMTU: UInt16(below(1600)))
        : .timeExceeded(code: UInt8(below(2)))
      let sent = captured.filter { ($0.direction == .aToB) == (target === link.a) }
      if let quoted = sent.isEmpty ? nil : sent[below(sent.count)].frame {
        data = Array(quoted[EthernetHeader.length..<min(quoted.count, 14 + 20 + below(60))])
      } else {
        data = randomBytes(28)
      }
    default:
      message = .other(
        type: UInt8(below(256)), code: UInt8(below(256)),
        rest: UInt32(truncatingIfNeeded: random.next()))
      data = randomBytes(below(64))
    }
    return PeerFrames.ipv4(
      to: mac(target), from: mac(peer(of: target)), source: ip(peer(of: target)),
      destination: ip(target), protocol: .icmp, payload: PeerFrames.icmpBody(message, data: data))
  }

  private func forgedUDP(to target: NetworkStack) -> [UInt8] {
    let ports: [UInt16] = [Self.udpPort, UInt16(below(65536))]
    let broadcast = chance(5)
    return PeerFrames.udp(
      sourcePort: chance(50) ? Self.udpPort : UInt16(below(65536)),
      destinationPort: ports[below(2)], payload: randomBytes(below(chance(90) ? 200 : 1472)),
      source: ip(peer(of: target)),
      destination: broadcast ? IPv4Address(198, 18, 0, 255) : ip(target),
      to: broadcast ? .broadcast : mac(target))
  }
}
