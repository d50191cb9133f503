import Testing
import UsnetSim
import UsnetStack
import UsnetWire

@Suite("IPv4 reassembly")
struct IPv4ReassemblyTests {
  /// A UDP datagram from B:4000 to A:5000 carrying `count` pattern bytes: the IPv4 payload
  /// (UDP header and data) and the data.
  static func udpDatagram(count: Int, seed: UInt64 = 1) -> (body: [UInt8], data: [UInt8]) {
    let data = patternBytes(count: count, seed: seed)
    return (PeerFrames.udpBody(sourcePort: 4000, destinationPort: 5000, payload: data), data)
  }

  /// A stack with a UDP socket on port 5000.
  static func stackWithSocket(
    _ adjust: (inout StackConfiguration) -> Void = { _ in }
  ) throws -> (NetworkStack, UDPSocketID) {
    let stack = try makeStack(adjust)
    let socket = try stack.bindUDP(port: 5000, at: .zero)
    return (stack, socket)
  }

  /// The next datagram queued on `socket`, whole.
  static func received(_ stack: NetworkStack, _ socket: UDPSocketID) throws -> [UInt8]? {
    var buffer = [UInt8](repeating: 0, count: 70_000)
    guard let info = try stack.receive(socket, into: &buffer, at: .zero) else { return nil }
    return Array(buffer[0..<info.count])
  }

  /// Checks that nothing is held for reassembly and no reassembly timer is pending.
  static func expectEmpty(
    _ stack: NetworkStack, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(stack.reassemblyBytesHeld == 0, sourceLocation: sourceLocation)
    #expect(stack.reassemblyDatagramsInProgress == 0, sourceLocation: sourceLocation)
    #expect(stack.nextDeadline == nil, sourceLocation: sourceLocation)
  }

  @Test("fragments in order are reassembled and delivered to the UDP socket")
  func inOrder() throws {
    let (stack, socket) = try Self.stackWithSocket()
    let (body, data) = Self.udpDatagram(count: 4000)
    let fragments = FragmentFrames.split(body, at: FragmentFrames.cuts(every: 1480, count: 4008))
    #expect(fragments.count == 3)
    for fragment in fragments.dropLast() {
      expectAccepted(stack, fragment)
      #expect(stack.pendingDatagrams(socket) == 0)
    }
    #expect(stack.reassemblyDatagramsInProgress == 1)
    #expect(stack.reassemblyBytesHeld >= 20 + 2960)
    #expect(stack.nextDeadline == .zero + .seconds(30))
    expectAccepted(stack, fragments[2])
    #expect(try Self.received(stack, socket) == data)
    let counters = stack.counters
    #expect(counters.ipv4FragmentsReceived == 3)
    #expect(counters.ipv4DatagramsReassembled == 1)
    #expect(counters.ipv4ReassemblyFailures == 0)
    Self.expectEmpty(stack)
    #expect(drain(stack, at: .zero).isEmpty)
  }

  @Test("reverse and shuffled orders reassemble the same bytes")
  func reverseAndShuffled() throws {
    let (stack, socket) = try Self.stackWithSocket()
    let (body, data) = Self.udpDatagram(count: 6000, seed: 2)
    let cuts = FragmentFrames.cuts(every: 1000, count: body.count)
    let forward = FragmentFrames.split(body, at: cuts, identification: 1)
    for fragment in forward.reversed() { expectAccepted(stack, fragment) }
    #expect(try Self.received(stack, socket) == data)
    // Uneven cuts in a scrambled order, with the last fragment in the middle.
    let scrambled = FragmentFrames.split(body, at: [8, 16, 1496, 3000, 5000], identification: 2)
    for index in [3, 0, 5, 1, 4, 2] { expectAccepted(stack, scrambled[index]) }
    #expect(try Self.received(stack, socket) == data)
    #expect(stack.counters.ipv4DatagramsReassembled == 2)
    Self.expectEmpty(stack)
  }

