import Testing
import UsnetStack
import UsnetWire

/// A packetdrill-like harness: the test plays the remote peer (198.18.0.2, port 40000 unless
/// told otherwise) against one ``NetworkStack`` (198.18.0.1) on a virtual clock.
///
/// Sequence numbers in ``send(_:seq:ack:window:options:payload:port:)`` and
/// ``expect(_:seq:ack:window:length:at:sourceLocation:)`` are relative: the stack's relative
/// to its ISN for that peer port (learned from the SYN or SYN-ACK it emits; 0 before), the
/// peer's relative to ``peerISN``.
/// The stack's configuration turns quick ACKs off (``TCPConfiguration/quickACKs`` 0) and
/// gives every connection its whole receive buffer at once (no autotuning), so that a single
/// segment's delayed ACK and a window are what the literal expectations say; tests of those
/// features turn them back on in `adjust`.
/// The peer's ARP entry is pre-seeded, and ARP requests for the peer are answered by the
/// script, so tests only see TCP (and whatever else lands in ``otherFrames``).
final class TCPScript {
  let stack: NetworkStack
  private(set) var now = Instant.zero
  /// The peer's initial sequence number; by default 2^32 - 256, so its data soon wraps.
  let peerISN: UInt32
  /// The stack's ISN per peer port (learned from its SYN or SYN-ACK).
  var stackISNs: [UInt16: UInt32] = [:]
  /// The peer's port: the connection `send` and relative numbers refer to by default.
  var peerPort: UInt16 = 40000
  var stackPort: UInt16 = 80
  /// Whether ARP requests for the peer are answered.
  var answersARP: Bool
  /// Segments the stack emitted that no expectation has consumed yet.
  private(set) var pending: [ScriptSegment] = []
  /// Frames that were neither TCP nor an answered ARP request.
  private(set) var otherFrames: [[UInt8]] = []
  private var frame: [UInt8] = []

  static let peerMAC = TestHosts.macB
  static let peerIP = TestHosts.ipB
  static let stackIP = TestHosts.ipA

  init(
    seed: UInt64 = 7, peerISN: UInt32 = 0xFFFF_FF00, answersARP: Bool = true,
    _ adjust: (inout StackConfiguration) -> Void = { _ in }
  ) throws {
    var random = SeededRandom(seed: seed)
    stack = try NetworkStack(
      configuration: TestHosts.configuration(mac: TestHosts.macA, ip: Self.stackIP) {
        $0.tcp.quickACKs = 0
        $0.tcp.receiveBufferAutotuning = false
        adjust(&$0)
      },
      random: &random)
    self.peerISN = peerISN
    self.answersARP = answersARP
    if answersARP {
      sendARP(.request, target: .zero)
      drain()
      otherFrames.removeAll()  // the stack's ARP reply
    }
  }

  // MARK: Time

  /// Moves the clock to `time`, letting every timer due on the way fire at its deadline.
  @discardableResult
  func at(_ time: Instant) -> TCPScript {
    drain()  // what the stack has to send before the clock moves (after a socket call)
    var steps = 0
    while let deadline = stack.nextDeadline, deadline <= time, steps < 10_000 {
      if now < deadline { now = deadline }
      drain()
      steps += 1
    }
    if now < time { now = time }
    drain()
    return self
  }

  /// Moves the clock forward by `duration`.
  @discardableResult
  func advance(by duration: Duration) -> TCPScript { at(now + duration) }

  // MARK: The peer

  /// Sends a segment from the peer (from `port`, default ``peerPort``). `seq` is relative to
  /// ``peerISN``, `ack` to the stack's ISN for that port (sent as 0 without `.ack`).
  ///
  /// `checksum` chooses what the checksum field holds and how the frame is delivered: valid,
  /// partial with a `NEEDS_CSUM` virtio-net header (as a TAP with offloads delivers the
  /// kernel's own segments), or corrupt (one bit off) without metadata.
  func send(
    _ flags: TCPFlags, seq: Int, ack: Int = 0, window: UInt16 = 65535,
    options: TCPOptions = TCPOptions(), payload: [UInt8] = [], port: UInt16? = nil,
    checksum: ScriptChecksum = .valid
  ) {
    let header = TCPHeader(
      sourcePort: port ?? peerPort, destinationPort: stackPort,
      sequenceNumber: peerISN &+ UInt32(truncatingIfNeeded: seq),
      acknowledgmentNumber: flags.contains(.ack)
        ? (stackISNs[port ?? peerPort] ?? 0) &+ UInt32(truncatingIfNeeded: ack) : 0,
      flags: flags, window: window, options: options)
    var metadata = VirtioNetHeader()
    if checksum == .partial {
      metadata = VirtioNetHeader(
        flags: .needsChecksum, checksumStart: UInt16(EthernetHeader.length + 20),
        checksumOffset: 16)
    }
    sendIPv4(
      protocol: .tcp, length: header.headerLength + payload.count, metadata: metadata
    ) { buffer, offset in
      let length = header.emit(into: &buffer, at: offset)
      buffer.replaceSubrange(
        (offset + length)..<(offset + length + payload.count), with: payload)
      let segment = offset..<(offset + length + payload.count)
      switch checksum {
      case .valid, .corrupt:
        TCPHeader.writeChecksum(
          in: &buffer, segment: segment, source: Self.peerIP, destination: Self.stackIP)
        if checksum == .corrupt { buffer[offset + 17] ^= 1 }
      case .partial:
        TCPHeader.writePartialChecksum(
          in: &buffer, segment: segment, source: Self.peerIP, destination: Self.stackIP)
      }
    }
  }

