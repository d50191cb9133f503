import Testing
import UsnetStack
import UsnetWire

/// RFC 6298 timers, Karn's rule, RFC 5681/6582 fast retransmit and NewReno, RFC 6928 IW10
/// and Nagle, on the script's virtual clock.
@Suite("TCP script: retransmission")
struct TCPRetransmissionTests {
  @Test("SYN retransmits at 1, 3, 7, 15, 31 and 63 s; then connect fails with timedOut")
  func synBackoff() throws {
    let s = try TCPScript()
    let id = try s.stack.connect(to: TCPScript.peerIP, port: 40000, at: s.now)
    s.expect(.syn, seq: 0, at: .zero)
    s.at(.seconds(126))
    for second in [1, 3, 7, 15, 31, 63] as [Int64] {
      s.expect(.syn, seq: 0, at: .seconds(second))
    }
    s.expectNothing()
    #expect(s.state(id) == .synSent)
    s.at(.seconds(127))
    s.expectNothing()
    #expect(s.stack.info(id)?.error == .timedOut(lastICMP: nil))
    #expect(throws: StackError.connection(.timedOut(lastICMP: nil))) { try s.read(id) }
    #expect(s.stack.counters.tcpTimeouts == 6)
    #expect(s.stack.counters.tcpRetransmissions == 6)
  }

  @Test("data RTO: 200 ms floor, doubling per timeout, sticky until a new sample")
  func dataBackoff() throws {
    let s = try TCPScript()
    let id = try s.stack.connect(to: TCPScript.peerIP, port: 40000, at: s.now)
    s.expect(.syn, seq: 0)
    s.at(.milliseconds(10))
    s.send(.synAck, seq: 0, ack: 1, options: TCPOptions(maximumSegmentSize: 1460))
    s.expect(.ack, seq: 1, ack: 1)
    #expect(s.stack.info(id)?.smoothedRTT == .milliseconds(10))
    #expect(s.stack.info(id)?.retransmissionTimeout == .milliseconds(200))
    s.at(.milliseconds(20))
    try s.write(id, count: 100)
    s.expect(.pshAck, seq: 1, ack: 1, length: 100)
    s.at(.milliseconds(1450))
    for ms in [220, 620, 1420] as [Int64] {
      s.expect(.pshAck, seq: 1, ack: 1, length: 100, at: .milliseconds(ms))
    }
    s.at(.milliseconds(1500))
    s.send(.ack, seq: 1, ack: 101)
    // Karn: the ACK of a retransmission is no sample, so the backoff stays.
    #expect(s.stack.info(id)?.retransmissionTimeout == .milliseconds(1600))
    try s.write(id, count: 100)
    s.expect(.pshAck, seq: 101, ack: 1, length: 100)
    s.at(.milliseconds(3100))
    s.expect(.pshAck, seq: 101, ack: 1, length: 100, at: .milliseconds(3100))
    s.at(.milliseconds(3150))
    s.send(.ack, seq: 1, ack: 201)
    #expect(s.stack.info(id)?.retransmissionTimeout == .milliseconds(3200))
    try s.write(id, count: 100)
    s.expect(.pshAck, seq: 201, ack: 1, length: 100)
    s.at(.milliseconds(3200))
    s.send(.ack, seq: 1, ack: 301)
    // A fresh sample (50 ms) ends the backoff: back to the floor.
    #expect(s.stack.info(id)?.retransmissionTimeout == .milliseconds(200))
    try s.write(id, count: 100)
    s.expect(.pshAck, seq: 301, ack: 1, length: 100)
    s.at(.milliseconds(3399))
    s.expectNothing()
    s.at(.milliseconds(3400))
    s.expect(.pshAck, seq: 301, ack: 1, length: 100)
  }

  @Test("Karn: a SYN-ACK after a SYN retransmission gives no RTT sample")
  func karnOnSYN() throws {
    let s = try TCPScript()
    let id = try s.stack.connect(to: TCPScript.peerIP, port: 40000, at: s.now)
    s.expect(.syn, seq: 0)
    s.at(.milliseconds(1010))
    s.expect(.syn, seq: 0, at: .seconds(1))
    s.send(.synAck, seq: 0, ack: 1, options: TCPOptions(maximumSegmentSize: 1460))
    s.expect(.ack, seq: 1, ack: 1)
    #expect(s.stack.info(id)?.smoothedRTT == nil)
    #expect(s.stack.info(id)?.retransmissionTimeout == .seconds(2))
    try s.write(id, count: 10)
    s.expect(.pshAck, seq: 1, ack: 1, length: 10)
    s.at(.milliseconds(1060))
    s.send(.ack, seq: 1, ack: 11)
    #expect(s.stack.info(id)?.smoothedRTT == .milliseconds(50))
    #expect(s.stack.info(id)?.retransmissionTimeout == .milliseconds(200))
  }

