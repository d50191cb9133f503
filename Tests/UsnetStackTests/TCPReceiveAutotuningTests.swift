import Testing
import UsnetStack
import UsnetWire

/// Receive-buffer autotuning (Linux's dynamic right-sizing): the window starts at the initial
/// buffer, the SYN offers the scale of the largest, and the buffer grows to twice what the
/// application reads per round trip, up to the limit, never shrinking the window.
@Suite("TCP script: receive-buffer autotuning")
struct TCPReceiveAutotuningTests {
  /// A passive open with window scaling over a 100 ms round trip: the peer's ACK comes 100 ms
  /// after the SYN-ACK, so the smoothed RTT is 100 ms. Returns the connection and the SYN-ACK.
  static func accepted(
    _ s: TCPScript, sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> (TCPSocketID, ScriptSegment) {
    let listener = try s.stack.listen(port: s.stackPort, backlog: 4, at: s.now)
    s.send(.syn, seq: 0, options: TCPOptions(maximumSegmentSize: 1460, windowScale: 7))
    let synAck = try #require(s.expect(.synAck, seq: 0, ack: 1, sourceLocation: sourceLocation))
    s.advance(by: .milliseconds(100))
    s.send(.ack, seq: 1, ack: 1)
    let id = try #require(try s.stack.accept(listener))
    #expect(s.stack.info(id)?.smoothedRTT == .milliseconds(100), sourceLocation: sourceLocation)
    return (id, synAck)
  }

  /// Autotuning on, from 64 KiB up to `limit`, quick ACKs off (the windows are what matter).
  static func script(limit: Int) throws -> TCPScript {
    try TCPScript {
      $0.tcp.receiveBufferAutotuning = true
      $0.tcp.initialReceiveBufferSize = 64 * 1024
      $0.tcp.receiveBufferSize = limit
      $0.tcp.delayedACKTimeout = nil
    }
  }

  /// Plays a sender in slow start over `rounds` round trips of 100 ms: each round it sends
  /// as many 1460-byte segments as its window (doubling from 10) and the stack's advertised
  /// window allow, then the application reads everything. Returns the window (bytes) of the
  /// last ACK and the bytes sent.
  static func slowStart(
    _ s: TCPScript, _ id: TCPSocketID, rounds: Int, shift: Int
  ) throws -> (window: Int, sent: Int) {
    var sent = 0
    var rightEdge = 65535
    var congestionWindow = 10
    for _ in 0..<rounds {
      var segments = 0
      while segments < congestionWindow && sent + 1460 <= rightEdge {
        s.send(.ack, seq: 1 + sent, ack: 1, payload: [UInt8](repeating: 1, count: 1460))
        sent += 1460
        segments += 1
      }
      while let data = try s.read(id), !data.isEmpty {}
      for ack in s.takeAll() {
        rightEdge = ack.relativeAcknowledgment - 1 + (Int(ack.header.window) << shift)
      }
      congestionWindow *= 2
      s.advance(by: .milliseconds(100))
    }
    return (rightEdge - sent, sent)
  }

  @Test("the SYN offers the scale of the largest buffer; the window starts at the initial one")
  func scaleFromLimit() throws {
    let s = try Self.script(limit: 6 * 1024 * 1024)
    let (id, synAck) = try Self.accepted(s)
    #expect(synAck.header.options.windowScale == 7)
    #expect(synAck.header.window == 65535)
    #expect(s.stack.info(id)?.receiveBufferSize == 65536)
    s.send(.ack, seq: 1, ack: 1, payload: [1])
    // 65,534 bytes from RCV.NXT, rounded up to the scale rather than moving the edge left.
    s.expect(.ack, seq: 1, ack: 2, window: 512)
  }

  @Test("a reader that keeps up grows the window over the round trips, up to the limit")
  func growsWithReader() throws {
    let s = try Self.script(limit: 1024 * 1024)
    let (id, synAck) = try Self.accepted(s)
    #expect(synAck.header.options.windowScale == 5)
    let (window, sent) = try Self.slowStart(s, id, rounds: 8, shift: 5)
    let size = try #require(s.stack.info(id)?.receiveBufferSize)
    #expect(size > 4 * 65536 && size <= 1024 * 1024, "buffer \(size)")
    #expect(window > 4 * 65536, "window \(window) after \(sent) bytes")
    #expect(s.stack.counters.tcpReceiveBufferGrowths >= 2)
    // The limit holds however much more is read.
    _ = try Self.slowStart(s, id, rounds: 4, shift: 5)
    #expect(s.stack.info(id)?.receiveBufferSize == 1024 * 1024)
  }

  @Test("a reader that does not keep up leaves the buffer as it started")
  func slowReaderStays() throws {
    let s = try Self.script(limit: 1024 * 1024)
    let (id, _) = try Self.accepted(s)
    var sent = 0
    for _ in 0..<5 {
      // 10 segments per round trip, and the application reads only 10 bytes of them.
      for _ in 0..<10 where sent + 1460 <= 65536 {
        s.send(.ack, seq: 1 + sent, ack: 1, payload: [UInt8](repeating: 1, count: 1460))
        sent += 1460
      }
      var buffer = [UInt8](repeating: 0, count: 10)
      _ = try s.stack.receive(id, into: &buffer, at: s.now)
      _ = s.takeAll()
      s.advance(by: .milliseconds(100))
    }
    #expect(s.stack.info(id)?.receiveBufferSize == 65536)
    #expect(s.stack.counters.tcpReceiveBufferGrowths == 0)
  }

  @Test("without autotuning the whole buffer is offered from the start and never grows")
  func fixedBuffer() throws {
    let s = try TCPScript {
      $0.tcp.receiveBufferSize = 1024 * 1024
      $0.tcp.delayedACKTimeout = nil
    }
    let (id, synAck) = try Self.accepted(s)
    #expect(synAck.header.options.windowScale == 5)
    #expect(s.stack.info(id)?.receiveBufferSize == 1024 * 1024)
    let (window, _) = try Self.slowStart(s, id, rounds: 6, shift: 5)
    #expect(window == 1024 * 1024)
    #expect(s.stack.counters.tcpReceiveBufferGrowths == 0)
  }
}
