import Testing
import UsnetSim
import UsnetStack
import UsnetWire

/// TCP timestamps (RFC 7323): negotiation, the 1 ms clock and TS.Recent echoing, an RTT sample
/// per ACK of new data (retransmitted data included), PAWS, and the option's room in segments.
@Suite("TCP script: timestamps")
struct TCPTimestampTests {
  /// Options with MSS 1000 and the timestamps option, SACK-permitted when asked.
  static func options(
    _ value: UInt32, _ echoReply: UInt32 = 0, mss: UInt16? = 1000, sack: Bool = false
  ) -> TCPOptions {
    TCPOptions(
      maximumSegmentSize: mss, sackPermitted: sack,
      timestamp: TCPTimestamp(value: value, echoReply: echoReply))
  }

  /// The timestamps option alone, as on the peer's segments after the handshake.
  static func stamp(_ value: UInt32, _ echoReply: UInt32) -> TCPOptions {
    TCPOptions(timestamp: TCPTimestamp(value: value, echoReply: echoReply))
  }

  /// A passive open with timestamps (and SACK when asked): the peer's SYN at 0 ms with TSval
  /// `synValue`, its ACK at 10 ms with TSval `ackValue` echoing the SYN-ACK, so the stack's
  /// first RTT sample is 10 ms. Returns the connection and the stack's TSval at time 0.
  static func accepted(
    synValue: UInt32 = 1000, ackValue: UInt32 = 1010, sack: Bool = false,
    _ adjust: @escaping (inout StackConfiguration) -> Void = { $0.tcp.delayedACKTimeout = nil },
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> (TCPScript, TCPSocketID, UInt32) {
    let s = try TCPScript(adjust)
    let listener = try s.stack.listen(port: s.stackPort, backlog: 4, at: s.now)
    s.send(.syn, seq: 0, options: options(synValue, sack: sack))
    let synAck = s.expect(.synAck, seq: 0, ack: 1, sourceLocation: sourceLocation)
    let timestamp = try #require(synAck?.header.options.timestamp)
    #expect(timestamp.echoReply == synValue, sourceLocation: sourceLocation)
    s.at(.milliseconds(10))
    s.send(.ack, seq: 1, ack: 1, options: stamp(ackValue, timestamp.value))
    s.expectNothing(sourceLocation: sourceLocation)
    let id = try #require(try s.stack.accept(listener))
    #expect(s.stack.info(id)?.smoothedRTT == .milliseconds(10), sourceLocation: sourceLocation)
    return (s, id, timestamp.value)
  }

  // MARK: Negotiation

  @Test("our SYN offers timestamps with TSecr 0; a SYN-ACK that answers turns them on")
  func activeOpen() throws {
    let s = try TCPScript()
    let id = try s.stack.connect(to: TCPScript.peerIP, port: s.peerPort, at: s.now)
    let syn = try #require(s.expect(.syn, seq: 0))
    let offered = try #require(syn.header.options.timestamp)
    #expect(offered.echoReply == 0)
    #expect(syn.header.options.sackPermitted)
    #expect(syn.header.options.windowScale != nil)
    s.at(.milliseconds(7))
    s.send(.synAck, seq: 0, ack: 1, options: Self.options(5000, offered.value))
    let ack = s.expect(.ack, seq: 1, ack: 1)
    #expect(
      ack?.header.options.timestamp == TCPTimestamp(value: offered.value &+ 7, echoReply: 5000))
    // The SYN-ACK's TSecr timed the handshake.
    #expect(s.stack.info(id)?.smoothedRTT == .milliseconds(7))
  }

  @Test("a SYN-ACK without timestamps leaves them off, though our SYN offered them")
  func activeOpenNotAnswered() throws {
    let s = try TCPScript()
    let id = try s.openConnection(options: TCPOptions(maximumSegmentSize: 1000))
    try s.write(id, count: 100)
    #expect(s.expect(.pshAck, seq: 1, ack: 1, length: 100)?.header.options.timestamp == nil)
  }

