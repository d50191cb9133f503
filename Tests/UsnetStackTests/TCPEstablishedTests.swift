import Testing
import UsnetStack
import UsnetWire

/// RFC 9293 §3.10.7.4 in ESTABLISHED: data both ways, acceptability, zero windows.
@Suite("TCP script: established")
struct TCPEstablishedTests {
  @Test("data in is ACKed after the delayed-ACK timeout, every second segment at once")
  func dataInDelayedACK() throws {
    let s = try TCPScript()
    let (id, _) = try s.acceptConnection()
    s.send(.ack, seq: 1, ack: 1, payload: [UInt8](repeating: 7, count: 100))
    s.expectNothing()
    s.advance(by: .milliseconds(40))
    s.expect(.ack, seq: 1, ack: 101, at: .milliseconds(40))
    // Two full-sized segments: the second is ACKed at once. The data crosses the wrap of
    // the peer's sequence space (its ISN is 2^32 - 256).
    s.send(.ack, seq: 101, ack: 1, payload: [UInt8](repeating: 8, count: 1460))
    s.expectNothing()
    s.send(.ack, seq: 1561, ack: 1, payload: [UInt8](repeating: 9, count: 1460))
    s.expect(.ack, seq: 1, ack: 3021)
    let data = try #require(try s.read(id))
    #expect(data.count == 3020)
    #expect(data.prefix(100).allSatisfy { $0 == 7 } && data.suffix(1460).allSatisfy { $0 == 9 })
  }

  @Test("data out is sent at once and the peer's ACK empties the send buffer")
  func dataOut() throws {
    let s = try TCPScript()
    let (id, _) = try s.acceptConnection()
    #expect(try s.write(id, count: 300) == 300)
    let segment = s.expect(.pshAck, seq: 1, ack: 1, length: 300)
    #expect(segment?.payload.allSatisfy { $0 == 0x61 } == true)
    #expect(s.stack.info(id)?.bytesUnacknowledged == 300)
    s.send(.ack, seq: 1, ack: 301)
    s.expectNothing()
    #expect(s.stack.info(id)?.bytesUnacknowledged == 0)
    #expect(s.stack.nextDeadline == nil)
  }

  @Test("out-of-window and old duplicate segments are answered with an ACK and dropped")
  func outOfWindow() throws {
    let s = try TCPScript { $0.tcp.receiveBufferSize = 4096 }
    let (id, _) = try s.acceptConnection()
    s.send(.ack, seq: 1 + 5000, ack: 1, payload: [1, 2, 3])
    s.expect(.ack, seq: 1, ack: 1)
    s.send(.ack, seq: 1, ack: 1, payload: [1, 2, 3])
    s.advance(by: .milliseconds(40))
    s.expect(.ack, seq: 1, ack: 4)
    s.send(.ack, seq: 1, ack: 1, payload: [1, 2, 3])
    s.expect(.ack, seq: 1, ack: 4)
    #expect(s.stack.counters[.tcpUnacceptable] == 2)
    #expect(try s.read(id) == [1, 2, 3])
  }

  @Test("zero window: only RCV.NXT is acceptable, probes get an immediate ACK with window 0")
  func zeroWindow() throws {
    let s = try TCPScript {
      $0.tcp.receiveBufferSize = 1024
      $0.tcp.windowScaling = false
    }
    let (id, _) = try s.acceptConnection()
    s.send(.ack, seq: 1, ack: 1, payload: [UInt8](repeating: 1, count: 1024))
    s.advance(by: .milliseconds(40))
    s.expect(.ack, seq: 1, ack: 1025, window: 0)
    // A one-byte probe at RCV.NXT: not accepted, ACKed at once.
    s.send(.ack, seq: 1025, ack: 1, payload: [2])
    s.expect(.ack, seq: 1, ack: 1025, window: 0)
    // A probe below RCV.NXT (the zero-length kind) is unacceptable: ACKed as well.
    s.send(.ack, seq: 1024, ack: 1)
    s.expect(.ack, seq: 1, ack: 1025, window: 0)
    // A pure ACK at RCV.NXT is acceptable in a zero window: its ACK field is processed.
    try s.write(id, count: 10)
    s.expect(.pshAck, seq: 1, ack: 1025, window: 0, length: 10)
    s.send(.ack, seq: 1025, ack: 11)
    s.expectNothing()
    #expect(s.stack.info(id)?.bytesUnacknowledged == 0)
    // The application reads: the window opens and is announced.
    #expect(try s.read(id)?.count == 1024)
    s.expect(.ack, seq: 11, ack: 1025, window: 1024)
    s.send(.ack, seq: 1025, ack: 11, payload: [3])
    s.advance(by: .milliseconds(40))
    s.expect(.ack, seq: 11, ack: 1026, window: 1023)
    #expect(try s.read(id) == [3])
  }

