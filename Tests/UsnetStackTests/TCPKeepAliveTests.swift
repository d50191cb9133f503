import Testing
import UsnetStack
import UsnetWire

@Suite("TCP script: keep-alive")
struct TCPKeepAliveTests {
  private static func script() throws -> TCPScript {
    try TCPScript {
      $0.tcp.keepAliveIdle = .seconds(10)
      $0.tcp.keepAliveInterval = .seconds(1)
      $0.tcp.keepAliveProbes = 3
    }
  }

  @Test("an idle connection is probed after the idle time; an answer restarts the idle period")
  func answeredProbes() throws {
    let s = try Self.script()
    let (id, _) = try s.acceptConnection()
    try s.stack.setKeepAlive(id, true, at: s.now)
    s.expectNothing()
    s.at(.seconds(10))
    s.expect(.ack, seq: 0, ack: 1, at: .seconds(10))
    s.send(.ack, seq: 1, ack: 1)
    s.expectNothing()
    // The answer restarted the idle period: nothing until 10 s after it.
    s.at(.milliseconds(19_999))
    s.expectNothing()
    s.at(.seconds(20))
    s.expect(.ack, seq: 0, ack: 1, at: .seconds(20))
    #expect(s.state(id) == .established)
  }

  @Test("unanswered probes end the connection with timedOut")
  func unansweredProbes() throws {
    let s = try Self.script()
    let (id, _) = try s.acceptConnection()
    try s.stack.setKeepAlive(id, true, at: s.now)
    s.at(.seconds(10))
    s.expect(.ack, seq: 0, ack: 1, at: .seconds(10))
    s.at(.seconds(11))
    s.expect(.ack, seq: 0, ack: 1, at: .seconds(11))
    s.at(.seconds(12))
    s.expect(.ack, seq: 0, ack: 1, at: .seconds(12))
    s.at(.seconds(13))
    s.expectNothing()
    #expect(s.stack.info(id)?.error == .timedOut(lastICMP: nil))
  }

  @Test("keep-alive is off by default and can be turned off again")
  func offByDefault() throws {
    let s = try Self.script()
    let (id, _) = try s.acceptConnection()
    #expect(try s.stack.isKeepAliveEnabled(id) == false)
    try s.stack.setKeepAlive(id, true, at: s.now)
    try s.stack.setKeepAlive(id, false, at: s.now)
    s.at(.seconds(60))
    s.expectNothing()
    #expect(s.state(id) == .established)
  }
}