  @Test("the SYN-ACK carries timestamps only when the SYN offered them and we allow them")
  func passiveOpen() throws {
    let offered = try TCPScript()
    _ = try offered.stack.listen(port: offered.stackPort, backlog: 4, at: offered.now)
    offered.send(.syn, seq: 0, options: Self.options(1000))
    #expect(offered.expect(.synAck, seq: 0, ack: 1)?.header.options.timestamp?.echoReply == 1000)

    let disabled = try TCPScript { $0.tcp.timestamps = false }
    _ = try disabled.stack.listen(port: disabled.stackPort, backlog: 4, at: disabled.now)
    disabled.send(.syn, seq: 0, options: Self.options(1000))
    #expect(disabled.expect(.synAck, seq: 0, ack: 1)?.header.options.timestamp == nil)
    _ = try disabled.stack.connect(to: TCPScript.peerIP, port: 40001, at: disabled.now)
    #expect(disabled.expect(.syn, seq: 0)?.header.options.timestamp == nil)
  }

  @Test("a SYN without timestamps: none on any segment of the connection, and no PAWS")
  func notOffered() throws {
    let s = try TCPScript { $0.tcp.delayedACKTimeout = nil }
    let listener = try s.stack.listen(port: s.stackPort, backlog: 4, at: s.now)
    s.send(.syn, seq: 0, options: TCPOptions(maximumSegmentSize: 1000))
    #expect(s.expect(.synAck, seq: 0, ack: 1)?.header.options.timestamp == nil)
    s.send(.ack, seq: 1, ack: 1)
    let id = try #require(try s.stack.accept(listener))
    // A peer that stamps segments anyway: neither PAWS nor an echo.
    s.send(.ack, seq: 1, ack: 1, options: Self.stamp(50, 0), payload: [1])
    #expect(s.expect(.ack, seq: 1, ack: 2)?.header.options.timestamp == nil)
    s.send(.ack, seq: 2, ack: 1, options: Self.stamp(10, 0), payload: [2])
    #expect(s.expect(.ack, seq: 1, ack: 3)?.header.options.timestamp == nil)
    try s.write(id, count: 100)
    #expect(s.expect(.pshAck, seq: 1, ack: 3, length: 100)?.header.options.timestamp == nil)
    #expect(s.stack.counters[.tcpPAWSRejected] == 0)
    s.expectNothing()
  }

  // MARK: Clock and echo

