import Testing
import UsnetStack
import UsnetWire

/// Silly window syndrome avoidance on both sides (RFC 9293 §3.8.6.2): the receiver moves its
/// window's right edge only by min(half the buffer, one segment) or more; the sender sends a
/// segment the window cuts short only when it is at least half the largest window offered,
/// or when the persist timer runs out.
@Suite("TCP script: silly window syndrome avoidance")
struct TCPSillyWindowTests {
  @Test("receiver: a small opening is not advertised, the edge stays until it can move by MSS")
  func receiverHoldsSmallWindows() throws {
    let s = try TCPScript {
      $0.tcp.receiveBufferSize = 4096
      $0.tcp.windowScaling = false
      $0.tcp.delayedACKTimeout = nil
    }
    let (id, _) = try s.acceptConnection()
    s.send(.ack, seq: 1, ack: 1, payload: [UInt8](repeating: 1, count: 1460))
    s.expect(.ack, seq: 1, ack: 1461, window: 2636)
    s.send(.ack, seq: 1461, ack: 1, payload: [UInt8](repeating: 1, count: 1460))
    s.expect(.ack, seq: 1, ack: 2921, window: 1176)
    s.send(.ack, seq: 2921, ack: 1, payload: [UInt8](repeating: 1, count: 1176))
    s.expect(.ack, seq: 1, ack: 4097, window: 0)
    // The application reads 1000 bytes: not worth a window update (1000 < min(2048, 1460)),
    // and the next ACK still offers window 0 (the data the stack could take is taken).
    var buffer = [UInt8](repeating: 0, count: 1000)
    #expect(try s.stack.receive(id, into: &buffer, at: s.now) == 1000)
    s.expectNothing()
    s.send(.ack, seq: 4097, ack: 1, payload: [9])
    s.expect(.ack, seq: 1, ack: 4098, window: 0)
    // 1999 free: the edge may move (1999 >= 1460), so the next ACK offers it all; the read
    // alone announces nothing (less than half the buffer).
    #expect(try s.stack.receive(id, into: &buffer, at: s.now) == 1000)
    s.expectNothing()
    s.send(.ack, seq: 4098, ack: 1, payload: [9])
    s.expect(.ack, seq: 1, ack: 4099, window: 1998)
    // Reading the rest opens the window by more than half the buffer: announced at once.
    #expect(try s.read(id)?.count == 2098)
    s.expect(.ack, seq: 1, ack: 4099, window: 4096)
  }

  @Test("sender: a window-limited runt waits; the persist timer lets it go")
  func senderHoldsRunts() throws {
    let s = try TCPScript()
    let (id, _) = try s.acceptConnection(window: 10000)
    try s.write(id, count: 20000)
    for index in 0..<6 {
      s.expect(.ack, seq: 1 + 1460 * index, ack: 1, length: 1460)
    }
    // 1240 bytes of window are left, less than a segment and less than half of 10000.
    s.expectNothing()
    // The peer takes it all but opens only 1000 bytes: nothing in flight, so the persist
    // timer (the RTO, 200 ms) is the override.
    s.send(.ack, seq: 1, ack: 8761, window: 1000)
    s.expectNothing()
    s.advance(by: .milliseconds(199))
    s.expectNothing()
    s.advance(by: .milliseconds(1))
    s.expect(.ack, seq: 8761, ack: 1, length: 1000)
    // A window of 6000: four full segments, the 160 bytes left over wait.
    s.send(.ack, seq: 1, ack: 9761, window: 6000)
    for index in 0..<4 {
      s.expect(.ack, seq: 9761 + 1460 * index, ack: 1, length: 1460)
    }
    s.expectNothing()
  }

  @Test("sender: a window of at least half the largest seen is used even below one MSS")
  func senderUsesHalfMaximumWindow() throws {
    let s = try TCPScript()
    let (id, _) = try s.acceptConnection(window: 1000)
    try s.write(id, count: 5000)
    s.expect(.ack, seq: 1, ack: 1, length: 1000)
    s.send(.ack, seq: 1, ack: 1001, window: 600)
    s.expect(.ack, seq: 1001, ack: 1, length: 600)
    s.send(.ack, seq: 1, ack: 1601, window: 400)
    s.expectNothing()
  }

  @Test("sender with nodelay: a short final piece still goes when it is all that is queued")
  func senderNoDelayTail() throws {
    let s = try TCPScript()
    let (id, _) = try s.acceptConnection(window: 10000)
    try s.stack.setNoDelay(id, true)
    try s.write(id, count: 1500)
    s.expect(.ack, seq: 1, ack: 1, length: 1460)
    s.expect(.pshAck, seq: 1461, ack: 1, length: 40)
  }
}