  @Test("dataRetries exhausted: the connection fails with timedOut, no RST")
  func dataRetriesExhausted() throws {
    let s = try TCPScript { $0.tcp.dataRetries = 3 }
    let (id, _) = try s.acceptConnection()
    try s.write(id, count: 100)
    s.expect(.pshAck, seq: 1, ack: 1, length: 100, at: .zero)
    s.at(.milliseconds(2999))
    for ms in [200, 600, 1400] as [Int64] {
      s.expect(.pshAck, seq: 1, ack: 1, length: 100, at: .milliseconds(ms))
    }
    #expect(s.state(id) == .established)
    s.at(.milliseconds(3000))
    s.expectNothing()
    #expect(s.state(id) == .closed)
    #expect(throws: StackError.connection(.timedOut(lastICMP: nil))) { try s.read(id) }
    #expect(throws: StackError.connection(.timedOut(lastICMP: nil))) { try s.write(id, count: 1) }
  }

  @Test("fast retransmit on the 3rd duplicate ACK; a partial ACK retransmits the next hole")
  func fastRetransmitNewReno() throws {
    // Reno's arithmetic (CUBIC, the default, cuts to 0.7 · cwnd instead: its own tests).
    let s = try TCPScript {
      $0.tcp.delayedACKTimeout = nil
      $0.tcp.congestionControl = .reno
    }
    let (id, _) = try s.acceptConnection(options: TCPOptions(maximumSegmentSize: 1000))
    try s.write(id, count: 10_000)
    for index in 0..<10 { s.expect(.ack, seq: 1 + 1000 * index, ack: 1, length: 1000) }
    s.expectNothing()
    s.send(.ack, seq: 1, ack: 1001)
    s.send(.ack, seq: 1, ack: 1001)
    s.send(.ack, seq: 1, ack: 1001)
    s.expectNothing()
    s.send(.ack, seq: 1, ack: 1001)
    s.expect(.ack, seq: 1001, ack: 1, length: 1000)
    #expect(s.stack.counters.tcpFastRetransmits == 1)
    // ssthresh = 9000 / 2, cwnd = ssthresh + 3 MSS; one more duplicate inflates it.
    #expect(s.stack.info(id)?.congestionWindow == 7500)
    s.send(.ack, seq: 1, ack: 1001)
    s.expectNothing()
    #expect(s.stack.info(id)?.congestionWindow == 8500)
    s.send(.ack, seq: 1, ack: 3001)
    s.expect(.ack, seq: 3001, ack: 1, length: 1000)
    s.send(.ack, seq: 1, ack: 10_001)
    s.expectNothing()
    // Full ACK: cwnd = min(ssthresh, max(FlightSize, MSS) + MSS).
    #expect(s.stack.info(id)?.congestionWindow == 2000)
    #expect(s.stack.counters.tcpRetransmissions == 2)
    #expect(s.stack.counters.tcpTimeouts == 0)
  }

  @Test("IW10: ten segments before the first ACK, then slow start")
  func initialWindow() throws {
    let s = try TCPScript()
    let (id, _) = try s.acceptConnection(options: TCPOptions(maximumSegmentSize: 1000))
    #expect(try s.write(id, count: 20_000) == 20_000)
    for index in 0..<10 { s.expect(.ack, seq: 1 + 1000 * index, ack: 1, length: 1000) }
    s.expectNothing()
    s.send(.ack, seq: 1, ack: 2001)
    for index in 10..<14 { s.expect(.ack, seq: 1 + 1000 * index, ack: 1, length: 1000) }
    s.expectNothing()
  }

  @Test("the peer's window limits the flight below IW10, in full segments")
  func peerWindowLimits() throws {
    let s = try TCPScript()
    let (id, _) = try s.acceptConnection(
      options: TCPOptions(maximumSegmentSize: 1000), window: 3500)
    try s.write(id, count: 20_000)
    for index in 0..<3 { s.expect(.ack, seq: 1 + 1000 * index, ack: 1, length: 1000) }
    // The 500 bytes left in the window would be a small segment: Nagle holds it.
    s.expectNothing()
    s.send(.ack, seq: 1, ack: 3001, window: 3500)
    for index in 3..<6 { s.expect(.ack, seq: 1 + 1000 * index, ack: 1, length: 1000) }
    s.expectNothing()
  }