  @Test("TSval counts virtual milliseconds from a per-connection offset; TSecr echoes TS.Recent")
  func clockAndEcho() throws {
    let (s, _, base) = try Self.accepted()
    s.at(.milliseconds(250))
    s.send(
      .ack, seq: 1, ack: 1, options: Self.stamp(2000, base),
      payload: [UInt8](repeating: 1, count: 100))
    #expect(
      s.expect(.ack, seq: 1, ack: 101)?.header.options.timestamp
        == TCPTimestamp(value: base &+ 250, echoReply: 2000))
    // Out of order, beyond Last.ACK.sent: its TSval is not recorded.
    s.at(.milliseconds(251))
    s.send(
      .ack, seq: 201, ack: 1, options: Self.stamp(2005, base),
      payload: [UInt8](repeating: 3, count: 100))
    #expect(
      s.expect(.ack, seq: 1, ack: 101)?.header.options.timestamp
        == TCPTimestamp(value: base &+ 251, echoReply: 2000))
    // The hole filled from Last.ACK.sent: recorded.
    s.send(
      .ack, seq: 101, ack: 1, options: Self.stamp(2010, base),
      payload: [UInt8](repeating: 2, count: 100))
    #expect(s.expect(.ack, seq: 1, ack: 301)?.header.options.timestamp?.echoReply == 2010)
    // A pure ACK at Last.ACK.sent is recorded too (RFC 7323 §4.3 dropped RFC 1323's
    // "< SEG.SEQ + SEG.LEN", which no pure ACK passes).
    s.send(.ack, seq: 301, ack: 1, options: Self.stamp(2020, base))
    s.send(.ack, seq: 401, ack: 1, options: Self.stamp(2021, base), payload: [4])
    #expect(s.expect(.ack, seq: 1, ack: 301)?.header.options.timestamp?.echoReply == 2020)
    s.expectNothing()

    // Another stack secret, another offset: TSval does not reveal the clock.
    let reseeded = try TCPScript(seed: 8)
    _ = try reseeded.stack.listen(port: reseeded.stackPort, backlog: 4, at: reseeded.now)
    reseeded.send(.syn, seq: 0, options: Self.options(1000))
    let reseededBase = reseeded.expect(.synAck, seq: 0, ack: 1)?.header.options.timestamp?.value
    #expect(reseededBase != base)
  }

  @Test("a delayed ACK echoes the TSval of the earliest segment it acknowledges (RFC 7323 §4.3)")
  func delayedACKEchoesEarliest() throws {
    let (s, _, base) = try Self.accepted { _ in }
    s.at(.milliseconds(100))
    s.send(
      .ack, seq: 1, ack: 1, options: Self.stamp(3000, base),
      payload: [UInt8](repeating: 1, count: 100))
    s.at(.milliseconds(120))
    s.send(
      .ack, seq: 101, ack: 1, options: Self.stamp(3020, base),
      payload: [UInt8](repeating: 1, count: 100))
    let ack = s.expect(.ack, seq: 1, ack: 201, at: .milliseconds(120))
    #expect(ack?.header.options.timestamp == TCPTimestamp(value: base &+ 120, echoReply: 3000))
  }

  // MARK: RTT

  @Test("the ACK of a retransmission gives an RTT sample from its TSecr, where Karn gives none")
  func sampleFromRetransmission() throws {
    let (s, id, base) = try Self.accepted()
    try s.write(id, count: 100)
    let first = s.expect(.pshAck, seq: 1, ack: 1, length: 100, at: .milliseconds(10))
    #expect(first?.header.options.timestamp == TCPTimestamp(value: base &+ 10, echoReply: 1010))
    // No ACK: the retransmission timer (200 ms, the floor) fires.
    s.at(.milliseconds(210))
    let again = s.expect(.pshAck, seq: 1, ack: 1, length: 100, at: .milliseconds(210))
    #expect(again?.header.options.timestamp?.value == base &+ 210)
    #expect(s.stack.info(id)?.retransmissionTimeout == .milliseconds(400))
    // The retransmission's ACK, 30 ms later, echoes its TSval: a 30 ms sample.
    s.at(.milliseconds(240))
    s.send(.ack, seq: 1, ack: 101, options: Self.stamp(1240, base &+ 210))
    // SRTT 10 ms + (30 - 10) / 8, and the backoff is cleared.
    #expect(s.stack.info(id)?.smoothedRTT == .microseconds(12_500))
    #expect(s.stack.info(id)?.retransmissionTimeout == .milliseconds(200))
    s.expectNothing()

    // The same exchange without timestamps: Karn's rule leaves the estimate and the backoff.
    let k = try TCPScript { $0.tcp.delayedACKTimeout = nil }
    let listener = try k.stack.listen(port: k.stackPort, backlog: 4, at: k.now)
    k.send(.syn, seq: 0, options: TCPOptions(maximumSegmentSize: 1000))
    k.expect(.synAck, seq: 0, ack: 1)
    k.at(.milliseconds(10))
    k.send(.ack, seq: 1, ack: 1)
    let karn = try #require(try k.stack.accept(listener))
    #expect(k.stack.info(karn)?.smoothedRTT == .milliseconds(10))
    try k.write(karn, count: 100)
    k.expect(.pshAck, seq: 1, ack: 1, length: 100, at: .milliseconds(10))
    k.at(.milliseconds(210))
    k.expect(.pshAck, seq: 1, ack: 1, length: 100, at: .milliseconds(210))
    k.at(.milliseconds(240))
    k.send(.ack, seq: 1, ack: 101)
    #expect(k.stack.info(karn)?.smoothedRTT == .milliseconds(10))
    #expect(k.stack.info(karn)?.retransmissionTimeout == .milliseconds(400))
  }

  @Test("every ACK of new data is a sample; a duplicate ACK or a TSecr of 0 is not")
  func samplePerACK() throws {
    let (s, id, base) = try Self.accepted()
    try s.stack.setNoDelay(id, true)
    // Two full segments at 10 ms (MSS 1000 less the 12-byte option).
    try s.write(id, count: 2 * 988)
    s.expect(.ack, seq: 1, ack: 1, length: 988, at: .milliseconds(10))
    s.expect(.pshAck, seq: 989, ack: 1, length: 988, at: .milliseconds(10))
    s.at(.milliseconds(30))
    s.send(.ack, seq: 1, ack: 989, options: Self.stamp(1030, base &+ 10))
    // RFC 6298 with a 20 ms sample on SRTT 10 ms, RTTVAR 5 ms.
    #expect(s.stack.info(id)?.smoothedRTT == .microseconds(11_250))
    s.at(.milliseconds(35))
    s.send(.ack, seq: 1, ack: 989, options: Self.stamp(1035, base &+ 10))
    #expect(s.stack.info(id)?.smoothedRTT == .microseconds(11_250))
    s.at(.milliseconds(50))
    s.send(.ack, seq: 1, ack: 1977, options: Self.stamp(1050, 0))
    #expect(s.stack.info(id)?.smoothedRTT == .microseconds(11_250))
    #expect(s.stack.info(id)?.bytesUnacknowledged == 0)
    s.expectNothing()
  }

  // MARK: PAWS

  @Test("PAWS: an older TSval is answered with an ACK, dropped and counted; an equal one passes")
  func pawsRejectsOldTimestamp() throws {
    let (s, id, base) = try Self.accepted()
    s.send(.ack, seq: 1, ack: 1, options: Self.stamp(1009, base), payload: [1, 2, 3])
    #expect(s.expect(.ack, seq: 1, ack: 1)?.header.options.timestamp?.echoReply == 1010)
    #expect(s.stack.counters[.tcpPAWSRejected] == 1)
    #expect(try s.read(id) == nil)
    s.send(.ack, seq: 1, ack: 1, options: Self.stamp(1010, base), payload: [1, 2, 3])
    s.expect(.ack, seq: 1, ack: 4)
    #expect(s.stack.counters[.tcpPAWSRejected] == 1)
    s.expectNothing()
    #expect(try s.read(id) == [1, 2, 3])
  }

  @Test("PAWS compares TSvals modulo 2^32: newer across the wrap passes, older is dropped")
  func pawsAcrossWrap() throws {
    let (s, id, base) = try Self.accepted(synValue: 0xFFFF_FF00, ackValue: 0xFFFF_FFF0)
    s.send(.ack, seq: 1, ack: 1, options: Self.stamp(0x10, base), payload: [1])
    #expect(s.expect(.ack, seq: 1, ack: 2)?.header.options.timestamp?.echoReply == 0x10)
    s.send(.ack, seq: 2, ack: 1, options: Self.stamp(0xFFFF_FFF8, base), payload: [2])
    #expect(s.expect(.ack, seq: 1, ack: 2)?.header.options.timestamp?.echoReply == 0x10)
    #expect(s.stack.counters[.tcpPAWSRejected] == 1)
    s.expectNothing()
    #expect(try s.read(id) == [1])
  }

  @Test("PAWS does not apply to a RST")
  func pawsExemptsReset() throws {
    let (s, id, base) = try Self.accepted()
    s.send(.rst, seq: 1, options: Self.stamp(5, base))
    #expect(s.state(id) == .closed)
    #expect(s.stack.info(id)?.error == .reset)
    #expect(s.stack.counters[.tcpPAWSRejected] == 0)
    s.expectNothing()
  }

  @Test("PAWS: a TS.Recent older than 24 days is invalid, and the old TSval is taken")
  func pawsIdleRule() throws {
    let (s, id, base) = try Self.accepted()
    s.at(.seconds(23 * 86_400))
    s.send(.ack, seq: 1, ack: 1, options: Self.stamp(5, base), payload: [1])
    s.expect(.ack, seq: 1, ack: 1)
    #expect(s.stack.counters[.tcpPAWSRejected] == 1)
    s.at(.seconds(25 * 86_400))
    s.send(.ack, seq: 1, ack: 1, options: Self.stamp(5, base), payload: [1])
    #expect(s.expect(.ack, seq: 1, ack: 2)?.header.options.timestamp?.echoReply == 5)
    #expect(try s.read(id) == [1])
    // TS.Recent is valid again: older than 5 is rejected.
    s.send(.ack, seq: 2, ack: 1, options: Self.stamp(4, base), payload: [2])
    s.expect(.ack, seq: 1, ack: 2)
    #expect(s.stack.counters[.tcpPAWSRejected] == 2)
    s.expectNothing()
  }

  // MARK: Room for the option

  @Test("a full-sized segment carries MSS - 12 bytes; with 3 SACK blocks, MSS - 40, and fits")
  func optionSpace() throws {
    let (s, id, base) = try Self.accepted(sack: true)
    try s.write(id, count: 3 * 988)
    for index in 0..<3 {
      let segment = s.expect(index == 2 ? .pshAck : .ack, seq: 1 + 988 * index, ack: 1, length: 988)
      #expect(segment?.header.headerLength == 32)
      #expect(segment?.ipPacket.count == 20 + 32 + 988)  // MSS + 40
    }
    s.send(.ack, seq: 1, ack: 1 + 3 * 988, options: Self.stamp(1010, base &+ 10))
    // Four holes: each duplicate ACK carries the timestamp and at most three blocks.
    for index in [1, 3, 5, 7] {
      s.send(
        .ack, seq: 1 + 100 * index, ack: 1 + 3 * 988, options: Self.stamp(1010, base),
        payload: [UInt8](repeating: 9, count: 100))
      let ack = s.expect(.ack, seq: 1 + 3 * 988, ack: 1)
      #expect(ack?.header.options.timestamp != nil)
      #expect(s.sackBlocks(of: ack).first == (1 + 100 * index)..<(1 + 100 * (index + 1)))
      #expect(s.sackBlocks(of: ack).count == min(3, (index + 1) / 2))
    }
    try s.write(id, count: 3000)
    let data = try #require(s.expect(.ack, seq: 1 + 3 * 988, ack: 1, length: 1000 - 40))
    #expect(data.header.options.timestamp != nil)
    #expect(data.header.options.encodedLength == 40)
    #expect(data.header.options.emittedSACKBlockCount == 3)
    #expect(data.ipPacket.count == 20 + 20 + 1000)
  }

  @Test("the congestion window counts segments of MSS - 12 bytes")
  func congestionWindowInEffectiveSegments() throws {
    let (s, id, _) = try Self.accepted()
    try s.stack.setNoDelay(id, true)
    try s.write(id, count: 20_000)
    // Ten segments of 988 bytes fill the initial window; no 120-byte runt follows.
    for index in 0..<10 {
      s.expect(.ack, seq: 1 + 988 * index, ack: 1, length: 988)
    }
    s.expectNothing()
  }

  @Test("with TSO, a super-segment is cut into segments of MSS - 12 bytes")
  func superSegmentWithTimestamps() throws {
    let (s, id, _) = try Self.accepted {
      $0.tcp.delayedACKTimeout = nil
      $0.interface.transmitOffloads = [.tcpChecksum, .tcpSegmentation]
    }
    try s.write(id, count: 30_000)
    let segment = try #require(s.expect(.ack, seq: 1, ack: 1, length: 9_880))
    #expect(segment.metadata.gsoType == .tcpV4)
    #expect(segment.metadata.gsoSize == 988)
    #expect(segment.metadata.headerLength == 14 + 20 + 32)
    // Each piece: 14 + 20 + 32 + 988 bytes, within the 1054-byte frame MSS 1000 allows.
    #expect(Int(segment.metadata.headerLength) + Int(segment.metadata.gsoSize) == 14 + 40 + 1000)
  }
}