  /// Sends an ICMP destination unreachable from `source` that quotes `segment` (its IPv4
  /// header and first 8 bytes), with `mtu` as the next-hop MTU field.
  func sendUnreachable(
    _ code: ICMPv4UnreachableCode, quoting segment: ScriptSegment,
    from source: IPv4Address = TestHosts.ipB, mtu: UInt16 = 0
  ) {
    let quoted = Array(segment.ipPacket.prefix(IPv4Header.minimumLength + 8))
    let length = ICMPv4Packet.headerLength + quoted.count
    sendIPv4(protocol: .icmp, source: source, length: length) { buffer, offset in
      let start = offset + ICMPv4Packet.headerLength
      buffer.replaceSubrange(start..<(start + quoted.count), with: quoted)
      ICMPv4Packet(message: .destinationUnreachable(code, nextHopMTU: mtu))
        .emit(into: &buffer, at: offset, payloadLength: quoted.count)
    }
  }

  private func sendIPv4(
    protocol ipProtocol: IPProtocol, source: IPv4Address = TestHosts.ipB, length: Int,
    metadata: VirtioNetHeader = VirtioNetHeader(), fill: (inout [UInt8], Int) -> Void
  ) {
    let ipOffset = EthernetHeader.length
    var buffer = [UInt8](repeating: 0, count: ipOffset + IPv4Header.minimumLength + length)
    EthernetHeader(destination: TestHosts.macA, source: Self.peerMAC, etherType: .ipv4)
      .emit(into: &buffer, at: 0)
    IPv4Header(
      source: source, destination: Self.stackIP, protocol: ipProtocol, payloadLength: length
    ).emit(into: &buffer, at: ipOffset)
    fill(&buffer, ipOffset + IPv4Header.minimumLength)
    stack.receive(frame: buffer, range: 0..<buffer.count, metadata: metadata, at: now)
    drain()
  }

  private func sendARP(_ operation: ARPOperation, target: MACAddress) {
    var buffer = [UInt8](repeating: 0, count: EthernetHeader.length + ARPPacket.length)
    let destination = operation == .request ? MACAddress.broadcast : TestHosts.macA
    EthernetHeader(destination: destination, source: Self.peerMAC, etherType: .arp)
      .emit(into: &buffer, at: 0)
    ARPPacket(
      operation: operation, senderMAC: Self.peerMAC, senderIP: Self.peerIP, targetMAC: target,
      targetIP: Self.stackIP
    ).emit(into: &buffer, at: EthernetHeader.length)
    stack.receive(frame: buffer, at: now)
  }

  // MARK: What the stack emits

  /// Takes every frame the stack has to send now into ``pending`` (answering ARP requests).
  /// A segment with offload metadata (a partial checksum, TSO) is recorded with its metadata
  /// and its checksum finished as a device would.
  func drain() {
    var metadata = VirtioNetHeader()
    while stack.transmit(into: &frame, metadata: &metadata, at: now) {
      var emitted = frame
      if metadata.flags.contains(.needsChecksum) {
        finishChecksum(&emitted, metadata: metadata)
      }
      if var segment = parseTCP(emitted) {
        segment.metadata = metadata
        segment.frame = frame
        pending.append(segment)
      } else if answersARP, isARPRequestForPeer(emitted) {
        sendARP(.reply, target: TestHosts.macA)
      } else {
        otherFrames.append(emitted)
      }
    }
  }

  /// Completes a partial checksum like a device: sums from `checksumStart` to the end and
  /// stores the complement at `checksumStart + checksumOffset`.
  private func finishChecksum(_ frame: inout [UInt8], metadata: VirtioNetHeader) {
    let start = Int(metadata.checksumStart)
    var sum = InternetChecksum()
    sum.add(frame, range: start..<frame.count)
    frame.writeUInt16(sum.checksum, at: start + Int(metadata.checksumOffset))
  }