  @Test("after an active open, a read that reopens a zero window is announced at once")
  func zeroWindowAfterActiveOpen() throws {
    // The peer's ISN lies more than 2^31 "behind" the edge our SYN's window seemed to set
    // (RCV.NXT 0 + 4096), so an edge kept from the SYN would never move.
    let s = try TCPScript(peerISN: 0xC000_0000) {
      $0.tcp.receiveBufferSize = 4096
      $0.tcp.windowScaling = false
    }
    let id = try s.openConnection()
    for offset in stride(from: 0, to: 4096, by: 1024) {
      s.send(.ack, seq: 1 + offset, ack: 1, payload: [UInt8](repeating: 1, count: 1024))
    }
    s.expect(.ack, seq: 1, ack: 2049, window: 2048)
    s.expect(.ack, seq: 1, ack: 4097, window: 0)
    #expect(try s.read(id)?.count == 4096)
    s.expect(.ack, seq: 1, ack: 4097, window: 4096)
    s.expectNothing()
  }

  @Test("a zero window from the peer is probed with backoff until it opens")
  func persistProbes() throws {
    let s = try TCPScript()
    let (id, _) = try s.acceptConnection()
    try s.write(id, count: 100)
    s.expect(.pshAck, seq: 1, ack: 1, length: 100)
    s.send(.ack, seq: 1, ack: 101, window: 0)
    try s.write(id, count: 100)
    s.expectNothing()
    s.at(.milliseconds(3500))
    // RTO 200 ms (the floor, after the handshake's sample), doubling per probe.
    for time in [200, 600, 1400, 3000] as [Int64] {
      s.expect(.ack, seq: 100, ack: 1, at: .milliseconds(time))
    }
    s.expectNothing()
    s.send(.ack, seq: 1, ack: 101, window: 1000)
    s.expect(.pshAck, seq: 101, ack: 1, length: 100)
  }

  @Test("out-of-order data and FIN get immediate duplicate ACKs; the fill ACKs everything")
  func outOfOrder() throws {
    let s = try TCPScript()
    let (id, _) = try s.acceptConnection()
    s.send(.ack, seq: 101, ack: 1, payload: [UInt8](repeating: 2, count: 100))
    s.expect(.ack, seq: 1, ack: 1)
    s.send(.finAck, seq: 201, ack: 1)
    s.expect(.ack, seq: 1, ack: 1)
    #expect(try s.read(id) == nil)
    s.send(.ack, seq: 1, ack: 1, payload: [UInt8](repeating: 1, count: 100))
    s.expect(.ack, seq: 1, ack: 202)
    #expect(s.state(id) == .closeWait)
    let data = try #require(try s.read(id))
    #expect(data == [UInt8](repeating: 1, count: 100) + [UInt8](repeating: 2, count: 100))
    #expect(try s.read(id) == [])
  }

  @Test("a pending delayed ACK rides on the next data segment")
  func piggybackedACK() throws {
    let s = try TCPScript()
    let (id, _) = try s.acceptConnection()
    s.send(.ack, seq: 1, ack: 1, payload: [1, 2, 3])
    s.advance(by: .milliseconds(10))
    try s.write(id, count: 50)
    s.expect(.pshAck, seq: 1, ack: 4, length: 50, at: .milliseconds(10))
    s.advance(by: .milliseconds(100))
    s.expectNothing()
  }

  @Test("a segment without ACK in ESTABLISHED is dropped without a reply")
  func noACKBit() throws {
    let s = try TCPScript()
    let (id, _) = try s.acceptConnection()
    s.send([], seq: 1, payload: [1, 2, 3])
    s.advance(by: .milliseconds(100))
    s.expectNothing()
    #expect(s.stack.info(id)?.bytesReadable == 0)
    #expect(s.stack.counters[.tcpInvalidForState] == 1)
  }

  @Test("send takes what fits in the send buffer")
  func sendBufferFull() throws {
    let s = try TCPScript { $0.tcp.sendBufferSize = 1024 }
    let (id, _) = try s.acceptConnection()
    #expect(try s.write(id, count: 2000) == 1024)
    #expect(try s.write(id, count: 10) == 0)
    #expect(s.stack.info(id)?.isWritable == false)
    s.expect(.pshAck, seq: 1, ack: 1, length: 1024)
    s.send(.ack, seq: 1, ack: 1025)
    #expect(try s.write(id, count: 10) == 10)
  }

