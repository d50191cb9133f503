import Testing
import UsnetSockets
import UsnetWire

#if canImport(Glibc)
  import Glibc
#endif

/// The bodies of Rust std's `net/tcp/tests.rs`, generic over the backend. Each takes the
/// address family std's `each_ip` would pass (v4-only tests ignore it). Ported in behaviour,
/// not text: std's `t!` becomes a thrown error, `assert!` a ``check(_:_:sourceLocation:)``,
/// threads are OS threads and channels ``Channel``.
enum TCPStd {
  static func bindError<B: ConformanceBackend>(_ backend: B) throws {
    try checkError([.addrNotAvailable], "bind to a foreign address") {
      try backend.bindListener(backend.foreignAddress)
    }
  }

  static func connectError<B: ConformanceBackend>(_ backend: B) throws {
    try checkError(
      [.connectionRefused, .invalidInput, .addrInUse, .addrNotAvailable, .networkUnreachable],
      "connect to 0.0.0.0:1"
    ) { try backend.connect(to: .v4(.any, port: 1)) }
  }

  static func connectTimeoutError<B: ConformanceBackend>(_ backend: B) throws {
    let address = backend.nextAddress(.v4)
    let longest = Duration(secondsComponent: .max, attosecondsComponent: 999_999_999_999_999_999)
    if case .failure(let error) = try outcome({
      try backend.connect(to: address, timeout: longest)
    }) {
      try check(error.kind != .timedOut, "connect to an unbound port timed out: \(error)")
    }
    let listener = try backend.bindListener(address)
    _ = try backend.connect(to: address, timeout: longest)
    listener.close()
  }

  static func listenLocalhost<B: ConformanceBackend>(_ backend: B) throws {
    let address = backend.nextAddress(.v4)
    let listener = try backend.bindListener(address)
    let client = spawn {
      let stream = try connectEach(backend, try backend.resolveLocalhost(port: address.port))
      _ = try stream.write([144])
    }
    let stream = try listener.accept().stream
    var buffer: [UInt8] = [0]
    _ = try stream.read(into: &buffer)
    try checkEqual(buffer[0], 144, "byte read")
    try client.join()
  }

