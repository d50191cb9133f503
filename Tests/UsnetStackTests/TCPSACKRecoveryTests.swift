import Testing
import UsnetStack
import UsnetWire

/// The SACK sender (RFC 6675 with PRR, RFC 6937): the scoreboard decides what is lost, NextSeg
/// picks holes in order, SACKed data is never sent again, and the window comes down to
/// ssthresh in proportion to what is delivered.
@Suite("TCP script: SACK-based recovery")
struct TCPSACKRecoveryTests {
  static let sackOptions = TCPOptions(maximumSegmentSize: 1000, sackPermitted: true)

  /// A connection with SACK negotiated, 1000-byte segments and every segment ACKed at once.
  static func connection() throws -> (TCPScript, TCPSocketID) {
    let s = try TCPScript { $0.tcp.delayedACKTimeout = nil }
    let (id, _) = try s.acceptConnection(options: sackOptions)
    return (s, id)
  }

  /// The path's round-trip time in these scripts.
  static let rtt = Duration.milliseconds(5)

  /// The relative sequence range of 1000-byte segments `first...last` (segment 0 starts at 1).
  static func segments(_ first: Int, _ last: Int) -> Range<Int> {
    (1 + 1000 * first)..<(1001 + 1000 * last)
  }

  @Test("two holes in one window: each is retransmitted once when deemed lost, SACKed data never")
  func multiHoleRecovery() throws {
    let (s, id) = try Self.connection()
    try s.write(id, count: 30_000)
    for index in 0..<10 { s.expect(.ack, seq: 1 + 1000 * index, ack: 1, length: 1000) }
    // Segments 1 and 4 are lost. The ACK of segment 0 opens the window by two (slow start).
    s.advance(by: Self.rtt)
    s.send(.ack, seq: 1, ack: 1001)
    s.expect(.ack, seq: 10_001, ack: 1, length: 1000)
    s.expect(.ack, seq: 11_001, ack: 1, length: 1000)
    // Two duplicates SACK segments 2 and 3: not yet a loss, limited transmit sends new data.
    s.send(.ack, seq: 1, ack: 1001, options: s.sack(Self.segments(2, 2)))
    s.expect(.ack, seq: 12_001, ack: 1, length: 1000)
    s.send(.ack, seq: 1, ack: 1001, options: s.sack(Self.segments(2, 3)))
    s.expect(.ack, seq: 13_001, ack: 1, length: 1000)
    s.expectNothing()
    // The third SACKs segment 5: three segments SACKed, so RACK has no reordering window
    // left, and both segments sent before segment 5 and missing (1 and 4) are lost. Recovery
    // starts with the first.
    s.send(.ack, seq: 1, ack: 1001, options: s.sack(Self.segments(5, 5), Self.segments(2, 3)))
    s.expect(.ack, seq: 1001, ack: 1, length: 1000)
    s.expectNothing()
    #expect(s.stack.counters.tcpSACKRecoveries == 1)
    let threshold = try #require(s.stack.info(id)?.slowStartThreshold)
    #expect(threshold == 7699)  // CUBIC: 0.7 × 11 segments
    // PRR: about 0.7 segments per segment delivered. Segments 6 and 7 arrive; nothing may go.
    s.send(.ack, seq: 1, ack: 1001, options: s.sack(Self.segments(5, 6), Self.segments(2, 3)))
    s.expectNothing()
    s.send(.ack, seq: 1, ack: 1001, options: s.sack(Self.segments(5, 7), Self.segments(2, 3)))
    s.expectNothing()
    // Segment 8: the quota holds a whole segment again, and NextSeg retransmits the other
    // lost segment before any new data.
    s.send(.ack, seq: 1, ack: 1001, options: s.sack(Self.segments(5, 8), Self.segments(2, 3)))
    s.expect(.ack, seq: 4001, ack: 1, length: 1000)
    s.expectNothing()
    // Segment 9: no hole left to repair, so new data (rule 2).
    s.send(.ack, seq: 1, ack: 1001, options: s.sack(Self.segments(5, 9), Self.segments(2, 3)))
    s.expect(.ack, seq: 14_001, ack: 1, length: 1000)
    s.expectNothing()
    // The first retransmission arrives (with segments 10 to 13): the pipe is far below
    // ssthresh, so the slow-start reduction bound refills it to ssthresh with new data.
    s.advance(by: Self.rtt)
    s.send(.ack, seq: 1, ack: 4001, options: s.sack(Self.segments(5, 13)))
    for index in 15..<20 { s.expect(.ack, seq: 1 + 1000 * index, ack: 1, length: 1000) }
    s.expectNothing()
    // Everything outstanding at the start (up to 14001) is acknowledged: recovery ends with
    // the window at most ssthresh, after exactly the two retransmissions and no timeout.
    s.send(.ack, seq: 1, ack: 15_001)
    s.expect(.ack, seq: 20_001, ack: 1, length: 1000)
    let window = try #require(s.stack.info(id)?.congestionWindow)
    #expect(window <= threshold)
    #expect(s.stack.counters.tcpRetransmissions == 2)
    #expect(s.stack.counters.tcpTimeouts == 0)
  }

