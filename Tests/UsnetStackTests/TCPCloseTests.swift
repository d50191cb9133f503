import Testing
import UsnetStack
import UsnetWire

/// RFC 9293 §3.10.7.4 FIN processing and CLOSE in every state that has one.
@Suite("TCP script: closing")
struct TCPCloseTests {
  @Test("passive close: ESTABLISHED → CLOSE-WAIT → LAST-ACK (FIN retransmitted) → CLOSED")
  func passiveClose() throws {
    let s = try TCPScript()
    let (id, _) = try s.acceptConnection()
    s.send(.finAck, seq: 1, ack: 1)
    s.expect(.ack, seq: 1, ack: 2)
    #expect(s.state(id) == .closeWait)
    #expect(try s.read(id) == [])
    // A retransmitted FIN in CLOSE-WAIT is a duplicate: ACKed again.
    s.send(.finAck, seq: 1, ack: 1)
    s.expect(.ack, seq: 1, ack: 2)
    try s.write(id, count: 10)
    s.expect(.pshAck, seq: 1, ack: 2, length: 10)
    try s.stack.shutdown(id, read: false, write: true, at: s.now)
    s.expect(.finAck, seq: 11, ack: 2)
    #expect(s.state(id) == .lastAck)
    // The peer's FIN again (our ACK was lost): ACKed from LAST-ACK.
    s.send(.finAck, seq: 1, ack: 1)
    s.expect(.ack, seq: 12, ack: 2)
    s.send(.ack, seq: 2, ack: 11)
    s.advance(by: .milliseconds(200))
    s.expect(.finAck, seq: 11, ack: 2, at: s.now)
    s.send(.ack, seq: 2, ack: 12)
    s.expectNothing()
    #expect(s.state(id) == .closed)
    #expect(s.stack.info(id)?.error == nil)
    s.stack.close(id, at: s.now)
    #expect(s.stack.info(id) == nil)
  }

  @Test("active close: FIN-WAIT-1, FIN-WAIT-2, TIME-WAIT; a retransmitted FIN restarts 2·MSL")
  func activeCloseTimeWait() throws {
    let s = try TCPScript()
    let (id, _) = try s.acceptConnection()
    try s.stack.shutdown(id, read: false, write: true, at: s.now)
    s.expect(.finAck, seq: 1, ack: 1)
    #expect(s.state(id) == .finWait1)
    #expect(throws: StackError.brokenPipe) { try s.write(id, count: 1) }
    s.send(.ack, seq: 1, ack: 2)
    s.expectNothing()
    #expect(s.state(id) == .finWait2)
    s.send(.finAck, seq: 1, ack: 2)
    s.expect(.ack, seq: 2, ack: 2)
    #expect(s.state(id) == .timeWait)
    s.at(.seconds(30))
    s.send(.finAck, seq: 1, ack: 2)
    s.expect(.ack, seq: 2, ack: 2)
    s.at(.seconds(89))
    s.expectNothing()
    #expect(s.state(id) == .timeWait)
    s.at(.seconds(90))
    #expect(s.state(id) == .closed)
    s.expectNothing()
  }

  @Test("FIN-WAIT-1: a FIN that also ACKs our FIN goes straight to TIME-WAIT")
  func finWait1FinAck() throws {
    let s = try TCPScript()
    let (id, _) = try s.acceptConnection()
    try s.stack.shutdown(id, read: false, write: true, at: s.now)
    s.expect(.finAck, seq: 1, ack: 1)
    s.send(.finAck, seq: 1, ack: 2)
    s.expect(.ack, seq: 2, ack: 2)
    #expect(s.state(id) == .timeWait)
    s.at(.seconds(60))
    #expect(s.state(id) == .closed)
  }

  @Test("simultaneous close: FIN-WAIT-1 → CLOSING (FIN retransmitted) → TIME-WAIT")
  func simultaneousClose() throws {
    let s = try TCPScript()
    let (id, _) = try s.acceptConnection()
    try s.stack.shutdown(id, read: false, write: true, at: s.now)
    s.expect(.finAck, seq: 1, ack: 1)
    s.send(.finAck, seq: 1, ack: 1)
    s.expect(.ack, seq: 2, ack: 2)
    #expect(s.state(id) == .closing)
    s.send(.finAck, seq: 1, ack: 1)
    s.expect(.ack, seq: 2, ack: 2)
    #expect(s.state(id) == .closing)
    s.advance(by: .milliseconds(200))
    s.expect(.finAck, seq: 1, ack: 2)
    s.send(.ack, seq: 2, ack: 2)
    s.expectNothing()
    #expect(s.state(id) == .timeWait)
  }

