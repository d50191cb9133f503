import Testing
import UsnetStack
import UsnetWire

/// Listener SYN and accept queues (Linux semantics), SYN-ACK retries and listener close.
@Suite("TCP script: listener queues")
struct TCPListenerTests {
  @Test("backlog N: SYN N+1 is dropped silently and counted")
  func backlogFull() throws {
    let s = try TCPScript()
    _ = try s.stack.listen(port: 80, backlog: 2, at: s.now)
    for port: UInt16 in [40001, 40002] {
      s.send(.syn, seq: 0, port: port)
      let synAck = s.expect(.synAck, seq: 0, ack: 1)
      #expect(synAck?.header.destinationPort == port)
    }
    s.send(.syn, seq: 0, port: 40003)
    s.expectNothing()
    #expect(s.stack.counters[.tcpListenQueueFull] == 1)
    #expect(s.stack.counters.tcpResetsSent == 0)
    // A reset half-open connection frees its slot.
    s.send(.rst, seq: 1, port: 40001)
    s.send(.syn, seq: 0, port: 40003)
    let synAck = s.expect(.synAck, seq: 0, ack: 1)
    #expect(synAck?.header.destinationPort == 40003)
  }

  @Test("SYN-ACK retransmits at 1, 3, 7, 15, 31 s; the half-open connection expires at 63 s")
  func halfOpenExpiry() throws {
    let s = try TCPScript()
    let listener = try s.stack.listen(port: 80, backlog: 2, at: s.now)
    s.send(.syn, seq: 0, options: TCPOptions(maximumSegmentSize: 1460))
    s.expect(.synAck, seq: 0, ack: 1, at: .zero)
    // A retransmitted SYN is answered with the SYN-ACK again.
    s.at(.milliseconds(500))
    s.send(.syn, seq: 0, options: TCPOptions(maximumSegmentSize: 1460))
    s.expect(.synAck, seq: 0, ack: 1, at: .milliseconds(500))
    s.at(.milliseconds(62_999))
    for second in [1, 3, 7, 15, 31] as [Int64] {
      s.expect(.synAck, seq: 0, ack: 1, at: .seconds(second))
    }
    s.expectNothing()
    #expect(s.stack.counters.tcpHalfOpenExpired == 0)
    s.at(.seconds(63))
    s.expectNothing()
    #expect(s.stack.counters.tcpHalfOpenExpired == 1)
    // The late ACK finds only the listener: RST.
    s.send(.ack, seq: 1, ack: 1)
    s.expect(.rst, seq: 1)
    #expect(try s.stack.accept(listener) == nil)
  }

  @Test("accept queue full: the completing ACK is ignored until accept makes room")
  func acceptQueueFull() throws {
    let s = try TCPScript()
    let listener = try s.stack.listen(port: 80, backlog: 2, at: s.now)
    for port: UInt16 in [40001, 40002] {
      s.send(.syn, seq: 0, port: port)
      s.expect(.synAck, seq: 0, ack: 1)
    }
    s.send(.ack, seq: 1, ack: 1, port: 40001)
    s.send(.syn, seq: 0, port: 40003)
    s.expect(.synAck, seq: 0, ack: 1)
    s.send(.ack, seq: 1, ack: 1, port: 40002)
    #expect(s.stack.pendingAccepts(listener) == 2)
    s.send(.ack, seq: 1, ack: 1, port: 40003)
    s.expectNothing()
    #expect(s.stack.pendingAccepts(listener) == 2)
    #expect(s.stack.counters[.tcpListenQueueFull] == 1)
    let first = try #require(try s.stack.accept(listener))
    #expect(s.stack.info(first)?.tuple.remotePort == 40001)
    // The SYN-ACK is retransmitted; the peer's new ACK now completes the handshake.
    s.at(.seconds(1))
    let synAck = s.expect(.synAck, seq: 0, ack: 1)
    #expect(synAck?.header.destinationPort == 40003)
    s.send(.ack, seq: 1, ack: 1, port: 40003)
    s.expectNothing()
    let second = try #require(try s.stack.accept(listener))
    let third = try #require(try s.stack.accept(listener))
    #expect(s.stack.info(second)?.tuple.remotePort == 40002)
    #expect(s.stack.info(third)?.tuple.remotePort == 40003)
    #expect(s.state(third) == .established)
  }

  @Test("closing a listener resets its queued and half-open connections, not accepted ones")
  func closeListener() throws {
    let s = try TCPScript()
    let listener = try s.stack.listen(port: 80, backlog: 4, at: s.now)
    for port: UInt16 in [40001, 40002, 40003] {
      s.send(.syn, seq: 0, port: port)
      s.expect(.synAck, seq: 0, ack: 1)
    }
    s.send(.ack, seq: 1, ack: 1, port: 40001)
    s.send(.ack, seq: 1, ack: 1, port: 40002)
    let accepted = try #require(try s.stack.accept(listener))
    s.stack.close(listener, at: s.now)
    let resets = [s.expect(.rstAck, seq: 1, ack: 1), s.expect(.rstAck, seq: 1, ack: 1)]
    s.expectNothing()
    #expect(Set(resets.map { $0?.header.destinationPort }) == [40002, 40003])
    #expect(s.state(accepted) == .established)
    #expect(s.stack.info(accepted)?.tuple.remotePort == 40001)
    s.send(.syn, seq: 100, port: 40004)
    s.expect(.rstAck, seq: 0, ack: 101)
  }
}