  @Test("one ACK that SACKs three segments starts recovery without waiting for duplicates")
  func lossDetectedByScoreboard() throws {
    let (s, id) = try Self.connection()
    try s.write(id, count: 10_000)
    for index in 0..<10 { s.expect(.ack, seq: 1 + 1000 * index, ack: 1, length: 1000) }
    // A stretch ACK (the others were lost) reports segments 1 to 3 past the missing 0.
    s.advance(by: Self.rtt)
    s.send(.ack, seq: 1, ack: 1, options: s.sack(Self.segments(1, 3)))
    s.expect(.ack, seq: 1, ack: 1, length: 1000)
    s.expectNothing()
    #expect(s.stack.counters.tcpSACKRecoveries == 1)
    #expect(s.stack.counters.tcpFastRetransmits == 1)
  }

  /// Three segments out; the first is lost, RACK finds it a reordering window after the
  /// SACK of the other two, and the retransmission is lost as well. Returns at that point.
  static func lostRetransmission() throws -> (TCPScript, TCPSocketID) {
    let (s, id) = try connection()
    try s.write(id, count: 3000)
    for index in 0..<3 { s.expect(.ack, seq: 1 + 1000 * index, ack: 1, length: 1000) }
    s.advance(by: rtt)
    s.send(.ack, seq: 1, ack: 1, options: s.sack(segments(1, 2)))
    s.expectNothing()
    // RACK's window is a quarter of the minimum RTT (two SACKed segments, no reordering
    // seen): then segment 0 is lost and recovery resends it.
    s.advance(by: rtt / 4)
    s.expect(.ack, seq: 1, ack: 1, length: 1000)
    s.expectNothing()
    #expect(s.stack.counters.tcpLossesDetectedByRACK == 1)
    return (s, id)
  }

  @Test(
    "RACK waits a reordering window after a SACK, then retransmits; a timeout skips SACKed data")
  func timeoutSkipsSACKedData() throws {
    let (s, _) = try Self.lostRetransmission()
    // Nothing sent later is delivered, so only the timeout finds the lost retransmission.
    // Going back from SND.UNA, it resends segment 0 only: 1 and 2 are SACKed.
    s.advance(by: .milliseconds(200))
    s.expect(.ack, seq: 1, ack: 1, length: 1000)
    s.expectNothing()
    s.advance(by: Self.rtt)
    s.send(.ack, seq: 1, ack: 1001, options: s.sack(Self.segments(1, 2)))
    s.expectNothing()
    s.send(.ack, seq: 1, ack: 3001)
    s.expectNothing()
    #expect(s.stack.counters.tcpRetransmissions == 2)
    #expect(s.stack.counters.tcpTimeouts == 1)
  }

  @Test("a second timeout in a row forgets the SACKs, in case the peer reneged")
  func secondTimeoutForgetsSACKs() throws {
    let (s, _) = try Self.lostRetransmission()
    s.advance(by: .milliseconds(200))
    s.expect(.ack, seq: 1, ack: 1, length: 1000)
    s.advance(by: .milliseconds(400))  // backed off
    s.expect(.ack, seq: 1, ack: 1, length: 1000)
    // The peer threw segments 1 and 2 away: it acknowledges 0 only and SACKs nothing. Both
    // go out again (slow start from one segment allows two).
    s.send(.ack, seq: 1, ack: 1001)
    s.expect(.ack, seq: 1001, ack: 1, length: 1000)
    s.expect(.ack, seq: 2001, ack: 1, length: 1000)
    s.expectNothing()
  }

  @Test("D-SACK blocks and invalid blocks are counted and never enter the scoreboard")
  func duplicateAndInvalidBlocks() throws {
    let (s, id) = try Self.connection()
    try s.write(id, count: 5000)
    for index in 0..<5 { s.expect(.ack, seq: 1 + 1000 * index, ack: 1, length: 1000) }
    s.advance(by: Self.rtt)
    s.send(.ack, seq: 1, ack: 2001)
    // A D-SACK below the cumulative ACK, then a block beyond SND.MAX and an empty one.
    s.send(.ack, seq: 1, ack: 2001, options: s.sack(Self.segments(0, 0)))
    s.send(.ack, seq: 1, ack: 2001, options: s.sack(Self.segments(3, 3), 9001..<10_001))
    s.send(.ack, seq: 1, ack: 2001, options: s.sack(Self.segments(3, 3), 4001..<4001))
    #expect(s.stack.counters.tcpDuplicateSACKsReceived == 1)
    #expect(s.stack.counters.tcpInvalidSACKBlocks == 2)
    // Only segment 3 is SACKed: no recovery, and the full ACK completes the transfer.
    #expect(s.stack.counters.tcpSACKRecoveries == 0)
    s.send(.ack, seq: 1, ack: 5001)
    s.expectNothing()
    #expect(s.stack.counters.tcpRetransmissions == 0)
  }