  private func isARPRequestForPeer(_ frame: [UInt8]) -> Bool {
    guard let (ethernet, payload) = try? EthernetHeader.parse(frame, in: 0..<frame.count),
      ethernet.etherType == .arp, let arp = try? ARPPacket.parse(frame, in: payload)
    else { return false }
    return arp.operation == .request && arp.targetIP == Self.peerIP
  }

  private func parseTCP(_ frame: [UInt8]) -> ScriptSegment? {
    guard let (ethernet, ipRange) = try? EthernetHeader.parse(frame, in: 0..<frame.count),
      ethernet.etherType == .ipv4, ethernet.destination == Self.peerMAC,
      let (ip, tcpRange) = try? IPv4Header.parse(frame, in: ipRange), ip.protocol == .tcp,
      let (tcp, payload) = try? TCPHeader.parse(
        frame, in: tcpRange, source: ip.source, destination: ip.destination)
    else { return nil }
    if tcp.flags.contains(.syn) {
      stackISNs[tcp.destinationPort] = tcp.sequenceNumber
      if tcp.destinationPort == peerPort { stackPort = tcp.sourcePort }
    }
    return ScriptSegment(
      time: now, header: tcp, payload: Array(frame[payload]), ipPacket: Array(frame[ipRange]),
      relativeSequence: relative(tcp.sequenceNumber, to: stackISNs[tcp.destinationPort] ?? 0),
      relativeAcknowledgment: relative(tcp.acknowledgmentNumber, to: peerISN))
  }

  private func relative(_ value: UInt32, to base: UInt32) -> Int {
    Int(Int32(bitPattern: value &- base))
  }

  /// The SACK blocks of `segment`, relative to the peer's ISN, in the order sent.
  func sackBlocks(of segment: ScriptSegment?) -> [Range<Int>] {
    guard let segment else { return [] }
    return segment.header.options.sackBlocks.map {
      relative($0.start, to: peerISN)..<relative($0.end, to: peerISN)
    }
  }

  /// Options for a peer ACK that carries SACK blocks, given relative to the stack's ISN for
  /// ``peerPort``, in the order they go on the wire.
  func sack(_ blocks: Range<Int>...) -> TCPOptions {
    let base = stackISNs[peerPort] ?? 0
    var options = TCPOptions()
    for block in blocks {
      options.sackBlocks.append(
        SACKBlock(
          start: base &+ UInt32(truncatingIfNeeded: block.lowerBound),
          end: base &+ UInt32(truncatingIfNeeded: block.upperBound)))
    }
    return options
  }

  // MARK: Expectations

  /// Takes every segment the stack has emitted and no expectation consumed, in order.
  func takeAll() -> [ScriptSegment] {
    drain()
    defer { pending.removeAll() }
    return pending
  }

  /// Takes the next emitted segment and checks it. Flags must match exactly (PSH only when
  /// `flags` has it), `seq`, `ack` (relative) and `window` (the raw field) are checked when
  /// given, the payload must be `length` bytes, and `at` checks when it was emitted. Returns
  /// the segment (also when it did not match), or `nil` when nothing was emitted.
  @discardableResult
  func expect(
    _ flags: TCPFlags, seq: Int? = nil, ack: Int? = nil, window: UInt16? = nil,
    length: Int = 0, at time: Instant? = nil, sourceLocation: SourceLocation = #_sourceLocation
  ) -> ScriptSegment? {
    drain()
    var wanted = "\(flags) "
    if let seq { wanted += "seq \(seq) " }
    if let ack { wanted += "ack \(ack) " }
    if let window { wanted += "win \(window) " }
    wanted += "len \(length)"
    if let time { wanted += " at \(time)" }
    guard !pending.isEmpty else {
      Issue.record(
        "expected \(wanted) at \(now), but the stack emitted nothing",
        sourceLocation: sourceLocation)
      return nil
    }
    let segment = pending.removeFirst()
    var actualFlags = segment.header.flags
    if !flags.contains(.psh) { actualFlags.remove(.psh) }
    let matches =
      actualFlags == flags && seq.map { $0 == segment.relativeSequence } ?? true
      && ack.map { $0 == segment.relativeAcknowledgment && flags.contains(.ack) } ?? true
      && window.map { $0 == segment.header.window } ?? true
      && segment.payload.count == length && time.map { $0 == segment.time } ?? true
    if !matches {
      let rest = pending.map { "\n  then \($0)" }.joined()
      Issue.record("expected \(wanted)\n  got  \(segment)\(rest)", sourceLocation: sourceLocation)
    }
    return segment
  }