  @Test("Nagle holds a small segment while data is in flight, unless noDelay")
  func nagle() throws {
    let s = try TCPScript()
    let (id, _) = try s.acceptConnection()
    try s.write(id, count: 100)
    s.expect(.pshAck, seq: 1, ack: 1, length: 100)
    try s.write(id, count: 50)
    s.expectNothing()
    s.send(.ack, seq: 1, ack: 101)
    s.expect(.pshAck, seq: 101, ack: 1, length: 50)
    try s.stack.setNoDelay(id, true)
    try s.write(id, count: 30)
    s.expect(.pshAck, seq: 151, ack: 1, length: 30)
  }

  @Test("an RTO resends one segment (cwnd 1 MSS), then slow start resends the rest")
  func timeoutGoBackN() throws {
    let s = try TCPScript()
    let (id, _) = try s.acceptConnection(options: TCPOptions(maximumSegmentSize: 1000))
    try s.write(id, count: 3000)
    for index in 0..<3 { s.expect(.ack, seq: 1 + 1000 * index, ack: 1, length: 1000) }
    s.at(.milliseconds(250))
    s.expect(.ack, seq: 1, ack: 1, length: 1000, at: .milliseconds(200))
    s.expectNothing()
    #expect(s.stack.info(id)?.congestionWindow == 1000)
    s.send(.ack, seq: 1, ack: 1001)
    s.expect(.ack, seq: 1001, ack: 1, length: 1000)
    s.expect(.pshAck, seq: 2001, ack: 1, length: 1000)
    s.expectNothing()
    #expect(s.stack.counters.tcpRetransmissions == 3)
    #expect(s.stack.counters.tcpTimeouts == 1)
  }

  @Test("data and FIN go out together and are retransmitted together")
  func dataWithFINRetransmitted() throws {
    let s = try TCPScript()
    let (id, _) = try s.acceptConnection()
    try s.write(id, count: 100)
    try s.stack.shutdown(id, read: false, write: true, at: s.now)
    s.expect([.fin, .psh, .ack], seq: 1, ack: 1, length: 100)
    s.at(.milliseconds(200))
    s.expect([.fin, .psh, .ack], seq: 1, ack: 1, length: 100, at: .milliseconds(200))
    s.send(.ack, seq: 1, ack: 102)
    #expect(s.state(id) == .finWait2)
  }

  @Test("ACKs that change the window or carry data are not duplicate ACKs")
  func notDuplicateACKs() throws {
    let s = try TCPScript()
    let (id, _) = try s.acceptConnection(options: TCPOptions(maximumSegmentSize: 1000))
    try s.write(id, count: 5000)
    for index in 0..<5 { s.expect(.ack, seq: 1 + 1000 * index, ack: 1, length: 1000) }
    s.send(.ack, seq: 1, ack: 1001, window: 60000)
    for window: UInt16 in [60001, 60002, 60003] {
      s.send(.ack, seq: 1, ack: 1001, window: window)
    }
    s.send(.ack, seq: 1, ack: 1001, window: 60003, payload: [1])
    s.send(.ack, seq: 2, ack: 1001, window: 60003, payload: [2])
    s.send(.ack, seq: 3, ack: 1001, window: 60003, payload: [3])
    s.expect(.ack, seq: 5001, ack: 3)
    s.advance(by: .milliseconds(40))
    s.expect(.ack, seq: 5001, ack: 4)
    s.expectNothing()
    #expect(s.stack.counters.tcpFastRetransmits == 0)
  }

  @Test("the backed-off RTO is capped at maximumRTO")
  func backoffCap() throws {
    let s = try TCPScript {
      $0.tcp.maximumRTO = .seconds(1)
      $0.tcp.dataRetries = 5
    }
    let (id, _) = try s.acceptConnection()
    try s.write(id, count: 10)
    s.expect(.pshAck, seq: 1, ack: 1, length: 10)
    s.at(.milliseconds(4399))
    for ms in [200, 600, 1400, 2400, 3400] as [Int64] {
      s.expect(.pshAck, seq: 1, ack: 1, length: 10, at: .milliseconds(ms))
    }
    #expect(s.stack.info(id)?.retransmissionTimeout == .seconds(1))
    s.at(.milliseconds(4400))
    #expect(s.stack.info(id)?.error == .timedOut(lastICMP: nil))
  }

  @Test("an ACK of new data restarts the retransmission timer")
  func timerRestartsOnACK() throws {
    let s = try TCPScript()
    let (id, _) = try s.acceptConnection(options: TCPOptions(maximumSegmentSize: 1000))
    try s.write(id, count: 2000)
    s.expect(.ack, seq: 1, ack: 1, length: 1000)
    s.expect(.pshAck, seq: 1001, ack: 1, length: 1000)
    s.at(.milliseconds(150))
    s.send(.ack, seq: 1, ack: 1001)
    s.at(.milliseconds(349))
    s.expectNothing()
    s.at(.milliseconds(350))
    s.expect(.pshAck, seq: 1001, ack: 1, length: 1000)
  }
}