  @Test("after shutting down reading, data is ACKed and discarded")
  func readShutdown() throws {
    let s = try TCPScript()
    let (id, _) = try s.acceptConnection()
    try s.stack.shutdown(id, read: true, write: false, at: s.now)
    s.send(.ack, seq: 1, ack: 1, payload: [1, 2, 3])
    s.expect(.ack, seq: 1, ack: 4)
    #expect(try s.read(id) == [])
    #expect(s.state(id) == .established)
  }

  @Test("abort sends RST-ACK at SND.NXT and RCV.NXT and releases the connection")
  func abortEstablished() throws {
    let s = try TCPScript()
    let (id, _) = try s.acceptConnection()
    try s.write(id, count: 10)
    s.expect(.pshAck, seq: 1, ack: 1, length: 10)
    s.send(.ack, seq: 1, ack: 1, payload: [1])
    s.stack.abort(id, at: s.now)
    s.expect(.rstAck, seq: 11, ack: 2)
    s.expectNothing()
    #expect(s.stack.info(id) == nil)
    #expect(s.stack.nextDeadline == nil)
  }

  @Test("a segment larger than the window: the part that fits is taken and ACKed at once")
  func segmentBeyondWindow() throws {
    let s = try TCPScript {
      $0.tcp.receiveBufferSize = 1024
      $0.tcp.windowScaling = false
    }
    let (id, _) = try s.acceptConnection()
    s.send(.ack, seq: 1, ack: 1, payload: [UInt8](repeating: 4, count: 1400))
    s.expect(.ack, seq: 1, ack: 1025, window: 0)
    #expect(try s.read(id)?.count == 1024)
  }

  @Test("an overlapping segment contributes only its new bytes; peek does not consume")
  func overlapAndPeek() throws {
    let s = try TCPScript { $0.tcp.delayedACKTimeout = nil }
    let (id, _) = try s.acceptConnection()
    s.send(.ack, seq: 1, ack: 1, payload: Array(0..<100))
    s.expect(.ack, seq: 1, ack: 101)
    s.send(.ack, seq: 51, ack: 1, payload: Array(50..<150))
    s.expect(.ack, seq: 1, ack: 151)
    var buffer = [UInt8](repeating: 0, count: 200)
    #expect(try s.stack.peek(id, into: &buffer, at: s.now) == 150)
    #expect(Array(buffer.prefix(150)) == Array(0..<150))
    #expect(try s.read(id) == Array(0..<150))
    #expect(try s.read(id) == nil)
  }

  @Test("a window closed with data in flight: each RTO resends the first segment as a probe")
  func zeroWindowWithDataInFlight() throws {
    let s = try TCPScript()
    let (id, _) = try s.acceptConnection(options: TCPOptions(maximumSegmentSize: 1000))
    try s.write(id, count: 2000)
    s.expect(.ack, seq: 1, ack: 1, length: 1000)
    s.expect(.pshAck, seq: 1001, ack: 1, length: 1000)
    s.send(.ack, seq: 1, ack: 1001, window: 0)
    s.at(.milliseconds(599))
    s.expect(.pshAck, seq: 1001, ack: 1, length: 1000, at: .milliseconds(200))
    s.send(.ack, seq: 1, ack: 1001, window: 0)
    s.expectNothing()
    s.at(.milliseconds(600))
    s.expect(.pshAck, seq: 1001, ack: 1, length: 1000, at: .milliseconds(600))
    // The peer took this one and reports an open window.
    s.send(.ack, seq: 1, ack: 2001, window: 4000)
    s.expectNothing()
    #expect(s.stack.info(id)?.bytesUnacknowledged == 0)
    try s.write(id, count: 10)
    s.expect(.pshAck, seq: 2001, ack: 1, length: 10)
  }

  @Test("a peer that answers every probe keeps a closed window past the retry limit")
  func answeredProbesDoNotTimeOut() throws {
    let s = try TCPScript { $0.tcp.dataRetries = 3 }
    let (id, _) = try s.acceptConnection(options: TCPOptions(maximumSegmentSize: 1000))
    try s.write(id, count: 1000)
    s.expect(.pshAck, seq: 1, ack: 1, length: 1000)
    s.send(.ack, seq: 1, ack: 1, window: 0)
    // Six probe rounds, twice the retry limit: each probe is answered with the closed window.
    for _ in 0..<6 {
      let next = try #require(s.stack.nextDeadline)
      s.at(next)
      s.expect(.pshAck, seq: 1, ack: 1, length: 1000)
      s.send(.ack, seq: 1, ack: 1, window: 0)
    }
    #expect(s.stack.info(id)?.state == .established)
    #expect(s.stack.info(id)?.error == nil)
  }
}
