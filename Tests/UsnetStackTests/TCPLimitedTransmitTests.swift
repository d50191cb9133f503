import Testing
import UsnetStack
import UsnetWire

/// Limited transmit (RFC 3042): the first two duplicate ACKs each let one new segment out
/// beyond the congestion window; the third still triggers fast retransmit.
@Suite("TCP script: limited transmit")
struct TCPLimitedTransmitTests {
  @Test("each of the first two duplicate ACKs sends one new segment; the third retransmits")
  func twoNewSegmentsThenFastRetransmit() throws {
    let s = try TCPScript { $0.tcp.delayedACKTimeout = nil }
    let (id, _) = try s.acceptConnection(options: TCPOptions(maximumSegmentSize: 1000))
    try s.write(id, count: 14_000)
    // IW10: ten segments, then the congestion window is full.
    for index in 0..<10 { s.expect(.ack, seq: 1 + 1000 * index, ack: 1, length: 1000) }
    s.expectNothing()
    // The second segment was lost: the ACK of the first opens the window by two (slow start).
    s.send(.ack, seq: 1, ack: 1001)
    s.expect(.ack, seq: 10_001, ack: 1, length: 1000)
    s.expect(.ack, seq: 11_001, ack: 1, length: 1000)
    s.expectNothing()
    let window = s.stack.info(id)?.congestionWindow
    s.send(.ack, seq: 1, ack: 1001)  // first duplicate
    s.expect(.ack, seq: 12_001, ack: 1, length: 1000)
    s.expectNothing()
    s.send(.ack, seq: 1, ack: 1001)  // second duplicate
    s.expect(.ack, seq: 13_001, ack: 1, length: 1000)
    s.expectNothing()
    // The congestion window itself did not move.
    #expect(s.stack.info(id)?.congestionWindow == window)
    s.send(.ack, seq: 1, ack: 1001)  // third: fast retransmit, no new data
    s.expect(.ack, seq: 1001, ack: 1, length: 1000)
    #expect(s.stack.counters.tcpFastRetransmits == 1)
  }

  @Test("no new data, nothing sent: limited transmit never retransmits or sends empty segments")
  func nothingNewToSend() throws {
    let s = try TCPScript { $0.tcp.delayedACKTimeout = nil }
    let (id, _) = try s.acceptConnection(options: TCPOptions(maximumSegmentSize: 1000))
    try s.write(id, count: 5000)
    for index in 0..<5 { s.expect(.ack, seq: 1 + 1000 * index, ack: 1, length: 1000) }
    s.send(.ack, seq: 1, ack: 1001)
    s.send(.ack, seq: 1, ack: 1001)
    s.send(.ack, seq: 1, ack: 1001)
    s.expectNothing()
  }
}
