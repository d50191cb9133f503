import Testing
import UsnetStack
import UsnetWire

/// Out-of-order reassembly: bounded by the receive window's bytes, not by a number of holes.
@Suite("TCP script: reassembly")
struct TCPReassemblyTests {
  @Test("100 holes at once are held and delivered in order when filled, in reverse")
  func hundredHoles() throws {
    let s = try TCPScript { $0.tcp.delayedACKTimeout = nil }
    let (id, _) = try s.acceptConnection()
    // Segments 1, 3, 5, ... (10 bytes each) arrive first: 100 disjoint ranges past RCV.NXT.
    for index in stride(from: 1, to: 200, by: 2) {
      let byte = UInt8(truncatingIfNeeded: index)
      s.send(.ack, seq: 1 + index * 10, ack: 1, payload: [UInt8](repeating: byte, count: 10))
      s.expect(.ack, seq: 1, ack: 1)
    }
    #expect(try s.read(id) == nil)
    // The holes are filled from the last to the first; only the last fill moves RCV.NXT.
    for index in stride(from: 198, through: 2, by: -2) {
      let byte = UInt8(truncatingIfNeeded: index)
      s.send(.ack, seq: 1 + index * 10, ack: 1, payload: [UInt8](repeating: byte, count: 10))
      s.expect(.ack, seq: 1, ack: 1)
    }
    s.send(.ack, seq: 1, ack: 1, payload: [UInt8](repeating: 0, count: 10))
    s.expect(.ack, seq: 1, ack: 2001)
    var expected: [UInt8] = []
    for index in 0..<200 {
      expected += [UInt8](repeating: UInt8(truncatingIfNeeded: index), count: 10)
    }
    #expect(try s.read(id) == expected)
  }

  @Test("data beyond the receive window is not stored; the window bounds the reassembly memory")
  func beyondWindow() throws {
    let s = try TCPScript {
      $0.tcp.receiveBufferSize = 4096
      $0.tcp.delayedACKTimeout = nil
    }
    let (id, _) = try s.acceptConnection()
    // A segment that starts past the window is unacceptable: ACKed, not stored.
    s.send(.ack, seq: 1 + 5000, ack: 1, payload: [UInt8](repeating: 9, count: 100))
    s.expect(.ack, seq: 1, ack: 1)
    // One that straddles the right edge keeps only what fits.
    s.send(.ack, seq: 1 + 4000, ack: 1, payload: [UInt8](repeating: 7, count: 200))
    s.expect(.ack, seq: 1, ack: 1)
    s.send(.ack, seq: 1, ack: 1, payload: [UInt8](repeating: 1, count: 4000))
    s.expect(.ack, seq: 1, ack: 4097, window: 0)
    let data = try #require(try s.read(id))
    #expect(data.count == 4096)
    #expect(data.suffix(96) == [UInt8](repeating: 7, count: 96)[...])
  }
}

@Suite("TCP ephemeral ports")
struct TCPEphemeralPortTests {
  @Test("connects without a port get distinct ports from the configured range")
  func distinctPorts() throws {
    let stack = try makeStack { $0.tcp.ephemeralPorts = 50000...50063 }
    var ports = Set<UInt16>()
    for _ in 0..<64 {
      let id = try stack.connect(to: TestHosts.ipB, port: 80, at: .zero)
      let port = try #require(stack.info(id)?.tuple.localPort)
      #expect((50000...50063).contains(port))
      ports.insert(port)
    }
    #expect(ports.count == 64)
    // The range is exhausted for this destination...
    #expect(throws: StackError.addressNotAvailable) {
      try stack.connect(to: TestHosts.ipB, port: 80, at: .zero)
    }
    // ...but a different remote port can reuse the local ports (the 4-tuple differs).
    _ = try stack.connect(to: TestHosts.ipB, port: 81, at: .zero)
  }

  @Test("a port with a listener is never chosen")
  func skipsListeners() throws {
    let stack = try makeStack { $0.tcp.ephemeralPorts = 50000...50003 }
    for port: UInt16 in 50000...50002 {
      _ = try stack.listen(port: port, backlog: 1, at: .zero)
    }
    let id = try stack.connect(to: TestHosts.ipB, port: 80, at: .zero)
    #expect(stack.info(id)?.tuple.localPort == 50003)
  }

  @Test("two stacks with different secrets choose different port sequences")
  func keyedStart() throws {
    let first = try makeStack(seed: 1)
    let second = try makeStack(seed: 2)
    var firstPorts: [UInt16] = []
    var secondPorts: [UInt16] = []
    for _ in 0..<4 {
      let a = try first.connect(to: TestHosts.ipB, port: 80, at: .zero)
      let b = try second.connect(to: TestHosts.ipB, port: 80, at: .zero)
      firstPorts.append(try #require(first.info(a)?.tuple.localPort))
      secondPorts.append(try #require(second.info(b)?.tuple.localPort))
    }
    #expect(firstPorts != secondPorts)
  }
}
