import Testing
import UsnetStack
import UsnetWire

/// The user timeout (`TCP_USER_TIMEOUT`, Linux semantics): unacknowledged data, a closed window
/// and a quiet keep-alive peer each fail the connection with `timedOut` once it runs out, even
/// with retries left.
@Suite("TCP script: user timeout")
struct TCPUserTimeoutTests {
  @Test("unacknowledged data fails the connection at the user timeout, retries notwithstanding")
  func unacknowledgedData() throws {
    let s = try TCPScript()
    let (id, _) = try s.acceptConnection()
    #expect(try s.stack.userTimeout(of: id) == nil)
    try s.stack.setUserTimeout(id, .seconds(1))
    #expect(try s.stack.userTimeout(of: id) == .seconds(1))
    try s.write(id, count: 100)
    s.expect(.pshAck, seq: 1, ack: 1, length: 100, at: .zero)
    s.at(.milliseconds(999))
    s.expect(.pshAck, seq: 1, ack: 1, length: 100, at: .milliseconds(200))
    s.expect(.pshAck, seq: 1, ack: 1, length: 100, at: .milliseconds(600))
    s.expectNothing()
    #expect(s.state(id) == .established)
    // The next timeout would be at 1.4 s; it is brought forward to the user timeout.
    s.at(.seconds(1))
    s.expectNothing()
    #expect(s.stack.info(id)?.error == .timedOut(lastICMP: nil))
    #expect(s.stack.counters.tcpUserTimeouts == 1)
    #expect(throws: StackError.connection(.timedOut(lastICMP: nil))) { try s.read(id) }
  }

  @Test("progress restarts the user timeout; an ICMP soft error is what it reports")
  func progressRestarts() throws {
    let s = try TCPScript { $0.tcp.userTimeout = .seconds(1) }
    let (id, _) = try s.acceptConnection()
    #expect(try s.stack.userTimeout(of: id) == .seconds(1))
    try s.write(id, count: 200)
    s.expect(.pshAck, seq: 1, ack: 1, length: 200)
    s.at(.milliseconds(700))
    _ = s.takeAll()  // resent at 0.2 s and 0.6 s
    s.send(.ack, seq: 1, ack: 101)  // half of it, at 0.7 s: the clock restarts
    // The backed-off timeout (0.8 s) resends the rest at 1.5 s; the next would be at 3.1 s.
    s.at(.milliseconds(1500))
    let resent = try #require(s.expect(.pshAck, seq: 101, ack: 1, length: 100))
    s.sendUnreachable(
      .hostUnreachable, quoting: resent, from: IPv4Address(198, 18, 0, 254))
    s.at(.milliseconds(1699))
    #expect(s.state(id) == .established)
    s.at(.milliseconds(1700))
    #expect(s.stack.info(id)?.error == .timedOut(lastICMP: .host))
  }

  @Test("a window kept closed under probes fails at the user timeout after the first probe")
  func zeroWindow() throws {
    let s = try TCPScript { $0.tcp.userTimeout = .seconds(1) }
    let (id, _) = try s.acceptConnection(window: 0)
    try s.write(id, count: 100)
    s.expectNothing()
    var probes = 0
    while s.now < .milliseconds(1199) {
      s.at(Swift.min(s.stack.nextDeadline ?? .milliseconds(1199), .milliseconds(1199)))
      for probe in s.takeAll() {
        #expect(probe.relativeSequence == 0 && probe.payload.isEmpty)
        probes += 1
        s.send(.ack, seq: 1, ack: 1, window: 0)  // alive, but the window stays closed
      }
    }
    #expect(probes == 2)  // at 0.2 s and 0.6 s
    #expect(s.state(id) == .established)
    s.at(.milliseconds(1200))
    #expect(s.stack.info(id)?.error == .timedOut(lastICMP: nil))
    #expect(s.stack.counters.tcpUserTimeouts == 1)
  }

  @Test("without a user timeout an answered zero-window probe keeps the connection")
  func zeroWindowWithoutUserTimeout() throws {
    let s = try TCPScript()
    let (id, _) = try s.acceptConnection(window: 0)
    try s.write(id, count: 100)
    for _ in 0..<10 {
      s.at(s.stack.nextDeadline ?? s.now)
      s.send(.ack, seq: 1, ack: 1, window: 0)
    }
    #expect(s.state(id) == .established)
  }

  @Test("under keep-alive the user timeout replaces the probe count")
  func keepAlive() throws {
    let s = try TCPScript {
      $0.tcp.keepAliveIdle = .seconds(10)
      $0.tcp.keepAliveInterval = .seconds(1)
      $0.tcp.keepAliveProbes = 9
      $0.tcp.userTimeout = .seconds(3)
    }
    let (id, _) = try s.acceptConnection()
    try s.stack.setKeepAlive(id, true, at: s.now)
    s.at(.seconds(10))
    s.expect(.ack, seq: 0, ack: 1, at: .seconds(10))
    s.at(.milliseconds(10_999))
    #expect(s.state(id) == .established)
    // Quiet for 11 s with a probe out: beyond 3 s, so the second timer ends it.
    s.at(.seconds(11))
    #expect(s.stack.info(id)?.error == .timedOut(lastICMP: nil))
  }

  @Test("a user timeout that is not positive is refused")
  func invalid() throws {
    let s = try TCPScript()
    let (id, _) = try s.acceptConnection()
    #expect(throws: StackError.self) { try s.stack.setUserTimeout(id, .zero) }
    try s.stack.setUserTimeout(id, nil)
    #expect(try s.stack.userTimeout(of: id) == nil)
  }
}