@Suite("Two stacks: timestamps")
struct TwoStackTimestampTests {
  @Test("both stacks negotiate timestamps, stamp every segment and measure the RTT with them")
  func bothStacksUseTimestamps() throws {
    let link = try TestHosts.pair(latency: .milliseconds(5))
    var segments = 0
    var unstamped = 0
    link.dropFilter = { _, _, frame in
      let parsed = ParsedFrame(frame)
      if let tcp = parsed.tcp {
        segments += 1
        if tcp.options.timestamp == nil, !tcp.flags.contains(.rst) { unstamped += 1 }
      }
      return false
    }
    let (client, server, _) = try establish(link)
    var up = BulkTransfer(payload: patternBytes(count: 1_000_000, seed: 5))
    var down = BulkTransfer(payload: patternBytes(count: 1_000_000, seed: 6))
    var failure: Error?
    let done = link.run(for: .seconds(60)) {
      do {
        try up.pump(from: link.a, client, to: link.b, server, at: link.now)
        try down.pump(from: link.b, server, to: link.a, client, at: link.now)
      } catch {
        failure = error
        return true
      }
      return up.finished && down.finished
    }
    #expect(failure == nil)
    #expect(done)
    #expect(up.receivedHash.hexDigest() == up.payloadHash)
    #expect(down.receivedHash.hexDigest() == down.payloadHash)
    #expect(segments > 1000)
    #expect(unstamped == 0)
    for (stack, id) in [(link.a, client), (link.b, server)] {
      #expect(stack.counters[.tcpPAWSRejected] == 0)
      // A 10 ms round trip on the link, measured in 1 ms ticks (queueing adds a little).
      let rtt = try #require(stack.info(id)?.smoothedRTT)
      #expect(rtt >= .milliseconds(10) && rtt < .milliseconds(50), "\(rtt)")
    }
  }
}

