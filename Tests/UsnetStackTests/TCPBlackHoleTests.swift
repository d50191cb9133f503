import Testing
import UsnetStack
import UsnetWire

/// Black-hole detection and probing (RFC 4821, Linux `tcp_mtu_probing=1`): full-size segments
/// that only ever time out lower the MSS; probe segments then search upward.
@Suite("TCP script: path MTU black holes")
struct TCPBlackHoleTests {
  /// An accepted connection with MSS 1460, no SACK, and every segment ACKed by the stack at
  /// once.
  static func connection(
    _ adjust: @escaping (inout StackConfiguration) -> Void = { _ in }
  ) throws -> (TCPScript, TCPSocketID) {
    let s = try TCPScript {
      $0.tcp.delayedACKTimeout = nil
      adjust(&$0)
    }
    let (id, _) = try s.acceptConnection()
    return (s, id)
  }

  /// The relative end of the highest segment in `segments`.
  static func end(of segments: [ScriptSegment]) -> Int {
    segments.map { $0.relativeSequence + $0.payload.count }.max() ?? 0
  }

  /// Lets the peer acknowledge everything the stack sends (in rounds) until a segment of
  /// `probeSize` bytes appears, which is returned unacknowledged, or `rounds` pass.
  static func ackUntilProbe(
    _ s: TCPScript, probeSize: Int, rounds: Int = 40
  ) -> (probe: ScriptSegment?, all: [ScriptSegment]) {
    var all: [ScriptSegment] = []
    for _ in 0..<rounds {
      let segments = s.takeAll()
      all += segments
      if let probe = segments.first(where: { $0.payload.count == probeSize }) {
        return (probe, all)
      }
      guard !segments.isEmpty else { break }
      s.send(.ack, seq: 1, ack: end(of: segments))
    }
    return (nil, all)
  }

  @Test("the second timeout in a row of full-size segments lowers the MSS to 1024")
  func lowersOnSecondTimeout() throws {
    let (s, id) = try Self.connection()
    try s.write(id, count: 4 * 1460)
    for index in 0..<4 { s.expect(.ack, seq: 1 + 1460 * index, ack: 1, length: 1460) }
    s.advance(by: .milliseconds(200))
    s.expect(.ack, seq: 1, ack: 1, length: 1460)  // the first timeout: same size
    #expect(s.stack.counters.tcpPathMTUBlackHoles == 0)
    s.advance(by: .milliseconds(400))
    s.expect(.ack, seq: 1, ack: 1, length: 1024)  // the second: a black hole
    s.expectNothing()
    #expect(s.stack.counters.tcpPathMTUBlackHoles == 1)
    #expect(s.stack.info(id)?.sendMSS == 1024)
    // Still nothing: halved toward 536, never below.
    s.advance(by: .milliseconds(800))
    s.expect(.ack, seq: 1, ack: 1, length: 536)
    s.advance(by: .milliseconds(1600))
    s.expect(.ack, seq: 1, ack: 1, length: 536)
    #expect(s.stack.counters.tcpPathMTUBlackHoles == 2)
    #expect(s.stack.info(id)?.sendMSS == 536)
    // The smaller segments pass: the rest follows in that size.
    s.send(.ack, seq: 1, ack: 537)
    let rest = s.takeAll()
    #expect(rest.allSatisfy { $0.payload.count <= 536 })
    #expect(s.state(id) == .established)
  }

  @Test("small segments or probing turned off: timeouts do not touch the MSS")
  func notForSmallSegmentsOrWhenOff() throws {
    let (s, id) = try Self.connection()
    try s.write(id, count: 500)
    s.expect(.pshAck, seq: 1, ack: 1, length: 500)
    s.advance(by: .milliseconds(600))
    s.expect(.pshAck, seq: 1, ack: 1, length: 500)
    s.expect(.pshAck, seq: 1, ack: 1, length: 500)
    #expect(s.stack.counters.tcpPathMTUBlackHoles == 0)
    #expect(s.stack.info(id)?.sendMSS == 1460)

    let (off, offID) = try Self.connection { $0.tcp.pathMTUProbing = false }
    try off.write(offID, count: 3000)
    off.advance(by: .milliseconds(1400))
    let lengths = off.takeAll().map(\.payload.count)
    #expect(lengths == [1460, 1460, 1460, 1460, 1460])  // (Nagle holds the last 80 bytes)
    #expect(off.stack.counters.tcpPathMTUBlackHoles == 0)
    #expect(off.stack.info(offID)?.sendMSS == 1460)
  }

  @Test("after a black hole, probes search upward: an acknowledged one raises the MSS")
  func probesUpward() throws {
    let (s, id) = try Self.connection()
    try s.write(id, count: 4 * 1460)
    _ = s.takeAll()
    s.advance(by: .milliseconds(600))  // two timeouts
    #expect(s.stack.info(id)?.sendMSS == 1024)
    try s.write(id, count: 60_000)
    // The first probe is midway between 1024 and 1460.
    let (probe, before) = Self.ackUntilProbe(s, probeSize: 1242)
    let first = try #require(probe)
    // Before it (after the first timeout's 1460-byte resend), nothing beyond the new MSS.
    #expect(before.dropFirst().allSatisfy { $0.payload.count <= 1024 || $0.payload.count == 1242 })
    #expect(s.stack.counters.tcpPathMTUProbes == 1)
    s.send(.ack, seq: 1, ack: first.relativeSequence + 1242)
    #expect(s.stack.counters.tcpPathMTUProbesSucceeded == 1)
    #expect(s.stack.info(id)?.sendMSS == 1242)

    // The next probe, 1351 bytes, is lost: the peer acknowledges up to it and no further, so
    // the timeout resends from its start in the current MSS, and 1351 counts as too big.
    let (lost, _) = Self.ackUntilProbe(s, probeSize: 1351)
    let second = try #require(lost)
    _ = s.takeAll()
    s.send(.ack, seq: 1, ack: second.relativeSequence)
    _ = s.takeAll()
    s.at(try #require(s.stack.nextDeadline))  // the retransmission timeout
    let resent = s.takeAll()
    #expect(resent.first?.relativeSequence == second.relativeSequence)
    #expect(resent.first?.payload.count == 1242)
    #expect(s.stack.counters.tcpPathMTUProbesFailed == 1)
    #expect(s.stack.info(id)?.sendMSS == 1242)
    // The search goes on below the failed size: (1242 + 1350) / 2.
    s.send(.ack, seq: 1, ack: Self.end(of: resent))
    let (third, _) = Self.ackUntilProbe(s, probeSize: 1296)
    #expect(third != nil)
  }
}
