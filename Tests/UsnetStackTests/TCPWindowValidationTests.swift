import Testing
import UsnetStack
import UsnetWire

/// The congestion window grows only while it limits the sender (app-limited handling), and
/// shrinks back to the initial window after an idle period (slow-start restart).
@Suite("TCP script: congestion window validation")
struct TCPWindowValidationTests {
  static let rtt = Duration.milliseconds(5)

  /// Sends `count` 1000-byte segments from relative `first`, expects them, and ACKs them all
  /// one RTT later.
  static func exchange(_ s: TCPScript, _ id: TCPSocketID, from first: Int, count: Int) throws {
    _ = try s.write(id, count: 1000 * count)
    for index in 0..<count {
      s.expect(.ack, seq: first + 1000 * index, ack: 1, length: 1000)
    }
    s.advance(by: rtt)
    s.send(.ack, seq: 1, ack: first + 1000 * count)
    s.expectNothing()
  }

  @Test("an application that sends less than half the window does not grow it")
  func applicationLimited() throws {
    let s = try TCPScript { $0.tcp.delayedACKTimeout = nil }
    let (id, _) = try s.acceptConnection(options: TCPOptions(maximumSegmentSize: 1000))
    for round in 0..<20 {
      try Self.exchange(s, id, from: 1 + 2000 * round, count: 2)
    }
    #expect(s.stack.info(id)?.congestionWindow == 10_000)
  }

  @Test("a sender limited by the window grows it in slow start")
  func windowLimitedGrows() throws {
    let s = try TCPScript { $0.tcp.delayedACKTimeout = nil }
    let (id, _) = try s.acceptConnection(options: TCPOptions(maximumSegmentSize: 1000))
    try Self.exchange(s, id, from: 1, count: 10)
    #expect(s.stack.info(id)?.congestionWindow == 20_000)
  }

  @Test("after more than an RTO of idleness the window restarts from the initial window")
  func slowStartRestart() throws {
    let s = try TCPScript { $0.tcp.delayedACKTimeout = nil }
    let (id, _) = try s.acceptConnection(options: TCPOptions(maximumSegmentSize: 1000))
    try Self.exchange(s, id, from: 1, count: 10)
    try Self.exchange(s, id, from: 10_001, count: 20)
    #expect(s.stack.info(id)?.congestionWindow == 40_000)
    s.advance(by: .seconds(2))  // idle, much longer than the RTO
    _ = try s.write(id, count: 30_000)
    for index in 0..<10 { s.expect(.ack, seq: 30_001 + 1000 * index, ack: 1, length: 1000) }
    s.expectNothing()  // ten segments: the initial window, not forty
    #expect(s.stack.info(id)?.congestionWindow == 10_000)
  }

  @Test("without slow-start restart the window survives idleness")
  func noRestartWhenOff() throws {
    let s = try TCPScript {
      $0.tcp.delayedACKTimeout = nil
      $0.tcp.slowStartAfterIdle = false
    }
    let (id, _) = try s.acceptConnection(options: TCPOptions(maximumSegmentSize: 1000))
    try Self.exchange(s, id, from: 1, count: 10)
    s.advance(by: .seconds(2))
    _ = try s.write(id, count: 30_000)
    for index in 0..<20 { s.expect(.ack, seq: 10_001 + 1000 * index, ack: 1, length: 1000) }
    s.expectNothing()
  }
}