  @Test("half-close: after shutting down writing the stack still receives and ACKs data")
  func halfClose() throws {
    let s = try TCPScript()
    let (id, _) = try s.acceptConnection()
    try s.stack.shutdown(id, read: false, write: true, at: s.now)
    s.expect(.finAck, seq: 1, ack: 1)
    s.send(.ack, seq: 1, ack: 2)
    s.send(.ack, seq: 1, ack: 2, payload: [UInt8](repeating: 5, count: 100))
    s.advance(by: .milliseconds(40))
    s.expect(.ack, seq: 2, ack: 101)
    s.send(.ack, seq: 101, ack: 2, payload: [UInt8](repeating: 6, count: 1460))
    s.send(.ack, seq: 1561, ack: 2, payload: [UInt8](repeating: 6, count: 1460))
    s.expect(.ack, seq: 2, ack: 3021)
    #expect(s.state(id) == .finWait2)
    #expect(try s.read(id)?.count == 3020)
    s.send(.finAck, seq: 3021, ack: 2)
    s.expect(.ack, seq: 2, ack: 3022)
    #expect(s.state(id) == .timeWait)
    #expect(try s.read(id) == [])
  }

  @Test("close with unread data sends RST and forgets the connection")
  func closeWithUnreadData() throws {
    let s = try TCPScript()
    let (id, _) = try s.acceptConnection()
    s.send(.ack, seq: 1, ack: 1, payload: [1, 2, 3])
    s.stack.close(id, at: s.now)
    s.expect(.rstAck, seq: 1, ack: 4)
    #expect(s.stack.info(id) == nil)
    s.send(.ack, seq: 4, ack: 1)
    s.expect(.rst, seq: 1)
    #expect(s.stack.counters.tcpResetsSent == 2)
  }

  @Test("data for a closed socket in FIN-WAIT-2 is answered with RST")
  func dataAfterClose() throws {
    let s = try TCPScript()
    let (id, _) = try s.acceptConnection()
    s.stack.close(id, at: s.now)
    s.expect(.finAck, seq: 1, ack: 1)
    s.send(.ack, seq: 1, ack: 2)
    s.expectNothing()
    s.send(.ack, seq: 1, ack: 2, payload: [1, 2, 3])
    s.expect(.rstAck, seq: 2, ack: 1)
    #expect(s.stack.info(id) == nil)
    s.send(.ack, seq: 4, ack: 2)
    s.expect(.rst, seq: 2)
  }

  @Test("a closed socket's FIN-WAIT-2 ends after the timeout")
  func finWait2Timeout() throws {
    let s = try TCPScript()
    let (id, _) = try s.acceptConnection()
    s.stack.close(id, at: s.now)
    s.expect(.finAck, seq: 1, ack: 1)
    s.send(.ack, seq: 1, ack: 2)
    s.at(.seconds(59))
    s.send(.ack, seq: 1, ack: 2)
    s.expectNothing()
    s.at(.seconds(60))
    s.send(.ack, seq: 1, ack: 2)
    s.expect(.rst, seq: 2)
    #expect(s.stack.info(id) == nil)
  }

  @Test("TIME-WAIT: an old SYN is ACKed; a SYN above RCV.NXT starts a new incarnation")
  func timeWaitNewIncarnation() throws {
    let s = try TCPScript()
    let (id, listener) = try s.acceptConnection()
    s.stack.close(id, at: s.now)
    s.expect(.finAck, seq: 1, ack: 1)
    s.send(.finAck, seq: 1, ack: 2)
    s.expect(.ack, seq: 2, ack: 2)
    s.at(.seconds(1))
    s.send(.syn, seq: 0, options: TCPOptions(maximumSegmentSize: 1460))
    s.expect(.ack, seq: 2, ack: 2)
    #expect(try s.stack.accept(listener) == nil)
    s.send(.syn, seq: 1000, options: TCPOptions(maximumSegmentSize: 1460))
    s.expect(.synAck, seq: 0, ack: 1001)
    s.send(.ack, seq: 1001, ack: 1)
    let second = try #require(try s.stack.accept(listener))
    #expect(s.state(second) == .established)
  }

  @Test("data and FIN in one segment: delivered, then end of stream")
  func dataWithFIN() throws {
    let s = try TCPScript()
    let (id, _) = try s.acceptConnection()
    s.send(.finAck, seq: 1, ack: 1, payload: [1, 2, 3, 4, 5])
    s.expect(.ack, seq: 1, ack: 7)
    #expect(s.state(id) == .closeWait)
    #expect(try s.read(id) == [1, 2, 3, 4, 5])
    #expect(try s.read(id) == [])
  }

  @Test("a closed socket's TIME-WAIT ends after 2·MSL and frees everything")
  func timeWaitReleased() throws {
    let s = try TCPScript { $0.tcp.maximumSegmentLifetime = .seconds(5) }
    let (id, _) = try s.acceptConnection()
    s.stack.close(id, at: s.now)
    s.expect(.finAck, seq: 1, ack: 1)
    s.send(.finAck, seq: 1, ack: 2)
    s.expect(.ack, seq: 2, ack: 2)
    #expect(s.state(id) == .timeWait)
    #expect(s.stack.nextDeadline == .seconds(10))
    s.at(.seconds(10))
    #expect(s.stack.nextDeadline == nil)
    #expect(s.stack.info(id) == nil)
    s.send(.finAck, seq: 1, ack: 2)
    s.expect(.rst, seq: 2)
  }
}