  @Test("exact duplicates are dropped as ipv4FragmentDuplicate and do no harm")
  func duplicates() throws {
    let (stack, socket) = try Self.stackWithSocket()
    let (body, data) = Self.udpDatagram(count: 3000, seed: 3)
    let fragments = FragmentFrames.split(body, at: [1000, 2000])
    expectAccepted(stack, fragments[0])
    expectDrop(stack, fragments[0], .ipv4FragmentDuplicate)
    expectAccepted(stack, fragments[1])
    // Bytes spanning two held fragments, the same values: still a duplicate.
    expectDrop(
      stack, FragmentFrames.fragment(Array(body[992..<1016]), offset: 992, more: true),
      .ipv4FragmentDuplicate)
    expectDrop(stack, fragments[1], .ipv4FragmentDuplicate)
    #expect(stack.reassemblyDatagramsInProgress == 1)
    expectAccepted(stack, fragments[2])
    #expect(try Self.received(stack, socket) == data)
    #expect(stack.counters.ipv4ReassemblyFailures == 0)
    // After completion a duplicate starts a new datagram, which only times out.
    expectAccepted(stack, fragments[2])
    #expect(try Self.received(stack, socket) == nil)
    #expect(stack.reassemblyDatagramsInProgress == 1)
    _ = drain(stack, at: .zero + .seconds(30))
    Self.expectEmpty(stack)
  }

  @Test("a duplicate last fragment that tells the end completes the datagram")
  func duplicateTellsEnd() throws {
    let (stack, socket) = try Self.stackWithSocket()
    let (body, data) = Self.udpDatagram(count: 24 - 8, seed: 4)
    // [0, 16) without MF would be a whole packet: hold [0, 8) and [8, 24) with MF set, then
    // the same bytes [8, 24) as the last fragment.
    expectAccepted(stack, FragmentFrames.fragment(Array(body[0..<8]), offset: 0, more: true))
    expectAccepted(stack, FragmentFrames.fragment(Array(body[8..<24]), offset: 8, more: true))
    expectAccepted(stack, FragmentFrames.fragment(Array(body[8..<24]), offset: 8, more: false))
    #expect(try Self.received(stack, socket) == data)
    Self.expectEmpty(stack)
  }

  @Test("teardrop: a fragment inside held data with other bytes discards the datagram")
  func overlapInside() throws {
    let (stack, socket) = try Self.stackWithSocket()
    let (body, _) = Self.udpDatagram(count: 3000, seed: 5)
    let fragments = FragmentFrames.split(body, at: [1480])
    expectAccepted(stack, fragments[0])
    var forged = Array(body[64..<128])
    forged[10] ^= 0xFF
    expectDrop(
      stack, FragmentFrames.fragment(forged, offset: 64, more: true), .ipv4FragmentOverlap)
    Self.expectEmpty(stack)
    #expect(stack.counters.ipv4ReassemblyFailures == 1)
    // What follows starts over without the first fragment and never completes.
    expectAccepted(stack, fragments[1])
    #expect(try Self.received(stack, socket) == nil)
    #expect(stack.reassemblyDatagramsInProgress == 1)
    // The overlap may also arrive first: the genuine fragment is then the overlapping one.
    let second = FragmentFrames.split(body, at: [1480], identification: 7)
    expectAccepted(
      stack, FragmentFrames.fragment(forged, offset: 64, more: true, identification: 7))
    expectDrop(stack, second[0], .ipv4FragmentOverlap)
    expectAccepted(stack, second[1])
    #expect(try Self.received(stack, socket) == nil)
  }

  @Test("a small fragment that overlaps the edge of held data discards the datagram")
  func overlapEdge() throws {
    let (stack, socket) = try Self.stackWithSocket()
    let (body, _) = Self.udpDatagram(count: 3000, seed: 6)
    let fragments = FragmentFrames.split(body, at: [1480])
    expectAccepted(stack, fragments[0])
    // Same bytes where it overlaps, new bytes beyond: still an overlap (RFC 5722).
    expectDrop(
      stack, FragmentFrames.fragment(Array(body[1472..<1488]), offset: 1472, more: true),
      .ipv4FragmentOverlap)
    Self.expectEmpty(stack)
    // RFC 1858's attack: a second fragment at offset 8 rewriting the UDP ports.
    let again = FragmentFrames.split(body, at: [1480], identification: 9)
    expectAccepted(stack, again[0])
    expectDrop(
      stack,
      FragmentFrames.fragment(
        [UInt8](repeating: 0, count: 16), offset: 0, more: true, identification: 9),
      .ipv4FragmentOverlap)
    expectAccepted(stack, again[1])
    #expect(try Self.received(stack, socket) == nil)
  }