  static func connectLoopback<B: ConformanceBackend>(_ backend: B, _ family: IPFamily) throws {
    let address = backend.nextAddress(family)
    let acceptor = try backend.bindListener(address)
    let client = spawn {
      // std connects to the textual address ("127.0.0.1" / "::1" with the port).
      guard let parsed = SocketAddress(address.description) else {
        throw ConformanceFailure("\(address) does not parse back", #_sourceLocation)
      }
      let stream = try backend.connect(to: parsed)
      _ = try stream.write([66])
    }
    let stream = try acceptor.accept().stream
    var buffer: [UInt8] = [0]
    _ = try stream.read(into: &buffer)
    try checkEqual(buffer[0], 66, "byte read")
    try client.join()
  }

  static func smokeTest<B: ConformanceBackend>(_ backend: B, _ family: IPFamily) throws {
    let address = backend.nextAddress(family)
    let acceptor = try backend.bindListener(address)
    let localAddresses = Channel<SocketAddress>()
    let client = spawn {
      let stream = try backend.connect(to: address)
      _ = try stream.write([99])
      localAddresses.send(try stream.localAddress)
    }
    let (stream, peer) = try acceptor.accept()
    var buffer: [UInt8] = [0]
    _ = try stream.read(into: &buffer)
    try checkEqual(buffer[0], 99, "byte read")
    try checkEqual(peer, try localAddresses.receive(), "accepted peer vs client local address")
    try client.join()
  }

  static func readEof<B: ConformanceBackend>(_ backend: B, _ family: IPFamily) throws {
    let address = backend.nextAddress(family)
    let acceptor = try backend.bindListener(address)
    let client = spawn {
      let stream = try backend.connect(to: address)
      stream.close()
    }
    let stream = try acceptor.accept().stream
    var buffer: [UInt8] = [0]
    try checkEqual(try stream.read(into: &buffer), 0, "first read after the peer closed")
    try checkEqual(try stream.read(into: &buffer), 0, "second read after the peer closed")
    try client.join()
  }

  static func writeClose<B: ConformanceBackend>(_ backend: B, _ family: IPFamily) throws {
    let address = backend.nextAddress(family)
    let acceptor = try backend.bindListener(address)
    let closed = Channel<Void>()
    let client = spawn {
      try backend.connect(to: address).close()
      closed.send(())
    }
    let stream = try acceptor.accept().stream
    try closed.receive()
    if case .failure(let error) = try outcome({ try stream.write([0]) }) {
      try check(
        [.connectionReset, .brokenPipe, .connectionAborted].contains(error.kind),
        "write to a closed peer: unknown error \(error)")
    }
    try client.join()
  }

  static func multipleConnectSerial<B: ConformanceBackend>(
    _ backend: B, _ family: IPFamily
  ) throws {
    let max = 10
    let address = backend.nextAddress(family)
    let acceptor = try backend.bindListener(address)
    let client = spawn {
      for _ in 0..<max {
        let stream = try backend.connect(to: address)
        _ = try stream.write([99])
      }
    }
    for result in acceptor.incoming.prefix(max) {
      let stream = try result.get()
      var buffer: [UInt8] = [0]
      _ = try stream.read(into: &buffer)
      try checkEqual(buffer[0], 99, "byte read")
    }
    try client.join()
  }

  /// Shared by the two interleaved tests: an acceptor thread hands each connection to its own
  /// reader thread, which expects `expected(index)`; clients connect recursively.
  private static func interleaved<B: ConformanceBackend>(
    _ backend: B, _ family: IPFamily, expected: @escaping @Sendable (Int) -> UInt8
  ) throws {
    let max = 10
    let address = backend.nextAddress(family)
    let acceptor = try backend.bindListener(address)
    let acceptorThread = spawn { () throws -> [JoinHandle<Void>] in
      var readers: [JoinHandle<Void>] = []
      for (index, result) in acceptor.incoming.enumerated().prefix(max) {
        readers.append(
          spawn {
            let stream = try result.get()
            var buffer: [UInt8] = [0]
            _ = try stream.read(into: &buffer)
            try checkEqual(buffer[0], expected(index), "byte on accepted connection \(index)")
          })
      }
      return readers
    }
    @Sendable func connect(_ index: Int) throws {
      if index == max { return }
      try spawn {
        let stream = try backend.connect(to: address)
        // Connect the next one before writing on this one.
        try connect(index + 1)
        _ = try stream.write([expected(index)])
      }.join()
    }
    try connect(0)
    for reader in try acceptorThread.join() { try reader.join() }
  }

  static func multipleConnectInterleavedGreedySchedule<B: ConformanceBackend>(
    _ backend: B, _ family: IPFamily
  ) throws {
    try interleaved(backend, family) { UInt8($0) }
  }

  static func multipleConnectInterleavedLazySchedule<B: ConformanceBackend>(
    _ backend: B, _ family: IPFamily
  ) throws {
    try interleaved(backend, family) { _ in 99 }
  }

  static func socketAndPeerName<B: ConformanceBackend>(_ backend: B, _ family: IPFamily) throws {
    let address = backend.nextAddress(family)
    let listener = try backend.bindListener(address)
    try checkEqual(try listener.localAddress, address, "listener local address")
    let server = spawn { _ = try listener.accept() }
    let stream = try backend.connect(to: address)
    try checkEqual(try stream.peerAddress, address, "client peer address")
    try server.join()
  }

  static func partialRead<B: ConformanceBackend>(_ backend: B, _ family: IPFamily) throws {
    let address = backend.nextAddress(family)
    let server = try backend.bindListener(address)
    let done = Channel<Void>()
    let serverThread = spawn {
      let connection = try server.accept().stream
      _ = try connection.write([10])
      var buffer: [UInt8] = [0]
      _ = try connection.read(into: &buffer)
      done.send(())
    }
    let client = try backend.connect(to: address)
    var buffer = [UInt8](repeating: 0, count: 10)
    try checkEqual(try client.read(into: &buffer), 1, "short read")
    _ = try client.write([1])
    try done.receive()
    try serverThread.join()
  }

  /// std reads into an uninitialised `BorrowedBuf` and checks the unfilled tail stays
  /// uninitialised. Swift arrays are always initialised, so the nearest check is that a read
  /// into a sub-range fills only what arrived and writes nothing past it.
  static func readBuf<B: ConformanceBackend>(_ backend: B, _ family: IPFamily) throws {
    let address = backend.nextAddress(family)
    let server = try backend.bindListener(address)
    let client = spawn {
      let stream = try backend.connect(to: address)
      try stream.writeAll([1, 2, 3, 4])
    }
    let stream = try server.accept().stream
    var buffer = [UInt8](repeating: 0xEE, count: 129)
    let count = try stream.read(into: &buffer, range: 1..<129)
    try checkEqual(Array(buffer[1..<(1 + count)]), [1, 2, 3, 4], "bytes read")
    try check(
      buffer[0] == 0xEE && buffer[(1 + count)...].allSatisfy { $0 == 0xEE },
      "read wrote outside the bytes it returned")
    try client.join()
  }

  static func readVectored<B: ConformanceBackend>(_ backend: B, _ family: IPFamily) throws {
    let address = backend.nextAddress(family)
    let server = try backend.bindListener(address)
    let s1 = try backend.connect(to: address)
    let s2 = try server.accept().stream
    try checkEqual(try s1.write([10, 11, 12]), 3, "bytes written")
    var buffers: [[UInt8]] = [[], [0], [0, 0, 0]]
    let count = try s2.read(into: &buffers)
    try check(count > 0, "vectored read returned 0")
    try checkEqual(buffers[1], [10], "second buffer")
    try check(count == 1 || buffers[2] == [11, 12, 0], "third buffer is \(buffers[2])")
  }

  static func writeVectored<B: ConformanceBackend>(_ backend: B, _ family: IPFamily) throws {
    let address = backend.nextAddress(family)
    let server = try backend.bindListener(address)
    let s1 = try backend.connect(to: address)
    let s2 = try server.accept().stream
    _ = try s1.write([[], [10], [11, 12]])
    var buffer: [UInt8] = [0, 0, 0, 0]
    let count = try s2.read(into: &buffer)
    if count == 1 {
      try checkEqual(buffer, [10, 0, 0, 0], "bytes read")
    } else {
      try checkEqual(count, 3, "bytes read")
      try checkEqual(buffer, [10, 11, 12, 0], "bytes read")
    }
  }

  static func doubleBind<B: ConformanceBackend>(_ backend: B, _ family: IPFamily) throws {
    let address = backend.nextAddress(family)
    let first = try backend.bindListener(address)
    try checkError([.addrInUse, .connectionRefused, .other], "second bind of \(address)") {
      try backend.bindListener(address)
    }
    first.close()
  }

  static func tcpCloneSmoke<B: ConformanceBackend>(_ backend: B, _ family: IPFamily) throws {
    let address = backend.nextAddress(family)
    let acceptor = try backend.bindListener(address)
    let client = spawn {
      let stream = try backend.connect(to: address)
      var buffer: [UInt8] = [0, 0]
      try checkEqual(try stream.read(into: &buffer), 1, "client read")
      try checkEqual(buffer[0], 1, "client byte")
      _ = try stream.write([2])
    }
    let s1 = try acceptor.accept().stream
    let s2 = try s1.tryClone()
    let go = Channel<Void>()
    let wrote = Channel<Void>()
    let writer = spawn {
      try go.receive()
      _ = try s2.write([1])
      wrote.send(())
    }
    go.send(())
    var buffer: [UInt8] = [0, 0]
    try checkEqual(try s1.read(into: &buffer), 1, "original read")
    try wrote.receive()
    try writer.join()
    try client.join()
  }

  static func tcpCloneTwoRead<B: ConformanceBackend>(_ backend: B, _ family: IPFamily) throws {
    let address = backend.nextAddress(family)
    let acceptor = try backend.bindListener(address)
    let readDone = Channel<Void>()
    let client = spawn {
      let stream = try backend.connect(to: address)
      _ = try stream.write([1])
      try readDone.receive()
      _ = try stream.write([2])
      try readDone.receive()
    }
    let s1 = try acceptor.accept().stream
    let s2 = try s1.tryClone()
    let done = Channel<Void>()
    let reader = spawn {
      var buffer: [UInt8] = [0, 0]
      _ = try s2.read(into: &buffer)
      readDone.send(())
      done.send(())
    }
    var buffer: [UInt8] = [0, 0]
    _ = try s1.read(into: &buffer)
    readDone.send(())
    try done.receive()
    try reader.join()
    try client.join()
  }

  static func tcpCloneTwoWrite<B: ConformanceBackend>(_ backend: B, _ family: IPFamily) throws {
    let address = backend.nextAddress(family)
    let acceptor = try backend.bindListener(address)
    let client = spawn {
      let stream = try backend.connect(to: address)
      var buffer: [UInt8] = [0, 1]
      _ = try stream.read(into: &buffer)
      _ = try stream.read(into: &buffer)
    }
    let s1 = try acceptor.accept().stream
    let s2 = try s1.tryClone()
    let done = Channel<Void>()
    let writer = spawn {
      _ = try s2.write([1])
      done.send(())
    }
    _ = try s1.write([2])
    try done.receive()
    try writer.join()
    // The client's second read may find nothing more (both bytes came in its first); std
    // leaves it blocked. Closing our handles ends it with 0 so it can be joined.
    s1.close()
    s2.close()
    try client.join()
  }

  static func shutdownSmoke<B: ConformanceBackend>(_ backend: B, _ family: IPFamily) throws {
    let address = backend.nextAddress(family)
    let acceptor = try backend.bindListener(address)
    let server = spawn {
      let connection = try acceptor.accept().stream
      var buffer: [UInt8] = [0]
      try checkEqual(try connection.read(into: &buffer), 0, "server read after the FIN")
      _ = try connection.write([1])
    }
    let stream = try backend.connect(to: address)
    try stream.shutdown(.write)
    try checkFails("write after shutdown(.write)") { try stream.write([1]) }
    var buffer: [UInt8] = [0, 0]
    try checkEqual(try stream.read(into: &buffer), 1, "read after own write shutdown")
    try checkEqual(buffer[0], 1, "byte read")
    try server.join()
  }

  static func closeReadwriteSmoke<B: ConformanceBackend>(
    _ backend: B, _ family: IPFamily
  ) throws {
    let address = backend.nextAddress(family)
    let acceptor = try backend.bindListener(address)
    let release = Channel<Void>()
    let server = spawn {
      let accepted = try acceptor.accept()
      try release.receive()
      accepted.stream.close()
    }
    var buffer: [UInt8] = [0]
    let s = try backend.connect(to: address)
    let s2 = try s.tryClone()

    // Shutting down stops reads and writes ...
    try s.shutdown(.write)
    try checkFails("write after shutdown(.write)") { try s.write([0]) }
    try s.shutdown(.read)
    try checkEqual(try s.read(into: &buffer), 0, "read after shutdown(.read)")

    // ... on handles cloned before ...
    try checkFails("write on an earlier clone") { try s2.write([0]) }
    try checkEqual(try s2.read(into: &buffer), 0, "read on an earlier clone")

    // ... and after.
    let s3 = try s.tryClone()
    try checkFails("write on a later clone") { try s3.write([0]) }
    try checkEqual(try s3.read(into: &buffer), 0, "read on a later clone")

    // Repeated shutdowns must not crash; their results do not matter.
    _ = try outcome { try s2.shutdown(.read) }
    _ = try outcome { try s2.shutdown(.write) }
    _ = try outcome { try s3.shutdown(.read) }
    _ = try outcome { try s3.shutdown(.write) }
    release.send(())
    try server.join()
  }

  static func closeReadWakesUp<B: ConformanceBackend>(_ backend: B, _ family: IPFamily) throws {
    let address = backend.nextAddress(family)
    let listener = try backend.bindListener(address)
    let server = spawn { try listener.accept().stream }
    let stream = try backend.connect(to: address)
    let stream2 = try stream.tryClone()
    let closer = spawn {
      // Make it likely that the read below is blocked before the shutdown.
      sleepThread(.milliseconds(1000))
      try stream2.shutdown(.read)
    }
    var buffer: [UInt8] = [0]
    try checkEqual(try stream.read(into: &buffer), 0, "blocked read woken by shutdown(.read)")
    try closer.join()
    _ = try server.join()
  }

  static func cloneWhileReading<B: ConformanceBackend>(_ backend: B, _ family: IPFamily) throws {
    let address = backend.nextAddress(family)
    let accept = try backend.bindListener(address)
    let go = Channel<Void>()
    let done = Channel<Void>()
    let writer = spawn {
      let stream = try backend.connect(to: address)
      try go.receive()
      _ = try stream.write([0])
      done.send(())
    }
    let tcp = try accept.accept().stream
    let tcp2 = try tcp.tryClone()
    let reader = spawn {
      var buffer: [UInt8] = [0]
      _ = try tcp2.read(into: &buffer)
      done.send(())
    }
    // Give the reading clone time to block.
    for _ in 0..<50 { sched_yield() }
    // Clone again while it reads, then let it finish.
    _ = try tcp.tryClone()
    go.send(())
    try done.receive()
    try done.receive()
    try reader.join()
    try writer.join()
  }

  static func cloneAcceptSmoke<B: ConformanceBackend>(_ backend: B, _ family: IPFamily) throws {
    let address = backend.nextAddress(family)
    let a = try backend.bindListener(address)
    let a2 = try a.tryClone()
    let clients = (0..<2).map { _ in
      spawn { _ = try? backend.connect(to: address) }
    }
    _ = try a.accept()
    _ = try a2.accept()
    for client in clients { try client.join() }
  }

  static func cloneAcceptConcurrent<B: ConformanceBackend>(
    _ backend: B, _ family: IPFamily
  ) throws {
    let address = backend.nextAddress(family)
    let a = try backend.bindListener(address)
    let a2 = try a.tryClone()
    let accepted = Channel<SocketAddress>()
    let acceptors = [a, a2].map { listener in
      spawn { accepted.send(try listener.accept().peer) }
    }
    let clients = (0..<2).map { _ in
      spawn { _ = try? backend.connect(to: address) }
    }
    try accepted.receive()
    try accepted.receive()
    for thread in acceptors + clients { try thread.join() }
  }

  /// std compares `Debug` output with `TcpListener { addr: A, fd: N }` and
  /// `TcpStream { addr: L, peer: P, fd: N }`. Here the description must have that shape with
  /// the backend's type name; the last field is the backend's handle (an fd for Host, a
  /// stack socket id for userspace), so only its presence is checked.
  static func debug<B: ConformanceBackend>(_ backend: B) throws {
    let address = backend.nextAddress(.v4)
    let listener = try backend.bindListener(address)
    let listenerText = String(describing: listener)
    let listenerPrefix = "\(B.Listener.self) { addr: \(address), "
    try check(
      listenerText.hasPrefix(listenerPrefix) && listenerText.hasSuffix(" }"),
      "listener description \"\(listenerText)\" is not \"\(listenerPrefix)<handle> }\"")
    let stream = try connectEach(backend, try backend.resolveLocalhost(port: address.port))
    let streamText = String(describing: stream)
    let streamPrefix =
      "\(B.Stream.self) { addr: \(try stream.localAddress), peer: \(try stream.peerAddress), "
    try check(
      streamText.hasPrefix(streamPrefix) && streamText.hasSuffix(" }"),
      "stream description \"\(streamText)\" is not \"\(streamPrefix)<handle> }\"")
  }

  static func timeouts<B: ConformanceBackend>(_ backend: B) throws {
    let address = backend.nextAddress(.v4)
    let listener = try backend.bindListener(address)
    let stream = try connectEach(backend, try backend.resolveLocalhost(port: address.port))
    let duration = Duration.seconds(15410)
    try checkEqual(try stream.readTimeout, nil, "default read timeout")
    try stream.setReadTimeout(duration)
    try checkEqual(try stream.readTimeout, duration, "read timeout")
    try checkEqual(try stream.writeTimeout, nil, "default write timeout")
    try stream.setWriteTimeout(duration)
    try checkEqual(try stream.writeTimeout, duration, "write timeout")
    try stream.setReadTimeout(nil)
    try checkEqual(try stream.readTimeout, nil, "cleared read timeout")
    try stream.setWriteTimeout(nil)
    try checkEqual(try stream.writeTimeout, nil, "cleared write timeout")
    listener.close()
  }

  /// The kinds std accepts for an expired read timeout.
  static let timeoutKinds: Set<NetError.Kind> = [.wouldBlock, .timedOut]

  static func testReadTimeout<B: ConformanceBackend>(_ backend: B) throws {
    let address = backend.nextAddress(.v4)
    let listener = try backend.bindListener(address)
    let stream = try connectEach(backend, try backend.resolveLocalhost(port: address.port))
    try stream.setReadTimeout(.milliseconds(1000))
    var buffer = [UInt8](repeating: 0, count: 10)
    let start = ContinuousClock.now
    try checkError(timeoutKinds, "readExact on an idle stream") {
      try stream.readExact(into: &buffer)
    }
    let elapsed = ContinuousClock.now - start
    try check(elapsed > .milliseconds(400), "timed out after only \(elapsed)")
    listener.close()
  }

  static func testReadWithTimeout<B: ConformanceBackend>(_ backend: B) throws {
    let address = backend.nextAddress(.v4)
    let listener = try backend.bindListener(address)
    let stream = try connectEach(backend, try backend.resolveLocalhost(port: address.port))
    try stream.setReadTimeout(.milliseconds(1000))
    let otherEnd = try listener.accept().stream
    let hello = Array("hello world".utf8)
    try otherEnd.writeAll(hello)
    var buffer = [UInt8](repeating: 0, count: 11)
    _ = try stream.read(into: &buffer)
    try checkEqual(buffer, hello, "bytes read")
    let start = ContinuousClock.now
    try checkError(timeoutKinds, "readExact with nothing more to read") {
      try stream.readExact(into: &buffer)
    }
    let elapsed = ContinuousClock.now - start
    try check(elapsed > .milliseconds(400), "timed out after only \(elapsed)")
    listener.close()
  }

  static func testTimeoutZeroDuration<B: ConformanceBackend>(_ backend: B) throws {
    let address = backend.nextAddress(.v4)
    let listener = try backend.bindListener(address)
    let stream = try backend.connect(to: address)
    try checkError([.invalidInput], "zero write timeout") { try stream.setWriteTimeout(.zero) }
    try checkError([.invalidInput], "zero read timeout") { try stream.setReadTimeout(.zero) }
    listener.close()
  }

  static func linger<B: ConformanceBackend>(_ backend: B) throws {
    let address = backend.nextAddress(.v4)
    let listener = try backend.bindListener(address)
    let stream = try connectEach(backend, try backend.resolveLocalhost(port: address.port))
    try checkEqual(try stream.linger, nil, "default linger")
    try stream.setLinger(.seconds(1))
    try checkEqual(try stream.linger, .seconds(1), "linger")
    try stream.setLinger(nil)
    try checkEqual(try stream.linger, nil, "cleared linger")
    listener.close()
  }

  static func keepalive<B: ConformanceBackend>(_ backend: B) throws {
    let address = backend.nextAddress(.v4)
    let listener = try backend.bindListener(address)
    let stream = try backend.connect(to: address)
    try checkEqual(try stream.isKeepAliveEnabled, false, "default keepalive")
    try stream.setKeepAlive(true)
    try checkEqual(try stream.isKeepAliveEnabled, true, "keepalive on")
    try stream.setKeepAlive(false)
    try checkEqual(try stream.isKeepAliveEnabled, false, "keepalive off")
    listener.close()
  }

  /// Ours (std has no TCP_USER_TIMEOUT): off by default, whole milliseconds, zero refused.
  static func userTimeout<B: ConformanceBackend>(_ backend: B) throws {
    let address = backend.nextAddress(.v4)
    let listener = try backend.bindListener(address)
    let stream = try backend.connect(to: address)
    try checkEqual(try stream.userTimeout, nil, "default user timeout")
    try stream.setUserTimeout(.seconds(30))
    try checkEqual(try stream.userTimeout, .seconds(30), "user timeout set")
    try stream.setUserTimeout(.microseconds(2500))
    try checkEqual(try stream.userTimeout, .milliseconds(2), "whole milliseconds")
    try stream.setUserTimeout(nil)
    try checkEqual(try stream.userTimeout, nil, "user timeout off")
    try checkError([.invalidInput], "zero user timeout") { try stream.setUserTimeout(.zero) }
    listener.close()
  }

  static func nodelay<B: ConformanceBackend>(_ backend: B) throws {
    let address = backend.nextAddress(.v4)
    let listener = try backend.bindListener(address)
    let stream = try connectEach(backend, try backend.resolveLocalhost(port: address.port))
    try checkEqual(try stream.isNoDelayEnabled, false, "default nodelay")
    try stream.setNoDelay(true)
    try checkEqual(try stream.isNoDelayEnabled, true, "nodelay on")
    try stream.setNoDelay(false)
    try checkEqual(try stream.isNoDelayEnabled, false, "nodelay off")
    listener.close()
  }

  static func ttl<B: ConformanceBackend>(_ backend: B) throws {
    let ttl: UInt32 = 100
    let address = backend.nextAddress(.v4)
    let listener = try backend.bindListener(address)
    try listener.setTTL(ttl)
    try checkEqual(try listener.ttl, ttl, "listener ttl")
    let stream = try connectEach(backend, try backend.resolveLocalhost(port: address.port))
    try stream.setTTL(ttl)
    try checkEqual(try stream.ttl, ttl, "stream ttl")
  }

  static func setNonblocking<B: ConformanceBackend>(_ backend: B) throws {
    let address = backend.nextAddress(.v4)
    let listener = try backend.bindListener(address)
    try listener.setNonblocking(true)
    try listener.setNonblocking(false)
    let stream = try connectEach(backend, try backend.resolveLocalhost(port: address.port))
    try stream.setNonblocking(false)
    try stream.setNonblocking(true)
    var buffer: [UInt8] = [0]
    try checkError([.wouldBlock], "nonblocking read on an idle stream") {
      try stream.read(into: &buffer)
    }
    listener.close()
  }

  static func peek<B: ConformanceBackend>(_ backend: B, _ family: IPFamily) throws {
    let address = backend.nextAddress(family)
    let server = try backend.bindListener(address)
    let done = Channel<Void>()
    let serverThread = spawn {
      let connection = try server.accept().stream
      _ = try connection.write([1, 3, 3, 7])
      try done.receive()
    }
    let client = try backend.connect(to: address)
    var buffer = [UInt8](repeating: 0, count: 10)
    for round in 1..<3 {
      try checkEqual(try client.peek(into: &buffer), 4, "peek \(round)")
    }
    try checkEqual(try client.read(into: &buffer), 4, "read after peeks")
    try client.setNonblocking(true)
    try checkError([.wouldBlock], "nonblocking peek on an empty stream") {
      try client.peek(into: &buffer)
    }
    done.send(())
    try serverThread.join()
  }

  static func connectTimeoutValid<B: ConformanceBackend>(_ backend: B) throws {
    let listener = try backend.bindListener(backend.serverAddress(.v4))
    let address = try listener.localAddress
    _ = try backend.connect(to: address, timeout: .seconds(2))
  }
}
