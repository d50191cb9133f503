import Testing
import UsnetStack
import UsnetWire

/// RFC 5961: blind RST, SYN and data injection mitigations.
@Suite("TCP script: RFC 5961")
struct TCPChallengeACKTests {
  @Test("RST with exactly RCV.NXT resets the connection")
  func exactReset() throws {
    let s = try TCPScript()
    let (id, _) = try s.acceptConnection()
    s.send(.rst, seq: 1)
    s.expectNothing()
    #expect(s.state(id) == .closed)
    #expect(throws: StackError.connection(.reset)) { try s.read(id) }
    #expect(throws: StackError.connection(.reset)) { try s.write(id, count: 1) }
  }

  @Test("in-window RST that is not exact gets a challenge ACK; the connection survives")
  func inWindowReset() throws {
    let s = try TCPScript()
    let (id, _) = try s.acceptConnection()
    s.send(.rst, seq: 1000)
    s.expect(.ack, seq: 1, ack: 1)
    #expect(s.state(id) == .established)
    #expect(s.stack.counters[.tcpRSTRejected] == 1)
    #expect(s.stack.counters.tcpChallengeACKs == 1)
    // The real peer answers the challenge with a RST at RCV.NXT.
    s.send(.rst, seq: 1)
    #expect(s.state(id) == .closed)
  }

  @Test("out-of-window RST is dropped silently")
  func outOfWindowReset() throws {
    let s = try TCPScript()
    let (id, _) = try s.acceptConnection()
    s.send(.rst, seq: 1 + 300_000)
    s.send(.rst, seq: -5)
    s.expectNothing()
    #expect(s.state(id) == .established)
    #expect(s.stack.counters[.tcpRSTRejected] == 2)
    #expect(s.stack.counters.tcpChallengeACKs == 0)
  }

  @Test("SYN in ESTABLISHED gets a challenge ACK and changes nothing")
  func synInEstablished() throws {
    let s = try TCPScript()
    let (id, _) = try s.acceptConnection()
    s.send(.syn, seq: 1, options: TCPOptions(maximumSegmentSize: 1460))
    s.expect(.ack, seq: 1, ack: 1)
    #expect(s.state(id) == .established)
    #expect(s.stack.counters[.tcpUnexpectedSYN] == 1)
    #expect(s.stack.counters.tcpChallengeACKs == 1)
  }

  @Test("ACK for data never sent is ACKed and dropped; a too-old ACK gets a challenge ACK")
  func badACKs() throws {
    let s = try TCPScript()
    let (id, _) = try s.acceptConnection()
    s.send(.ack, seq: 1, ack: 5000, payload: [1, 2, 3])
    s.expect(.ack, seq: 1, ack: 1)
    #expect(s.stack.info(id)?.bytesReadable == 0)
    s.send(.ack, seq: 1, ack: -70_000, payload: [1, 2, 3])
    s.expect(.ack, seq: 1, ack: 1)
    #expect(s.stack.info(id)?.bytesReadable == 0)
    #expect(s.stack.counters[.tcpBadACK] == 2)
    #expect(s.stack.counters.tcpChallengeACKs == 1)
    // An old ACK inside MAX.SND.WND is fine and its data is taken.
    s.send(.ack, seq: 1, ack: -60_000, payload: [1, 2, 3])
    s.advance(by: .milliseconds(40))
    s.expect(.ack, seq: 1, ack: 4)
    #expect(try s.read(id) == [1, 2, 3])
  }

  @Test("challenge ACKs are rate limited stack-wide")
  func rateLimit() throws {
    let s = try TCPScript { $0.tcp.challengeACKsPerSecond = 2 }
    let (id, _) = try s.acceptConnection()
    s.at(.seconds(5))
    for offset in 1...5 { s.send(.rst, seq: 100 * offset) }
    s.expect(.ack, seq: 1, ack: 1)
    s.expect(.ack, seq: 1, ack: 1)
    s.expectNothing()
    #expect(s.stack.counters.tcpChallengeACKs == 2)
    #expect(s.stack.counters.tcpChallengeACKsSuppressed == 3)
    #expect(s.stack.counters[.tcpRSTRejected] == 5)
    s.at(.seconds(6))
    s.send(.syn, seq: 1)
    s.expect(.ack, seq: 1, ack: 1)
    #expect(s.state(id) == .established)
  }
}