/// Eifel detection (RFC 3522) with the Eifel response (RFC 4015): a timeout whose first ACK
/// echoes the original transmission's timestamp was needless and is undone.
@Suite("TCP script: spurious timeouts")
struct TCPSpuriousTimeoutTests {
  @Test("the late ACK of the original undoes the timeout and nothing more is resent")
  func lateACKUndoesTimeout() throws {
    let (s, id, _) = try TCPTimestampTests.accepted()
    try s.write(id, count: 10_000)
    var sent: [ScriptSegment] = []
    for index in 0..<10 {
      if let segment = s.expect(.ack, seq: 1 + 988 * index, ack: 1, length: 988) {
        sent.append(segment)
      }
    }
    _ = s.takeAll()  // the remainder beyond ten 988-byte segments
    let window = try #require(s.stack.info(id)?.congestionWindow)
    let original = try #require(sent.first?.header.options.timestamp)
    // The ACKs are held up in the network: the timeout resends the first segment.
    s.advance(by: .milliseconds(250))
    let retransmission = try #require(s.takeAll().first)
    #expect(retransmission.relativeSequence == 1)
    #expect(s.stack.counters.tcpTimeouts == 1)
    #expect(s.stack.info(id)?.congestionWindow ?? 0 < window)
    // Then the ACK of the original arrives, echoing its TSval.
    s.send(.ack, seq: 1, ack: 5929, options: TCPTimestampTests.stamp(2000, original.value))
    #expect(s.stack.counters.tcpSpuriousTimeoutsUndone == 1)
    #expect(s.stack.info(id)?.congestionWindow ?? 0 >= window)
    // The rest was sent once and is not sent again: only new data may follow.
    #expect(s.takeAll().allSatisfy { $0.relativeSequence >= 9881 })
  }

  @Test("an ACK that echoes the retransmission's timestamp leaves the timeout in place")
  func genuineTimeoutStays() throws {
    let (s, id, _) = try TCPTimestampTests.accepted()
    try s.write(id, count: 3000)
    _ = s.takeAll()
    s.advance(by: .milliseconds(250))
    let retransmission = try #require(s.takeAll().first)
    let stamp = try #require(retransmission.header.options.timestamp)
    s.send(.ack, seq: 1, ack: 989, options: TCPTimestampTests.stamp(2000, stamp.value))
    #expect(s.stack.counters.tcpSpuriousTimeoutsUndone == 0)
    #expect(s.takeAll().first?.relativeSequence == 989)  // go-back-N goes on
  }
}
