import Testing
import UsnetStack
import UsnetWire

/// Delayed ACKs with Linux's modes: quick ACKs for the first segments and after an idle
/// time, none while the connection is interactive (data answers data, the ACK rides on it),
/// every second full-sized segment counted in the receive MSS, and the 40 ms ceiling.
@Suite("TCP script: delayed ACK, quick ACK and interactive mode")
struct TCPDelayedACKTests {
  static func script(quickACKs: Int = 16, buffer: Int = 256 * 1024) throws -> TCPScript {
    try TCPScript {
      $0.tcp.quickACKs = quickACKs
      $0.tcp.receiveBufferSize = buffer
    }
  }

  @Test("the first segments are ACKed at once, then ACKs are delayed up to 40 ms")
  func quickACKsAtStart() throws {
    let s = try Self.script(quickACKs: 3)
    _ = try s.acceptConnection()
    for index in 0..<3 {
      s.send(.ack, seq: 1 + 100 * index, ack: 1, payload: [UInt8](repeating: 1, count: 100))
      s.expect(.ack, seq: 1, ack: 101 + 100 * index)
      s.advance(by: .milliseconds(1))
    }
    s.send(.ack, seq: 301, ack: 1, payload: [UInt8](repeating: 1, count: 100))
    s.expectNothing()
    s.advance(by: .milliseconds(40))
    s.expect(.ack, seq: 1, ack: 401, at: .milliseconds(43))
  }

  @Test("quick ACKs are at most the receive window over two segments")
  func quickACKsBoundedByWindow() throws {
    let s = try Self.script(quickACKs: 16, buffer: 8192)
    _ = try s.acceptConnection()
    // 8192 / (2 × 1460) = 2.
    s.send(.ack, seq: 1, ack: 1, payload: [1])
    s.expect(.ack, seq: 1, ack: 2)
    s.send(.ack, seq: 2, ack: 1, payload: [2])
    s.expect(.ack, seq: 1, ack: 3)
    s.send(.ack, seq: 3, ack: 1, payload: [3])
    s.expectNothing()
  }

  @Test("after an idle time longer than the RTO, quick-ACK mode starts again")
  func quickACKsAfterIdle() throws {
    let s = try Self.script(quickACKs: 1)
    _ = try s.acceptConnection()
    s.send(.ack, seq: 1, ack: 1, payload: [1])
    s.expect(.ack, seq: 1, ack: 2)
    s.send(.ack, seq: 2, ack: 1, payload: [2])
    s.expectNothing()
    s.advance(by: .milliseconds(40))
    s.expect(.ack, seq: 1, ack: 3)
    // The RTO is 200 ms (the handshake's sample is 0): a second of silence is idle.
    s.advance(by: .seconds(1))
    s.send(.ack, seq: 3, ack: 1, payload: [3])
    s.expect(.ack, seq: 1, ack: 4)
  }

  @Test("interactive: an answer carries the ACK; a missed answer ends interactive mode")
  func interactiveMode() throws {
    let s = try Self.script(quickACKs: 16)
    let (id, _) = try s.acceptConnection()
    // A request, quick-ACKed; the application answers at once.
    s.send(.ack, seq: 1, ack: 1, payload: [UInt8](repeating: 1, count: 10))
    s.expect(.ack, seq: 1, ack: 11)
    _ = try s.read(id)
    try s.write(id, count: 20)
    s.expect(.pshAck, seq: 1, ack: 11, length: 20)
    // Now interactive: the next request's ACK waits for the answer, despite quick ACKs left.
    s.advance(by: .milliseconds(5))
    s.send(.ack, seq: 11, ack: 21, payload: [UInt8](repeating: 2, count: 10))
    s.expectNothing()
    s.advance(by: .milliseconds(10))
    _ = try s.read(id)
    try s.write(id, count: 20)
    s.expect(.pshAck, seq: 21, ack: 21, length: 20)
    // A request left unanswered: the delayed ACK fires at 40 ms and the connection is no
    // longer interactive, so the next request is quick-ACKed again.
    s.advance(by: .milliseconds(5))
    s.send(.ack, seq: 21, ack: 41, payload: [UInt8](repeating: 3, count: 10))
    s.expectNothing()
    s.advance(by: .milliseconds(40))
    s.expect(.ack, seq: 41, ack: 31)
    s.send(.ack, seq: 31, ack: 41, payload: [UInt8](repeating: 4, count: 10))
    s.expect(.ack, seq: 41, ack: 41)
  }

  @Test("with timestamps a coalesced segment of two full segments is ACKed at once")
  func countsReceiveMSS() throws {
    let s = try Self.script(quickACKs: 0)
    let listener = try s.stack.listen(port: s.stackPort, backlog: 4, at: s.now)
    s.send(
      .syn, seq: 0,
      options: TCPOptions(
        maximumSegmentSize: 1460, timestamp: TCPTimestamp(value: 100, echoReply: 0)))
    let synAck = try #require(s.expect(.synAck, seq: 0, ack: 1))
    let value = try #require(synAck.header.options.timestamp?.value)
    let stamp = TCPOptions(timestamp: TCPTimestamp(value: 101, echoReply: value))
    s.send(.ack, seq: 1, ack: 1, options: stamp)
    _ = try #require(try s.stack.accept(listener))
    // 1448 bytes is one full segment with timestamps: delayed.
    s.send(.ack, seq: 1, ack: 1, options: stamp, payload: [UInt8](repeating: 1, count: 1448))
    s.expectNothing()
    s.advance(by: .milliseconds(40))
    s.expect(.ack, seq: 1, ack: 1449)
    // Two of them coalesced (2896 bytes, under two interface MSS of 1460): at once.
    s.send(.ack, seq: 1449, ack: 1, options: stamp, payload: [UInt8](repeating: 2, count: 2896))
    s.expect(.ack, seq: 1, ack: 4345)
  }
}