  @Test("conflicting ends discard the datagram as ipv4FragmentEndConflict")
  func endConflicts() throws {
    let (stack, _) = try Self.stackWithSocket()
    let chunk = [UInt8](repeating: 1, count: 16)
    // Two last fragments with different ends.
    expectAccepted(
      stack, FragmentFrames.fragment(chunk, offset: 64, more: false, identification: 1))
    expectDrop(
      stack, FragmentFrames.fragment(chunk, offset: 96, more: false, identification: 1),
      .ipv4FragmentEndConflict)
    Self.expectEmpty(stack)
    // Data beyond the known end.
    expectAccepted(
      stack, FragmentFrames.fragment(chunk, offset: 64, more: false, identification: 2))
    expectDrop(
      stack, FragmentFrames.fragment(chunk, offset: 80, more: true, identification: 2),
      .ipv4FragmentEndConflict)
    Self.expectEmpty(stack)
    // A last fragment ending before data already held (the classic teardrop pair).
    expectAccepted(
      stack,
      FragmentFrames.fragment(
        [UInt8](repeating: 2, count: 48), offset: 0, more: true, identification: 3))
    expectDrop(
      stack,
      FragmentFrames.fragment([1, 2, 3, 4], offset: 24, more: false, identification: 3),
      .ipv4FragmentEndConflict)
    Self.expectEmpty(stack)
    #expect(stack.counters.ipv4ReassemblyFailures == 3)
  }

  @Test("bad lengths and datagrams beyond 65,535 bytes are ipv4FragmentMalformed")
  func malformed() throws {
    let (stack, socket) = try Self.stackWithSocket()
    // A fragment with MF set must carry a multiple of 8 bytes.
    expectDrop(
      stack, FragmentFrames.fragment([UInt8](repeating: 0, count: 100), offset: 0, more: true),
      .ipv4FragmentMalformed)
    // An empty fragment.
    expectDrop(stack, FragmentFrames.fragment([], offset: 8, more: false), .ipv4FragmentMalformed)
    expectDrop(stack, FragmentFrames.fragment([], offset: 0, more: true), .ipv4FragmentMalformed)
    // The highest offset plus 16 bytes: beyond 65,535 ("ping of death").
    expectDrop(
      stack,
      FragmentFrames.fragment([UInt8](repeating: 0, count: 16), offset: 65528, more: false),
      .ipv4FragmentMalformed)
    Self.expectEmpty(stack)
    // A ping of death in whole: 45 fragments of 1480 bytes would reach 66,600 bytes. The
    // first 44 fit (65,120 bytes); the 45th is refused and the datagram never completes.
    let chunk = [UInt8](repeating: 0x55, count: 1480)
    var offset = 0
    while offset + 1480 <= 65515 {
      expectAccepted(
        stack, FragmentFrames.fragment(chunk, offset: offset, more: true, identification: 66))
      offset += 1480
    }
    expectDrop(
      stack, FragmentFrames.fragment(chunk, offset: offset, more: false, identification: 66),
      .ipv4FragmentMalformed)
    #expect(stack.reassemblyBytesHeld <= 65535)
    #expect(try Self.received(stack, socket) == nil)
    // Exactly 65,535 bytes is fine.
    let (body, data) = Self.udpDatagram(count: 65507, seed: 7)
    for fragment in FragmentFrames.split(
      body, at: FragmentFrames.cuts(every: 1480, count: body.count), identification: 67)
    {
      expectAccepted(stack, fragment)
    }
    #expect(try Self.received(stack, socket) == data)
  }

  @Test("an incomplete datagram is freed after 30 s and answered with time exceeded")
  func timeout() throws {
    let (stack, socket) = try Self.stackWithSocket()
    let (body, _) = Self.udpDatagram(count: 3000, seed: 8)
    let fragments = FragmentFrames.split(body, at: [1480])
    expectAccepted(stack, fragments[0], at: .zero + .seconds(1))
    #expect(stack.nextDeadline == .zero + .seconds(31))
    #expect(drain(stack, at: .zero + .milliseconds(30_999)).isEmpty)
    #expect(stack.reassemblyDatagramsInProgress == 1)
    let frames = drain(stack, at: .zero + .seconds(31))
    Self.expectEmpty(stack)
    #expect(stack.counters.ipv4ReassemblyTimeouts == 1)
    #expect(stack.counters.ipv4ReassemblyFailures == 1)
    try #require(frames.count == 1)
    let reply = frames[0]
    #expect(reply.error == nil)
    #expect(reply.ethernet?.destination == TestHosts.macB)
    #expect(reply.ip?.source == TestHosts.ipA && reply.ip?.destination == TestHosts.ipB)
    #expect(reply.icmp?.message == .timeExceeded(code: 1))
    let quoted = try #require(reply.quoted)
    #expect(quoted.header.identification == 0x4242)
    #expect(quoted.header.protocol == .udp)
    #expect(quoted.header.moreFragments)
    #expect(quoted.sourcePort == 4000 && quoted.destinationPort == 5000)
    // The quote is cut to fit a 576-byte ICMP packet.
    #expect(reply.payloadRange.count == 576 - 28)
    #expect(reply.payload[20...] == body[0..<(576 - 48)])
    #expect(stack.counters.icmpTimeExceededSent == 1)
    // The late second fragment starts over, and without the first no ICMP is sent.
    expectAccepted(stack, fragments[1], at: .zero + .seconds(40))
    #expect(drain(stack, at: .zero + .seconds(70)).isEmpty)
    Self.expectEmpty(stack)
    #expect(stack.counters.ipv4ReassemblyTimeouts == 2)
    // Nor for a broadcast datagram.
    let broadcast = FragmentFrames.split(
      body, at: [1480], destination: IPv4Address(198, 18, 0, 255), to: .broadcast)
    expectAccepted(stack, broadcast[0], at: .zero + .seconds(80))
    #expect(drain(stack, at: .zero + .seconds(110)).isEmpty)
    #expect(stack.counters.icmpTimeExceededSent == 1)
    #expect(try Self.received(stack, socket) == nil)
    Self.expectEmpty(stack)
  }