  @Test("RACK finds a lost retransmission as soon as data sent after it is delivered")
  func lostRetransmissionFoundByRACK() throws {
    let (s, id) = try Self.connection()
    try s.write(id, count: 30_000)
    for index in 0..<10 { s.expect(.ack, seq: 1 + 1000 * index, ack: 1, length: 1000) }
    // Segment 0 is lost; 1 to 9 arrive. Limited transmit sends new data for the first two
    // duplicates, then recovery resends 0, then more new data.
    s.advance(by: Self.rtt)
    for last in 1...9 {
      s.send(.ack, seq: 1, ack: 1, options: s.sack(Self.segments(1, last)))
    }
    let sent = s.takeAll()
    let retransmission = try #require(sent.firstIndex { $0.relativeSequence == 1 })
    #expect(sent.filter { $0.relativeSequence < 10_001 }.count == 1)
    let newData = try #require(sent[(retransmission + 1)...].first)
    // The retransmission is lost, but the new segment sent after it arrives: one RTT later
    // RACK knows segment 0 was lost again, without waiting for the timeout.
    s.advance(by: Self.rtt)
    let sacked = newData.relativeSequence..<(newData.relativeSequence + 1000)
    s.send(.ack, seq: 1, ack: 1, options: s.sack(sacked, Self.segments(1, 9)))
    #expect(s.takeAll().first?.relativeSequence == 1)
    #expect(s.stack.counters.tcpTimeouts == 0)
  }

  @Test("tail loss: a probe after two RTTs resends the last segment and RACK repairs the rest")
  func tailLossProbe() throws {
    let (s, id) = try Self.connection()
    try s.write(id, count: 10_000)
    for index in 0..<10 { s.expect(.ack, seq: 1 + 1000 * index, ack: 1, length: 1000) }
    // The last two segments are lost: no duplicate ACK will ever come.
    s.advance(by: Self.rtt)
    s.send(.ack, seq: 1, ack: 8001)
    s.expectNothing()
    // The probe timeout: 2 × SRTT, at least 10 ms, long before the 200 ms RTO.
    s.advance(by: .milliseconds(10))
    s.expect(.ack, seq: 9001, ack: 1, length: 1000)
    s.expectNothing()
    #expect(s.stack.counters.tcpTailLossProbes == 1)
    // The probe arrives and is SACKed: segment 8, sent before it, is lost.
    s.advance(by: Self.rtt)
    s.send(.ack, seq: 1, ack: 8001, options: s.sack(Self.segments(9, 9)))
    s.expect(.ack, seq: 8001, ack: 1, length: 1000)
    s.send(.ack, seq: 1, ack: 10_001)
    s.expectNothing()
    #expect(s.stack.counters.tcpTimeouts == 0)
  }

  @Test("a probe that repairs the only lost segment counts as a loss for the window")
  func tailLossProbeRepair() throws {
    let (s, id) = try Self.connection()
    try s.write(id, count: 10_000)
    for index in 0..<10 { s.expect(.ack, seq: 1 + 1000 * index, ack: 1, length: 1000) }
    s.advance(by: Self.rtt)
    s.send(.ack, seq: 1, ack: 9001)  // only the last segment is missing
    // One segment in flight: the probe waits for a delayed ACK too, so the RTO's time comes
    // first; the probe goes then instead, and the RTO restarts.
    s.advance(by: .milliseconds(200))
    s.expect(.ack, seq: 9001, ack: 1, length: 1000)
    s.expectNothing()
    s.advance(by: Self.rtt)
    s.send(.ack, seq: 1, ack: 10_001)  // no D-SACK: the original was lost
    #expect(s.stack.counters.tcpTailLossProbeRepairs == 1)
    #expect(s.stack.counters.tcpTimeouts == 0)
    let info = try #require(s.stack.info(id))
    #expect(info.slowStartThreshold < 20_000)
  }

  @Test("a D-SACK for every retransmission of an episode undoes its window reduction")
  func spuriousRecoveryUndone() throws {
    let (s, id) = try Self.connection()
    try s.write(id, count: 10_000)
    for index in 0..<10 { s.expect(.ack, seq: 1 + 1000 * index, ack: 1, length: 1000) }
    let before = try #require(s.stack.info(id))
    // Segment 0 is only late: 1 to 3 are SACKed first, and recovery resends it.
    s.advance(by: Self.rtt)
    for last in 1...3 { s.send(.ack, seq: 1, ack: 1, options: s.sack(Self.segments(1, last))) }
    #expect(s.takeAll().contains { $0.relativeSequence == 1 })
    #expect(s.stack.info(id)?.isInRecovery == true)
    // The original arrives, then the retransmission: the peer reports it as a duplicate.
    s.send(.ack, seq: 1, ack: 4001)
    s.send(.ack, seq: 1, ack: 4001, options: s.sack(Self.segments(0, 0)))
    #expect(s.stack.counters.tcpSpuriousRecoveriesUndone == 1)
    let after = try #require(s.stack.info(id))
    #expect(after.congestionWindow >= before.congestionWindow)
    #expect(after.slowStartThreshold == before.slowStartThreshold)
    #expect(!after.isInRecovery)
  }
}