  /// Checks that the stack has nothing to send now, and that every frame it received was
  /// either accepted or counted as a drop.
  func expectNothing(sourceLocation: SourceLocation = #_sourceLocation) {
    drain()
    if !pending.isEmpty {
      let list = pending.map { "\n  \($0)" }.joined()
      Issue.record("expected nothing at \(now), got:\(list)", sourceLocation: sourceLocation)
      pending.removeAll()
    }
    let counters = stack.counters
    #expect(
      counters.framesReceived == counters.framesAccepted + counters.totalDrops,
      "frames received = accepted + dropped", sourceLocation: sourceLocation)
  }

  // MARK: Common openings

  /// Listens on ``stackPort``, lets the peer connect with `options` and `window` in its SYN
  /// and ACK, accepts and returns the connection. The peer's SYN is relative 0, so its data
  /// starts at 1, and so does the stack's.
  func acceptConnection(
    backlog: Int = 8, options: TCPOptions = TCPOptions(maximumSegmentSize: 1460),
    window: UInt16 = 65535, sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> (TCPSocketID, TCPListenerID) {
    let listener = try stack.listen(port: stackPort, backlog: backlog, at: now)
    send(.syn, seq: 0, window: window, options: options)
    expect(.synAck, seq: 0, ack: 1, sourceLocation: sourceLocation)
    send(.ack, seq: 1, ack: 1, window: window)
    expectNothing(sourceLocation: sourceLocation)
    guard let id = try stack.accept(listener) else {
      throw TestFailure("accept returned nothing after the handshake")
    }
    return (id, listener)
  }

  /// Connects the stack to the peer and completes the handshake with a SYN-ACK carrying
  /// `options`; returns the connection. The stack's SYN is relative 0.
  func openConnection(
    options: TCPOptions = TCPOptions(maximumSegmentSize: 1460), window: UInt16 = 65535,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> TCPSocketID {
    let id = try stack.connect(to: Self.peerIP, port: peerPort, at: now)
    expect(.syn, seq: 0, sourceLocation: sourceLocation)
    send(.synAck, seq: 0, ack: 1, window: window, options: options)
    expect(.ack, seq: 1, ack: 1, sourceLocation: sourceLocation)
    return id
  }

  /// The connection's state, or `nil` once released.
  func state(_ id: TCPSocketID) -> TCPState? { stack.info(id)?.state }

  /// Reads everything readable from `id` (nil when nothing is there).
  func read(_ id: TCPSocketID) throws(StackError) -> [UInt8]? {
    var buffer = [UInt8](repeating: 0, count: 65536)
    guard let count = try stack.receive(id, into: &buffer, at: now) else { return nil }
    return Array(buffer.prefix(count))
  }

  /// Queues `count` bytes of 0x61 on `id`; returns how many were taken.
  @discardableResult
  func write(_ id: TCPSocketID, count: Int) throws(StackError) -> Int {
    try stack.send(id, [UInt8](repeating: 0x61, count: count), at: now)
  }
}

/// One segment the stack emitted, with its sequence numbers relative to the script's ISNs.
struct ScriptSegment: CustomStringConvertible {
  var time: Instant
  var header: TCPHeader
  var payload: [UInt8]
  /// The IPv4 packet (header and segment), for quoting in ICMP errors.
  var ipPacket: [UInt8]
  var relativeSequence: Int
  var relativeAcknowledgment: Int
  /// The offload metadata the stack emitted the segment with (all zero without offloads).
  var metadata = VirtioNetHeader()
  /// The whole frame as the stack emitted it (with a partial checksum when offloaded).
  var frame: [UInt8] = []

  var description: String {
    var text = "\(header.flags) seq \(relativeSequence)"
    if header.flags.contains(.ack) { text += " ack \(relativeAcknowledgment)" }
    text += " win \(header.window) len \(payload.count)"
    var options: [String] = []
    if let mss = header.options.maximumSegmentSize { options.append("mss \(mss)") }
    if let shift = header.options.windowScale { options.append("wscale \(shift)") }
    if header.options.sackPermitted { options.append("sackOK") }
    if !header.options.sackBlocks.isEmpty {
      options.append("sack \(header.options.sackBlocks.count) blocks")
    }
    if !options.isEmpty { text += " <\(options.joined(separator: ","))>" }
    return text + " at \(time)"
  }
}

/// What the checksum of a segment the script sends holds (see
/// ``TCPScript/send(_:seq:ack:window:options:payload:port:checksum:)``).
enum ScriptChecksum {
  case valid
  case partial
  case corrupt
}

extension TCPFlags {
  static let synAck: TCPFlags = [.syn, .ack]
  static let finAck: TCPFlags = [.fin, .ack]
  static let rstAck: TCPFlags = [.rst, .ack]
  static let pshAck: TCPFlags = [.psh, .ack]
}