  @Test("many incomplete datagrams never hold more than the limits")
  func limits() throws {
    let (stack, socket) = try Self.stackWithSocket {
      $0.reassembly.maximumBytes = 100_000
      $0.reassembly.maximumDatagrams = 16
    }
    var refused = 0
    for id in 0..<200 {
      // Each announces a different end, some near 64 KB.
      let offset = (id % 3 == 0) ? 60_000 : (id % 7) * 1480
      let before = stack.counters[.ipv4ReassemblyLimit]
      stack.receive(
        frame: FragmentFrames.fragment(
          [UInt8](repeating: UInt8(id & 0xFF), count: 1480), offset: offset, more: true,
          identification: UInt16(id)),
        at: .zero)
      refused += stack.counters[.ipv4ReassemblyLimit] - before
      #expect(stack.reassemblyBytesHeld <= 100_000)
      #expect(stack.reassemblyDatagramsInProgress <= 16)
    }
    #expect(refused > 100)
    #expect(
      stack.counters.framesReceived == stack.counters.framesAccepted + stack.counters.totalDrops)
    // Full: a complete datagram cannot start either, until the timeout frees everything.
    let (body, data) = Self.udpDatagram(count: 3000, seed: 9)
    let fragments = FragmentFrames.split(body, at: [1480], identification: 999)
    expectDrop(stack, fragments[0], .ipv4ReassemblyLimit)
    _ = drain(stack, at: .zero + .seconds(30))
    Self.expectEmpty(stack)
    for fragment in fragments { expectAccepted(stack, fragment, at: .zero + .seconds(30)) }
    #expect(try Self.received(stack, socket) == data)
  }

  @Test("a datagram needing more fragments than the limit is discarded")
  func fragmentsPerDatagram() throws {
    let (stack, socket) = try Self.stackWithSocket { $0.reassembly.maximumFragmentsPerDatagram = 4 }
    let (body, data) = Self.udpDatagram(count: 3000, seed: 10)
    let five = FragmentFrames.split(body, at: [600, 1200, 1800, 2400])
    for fragment in five.prefix(4) { expectAccepted(stack, fragment) }
    expectDrop(stack, five[4], .ipv4ReassemblyLimit)
    Self.expectEmpty(stack)
    let four = FragmentFrames.split(body, at: [800, 1600, 2400], identification: 2)
    for fragment in four { expectAccepted(stack, fragment) }
    #expect(try Self.received(stack, socket) == data)
  }

  @Test("the UDP checksum is verified over the reassembled datagram")
  func checksumOverWhole() throws {
    let (stack, socket) = try Self.stackWithSocket()
    let (body, _) = Self.udpDatagram(count: 3000, seed: 11)
    var fragments = FragmentFrames.split(body, at: [1480])
    // One payload byte of the second fragment changed (its IPv4 header stays valid).
    fragments[1][EthernetHeader.length + 20 + 100] ^= 0x01
    expectAccepted(stack, fragments[0])
    expectDrop(stack, fragments[1], .malformedUDP)
    #expect(try Self.received(stack, socket) == nil)
    #expect(stack.counters.ipv4DatagramsReassembled == 1)
    // A reassembled datagram for a closed port is answered like any other, quoting its start.
    let closed = PeerFrames.udpBody(
      sourcePort: 4000, destinationPort: 9999, payload: patternBytes(count: 2000, seed: 12))
    let pieces = FragmentFrames.split(closed, at: [1480], identification: 5)
    expectAccepted(stack, pieces[0])
    expectDrop(stack, pieces[1], .udpNoSocket)
    let replies = drain(stack, at: .zero)
    try #require(replies.count == 1)
    #expect(replies[0].icmp?.message == .destinationUnreachable(.portUnreachable, nextHopMTU: 0))
    let quoted = try #require(replies[0].quoted)
    #expect(quoted.header.totalLength == 2028 && !quoted.header.moreFragments)
    #expect(quoted.destinationPort == 9999)
    #expect(replies[0].payload[20..<(576 - 28)] == closed[0..<(576 - 48)])
  }

  @Test("a fragmented echo request is answered, the reply fragmented too")
  func fragmentedEcho() throws {
    let stack = try makeStack()
    let data = patternBytes(count: 3000, seed: 13)
    let icmp = PeerFrames.icmpBody(.echoRequest(identifier: 7, sequence: 1), data: data)
    let fragments = FragmentFrames.split(icmp, at: [1480], protocol: .icmp)
    expectAccepted(stack, fragments[0])
    expectAccepted(stack, fragments[1])
    let replies = drain(stack, at: .zero)
    #expect(replies.count == 3)
    #expect(replies.allSatisfy { $0.bytes.count <= 1514 && $0.ip?.dontFragment == false })
    let whole = try #require(FragmentFrames.reassemble(replies))
    let (reply, payload) = try ICMPv4Packet.parse(whole, in: 0..<whole.count)
    #expect(reply.message == .echoReply(identifier: 7, sequence: 1))
    #expect(Array(whole[payload]) == data)
    #expect(stack.counters.icmpEchoRepliesSent == 1)
  }

  @Test("a fragmented TCP SYN reaches the listener")
  func fragmentedSYN() throws {
    let stack = try makeStack()
    _ = try stack.listen(port: 80, backlog: 4, at: .zero)
    var options = TCPOptions()
    options.maximumSegmentSize = 1460
    options.windowScale = 7
    options.sackPermitted = true
    let syn = PeerFrames.tcpBody(
      TCPHeader(
        sourcePort: 40000, destinationPort: 80, sequenceNumber: 1000, acknowledgmentNumber: 0,
        flags: .syn, window: 65535, options: options))
    let fragments = FragmentFrames.split(syn, at: [8, 16], protocol: .tcp)
    teachNeighbor(stack, at: .zero)
    for fragment in fragments { expectAccepted(stack, fragment) }
    let replies = drain(stack, at: .zero)
    #expect(replies.count == 1)
    #expect(replies.first?.tcp?.flags == [.syn, .ack])
    #expect(replies.first?.tcp?.acknowledgmentNumber == 1001)
    // TCP fragments to a broadcast address, and fragments of other protocols, are not held.
    expectDrop(
      stack,
      FragmentFrames.fragment(
        Array(syn[0..<8]), offset: 0, more: true, protocol: .tcp,
        destination: IPv4Address(198, 18, 0, 255), to: .broadcast),
      .notOurIPv4Address)
    expectDrop(
      stack,
      FragmentFrames.fragment(
        [UInt8](repeating: 0, count: 8), offset: 0, more: true, protocol: IPProtocol(rawValue: 47)),
      .unsupportedIPProtocol)
    #expect(stack.reassemblyBytesHeld == 0 && stack.reassemblyDatagramsInProgress == 0)
  }

  @Test("reassembly limits are validated")
  func configuration() throws {
    func rejection(_ adjust: (inout StackConfiguration) -> Void) -> ConfigurationError? {
      do {
        _ = try makeStack(adjust)
        return nil
      } catch let error as ConfigurationError {
        return error
      } catch {
        return nil
      }
    }
    #expect(rejection { $0.reassembly.maximumBytes = 1000 }?.field == "reassembly.maximumBytes")
    #expect(
      rejection { $0.reassembly.maximumDatagrams = 0 }?.field == "reassembly.maximumDatagrams")
    #expect(
      rejection { $0.reassembly.maximumFragmentsPerDatagram = 1 }?.field
        == "reassembly.maximumFragmentsPerDatagram")
    #expect(rejection { $0.reassembly.timeout = .zero }?.field == "reassembly.timeout")
    #expect(rejection { $0.reassembly.timeout = .seconds(60) } == nil)
  }
}
