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
    s.send(.ack, seq: 1, ack: 1001)
    s.expect(.ack, seq: 10_001, ack: 1, length: 1000)
    s.expect(.ack, seq: 11_001, ack: 1, length: 1000)
    // Two duplicates SACK segments 2 and 3: not yet a loss, limited transmit sends new data.
    s.send(.ack, seq: 1, ack: 1001, options: s.sack(Self.segments(2, 2)))
    s.expect(.ack, seq: 12_001, ack: 1, length: 1000)
    s.send(.ack, seq: 1, ack: 1001, options: s.sack(Self.segments(2, 3)))
    s.expect(.ack, seq: 13_001, ack: 1, length: 1000)
    s.expectNothing()
    // The third SACKs segment 5: three segments above the first hole, so it is lost, and
    // recovery starts with its retransmission. The second hole (segment 4) has only one
    // SACKed segment above it: not lost yet.
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
    // Segment 8: the quota holds a whole segment again. Segment 4 now has three SACKed
    // segments above it and is deemed lost: NextSeg rule 1 retransmits it before new data.
    s.send(.ack, seq: 1, ack: 1001, options: s.sack(Self.segments(5, 8), Self.segments(2, 3)))
    s.expect(.ack, seq: 4001, ack: 1, length: 1000)
    s.expectNothing()
    // Segment 9: no hole left to repair, so new data (rule 2).
    s.send(.ack, seq: 1, ack: 1001, options: s.sack(Self.segments(5, 9), Self.segments(2, 3)))
    s.expect(.ack, seq: 14_001, ack: 1, length: 1000)
    s.expectNothing()
    // The first retransmission arrives (with segments 10 to 13): the pipe is far below
    // ssthresh, so the slow-start reduction bound refills it to ssthresh with new data.
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
    s.send(.ack, seq: 1, ack: 1, options: s.sack(Self.segments(1, 3)))
    s.expect(.ack, seq: 1, ack: 1, length: 1000)
    s.expectNothing()
    #expect(s.stack.counters.tcpSACKRecoveries == 1)
    #expect(s.stack.counters.tcpFastRetransmits == 1)
  }

  @Test("after a timeout, data the peer SACKed is not sent again")
  func timeoutSkipsSACKedData() throws {
    let (s, id) = try Self.connection()
    try s.write(id, count: 3000)
    for index in 0..<3 { s.expect(.ack, seq: 1 + 1000 * index, ack: 1, length: 1000) }
    // Segments 1 and 2 arrive, 0 is lost: two SACKed segments are not enough to call it lost.
    s.send(.ack, seq: 1, ack: 1, options: s.sack(Self.segments(1, 1)))
    s.send(.ack, seq: 1, ack: 1, options: s.sack(Self.segments(1, 2)))
    s.expectNothing()
    s.advance(by: .milliseconds(200))  // the RTO, at its 200 ms floor
    s.expect(.ack, seq: 1, ack: 1, length: 1000)  // the timeout resends segment 0 only
    s.send(.ack, seq: 1, ack: 1001, options: s.sack(Self.segments(1, 2)))
    s.expectNothing()  // segments 1 and 2 are SACKed: nothing to resend
    s.send(.ack, seq: 1, ack: 3001)
    s.expectNothing()
    #expect(s.stack.counters.tcpRetransmissions == 1)
  }

  @Test("a second timeout in a row forgets the SACKs, in case the peer reneged")
  func secondTimeoutForgetsSACKs() throws {
    let (s, id) = try Self.connection()
    try s.write(id, count: 3000)
    for index in 0..<3 { s.expect(.ack, seq: 1 + 1000 * index, ack: 1, length: 1000) }
    s.send(.ack, seq: 1, ack: 1, options: s.sack(Self.segments(1, 2)))
    s.expectNothing()
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
}
