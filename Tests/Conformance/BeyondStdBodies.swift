import Testing
import UsnetSockets

#if canImport(Glibc)
  import Glibc
#endif

/// Our own checks of kernel-socket behaviour that Rust std's tests do not cover (issue 4,
/// "Tests/Conformance"), generic over the backend like the ported ones.
enum BeyondStd {
  // MARK: Connect errors

  /// A SYN to a port nobody listens on is answered with a reset: `connectionRefused`, fast.
  static func connectRefused<B: ConformanceBackend>(_ backend: B) throws {
    let address = backend.nextAddress(.v4)
    let start = ContinuousClock.now
    try checkError([.connectionRefused], "connect to unbound \(address)") {
      try backend.connect(to: address)
    }
    let elapsed = ContinuousClock.now - start
    try check(elapsed < .seconds(2), "refusal took \(elapsed)")
    try checkError([.connectionRefused], "connect with a timeout to unbound \(address)") {
      try backend.connect(to: address, timeout: .seconds(5))
    }
  }

  /// A connect whose SYNs go unanswered ends with `timedOut` once its timeout expires, not
  /// much later. The SYNs are dropped by a listener whose accept queue is full (Linux drops
  /// rather than resets: `tcp_abort_on_overflow` is 0), which keeps the test on the machine.
  static func connectTimedOut<B: ConformanceBackend>(_ backend: B) throws {
    let listener = try backend.bindListener(backend.serverAddress(.v4), backlog: 1)
    let address = try listener.localAddress
    var held: [B.Stream] = []
    var timedOut: NetError?
    for _ in 0..<8 {
      let start = ContinuousClock.now
      switch try outcome({ try backend.connect(to: address, timeout: .milliseconds(500)) }) {
      case .success(let stream):
        held.append(stream)
      case .failure(let error):
        let elapsed = ContinuousClock.now - start
        try checkEqual(error.kind, .timedOut, "connect to a full accept queue (\(error))")
        try check(
          elapsed >= .milliseconds(450) && elapsed < .seconds(3),
          "a 500 ms connect timeout expired after \(elapsed)")
        timedOut = error
      }
      if timedOut != nil { break }
    }
    try check(timedOut != nil, "\(held.count) connects to a backlog-1 listener all succeeded")
    try check(!held.isEmpty, "not even the first connect succeeded")
    listener.close()
  }

  /// A destination without a route: `networkUnreachable` or `hostUnreachable`, never a hang.
  static func connectUnreachable<B: ConformanceBackend>(
    _ backend: B, _ address: SocketAddress
  ) throws {
    try checkError(
      [.networkUnreachable, .hostUnreachable], "connect to unroutable \(address)"
    ) { try backend.connect(to: address, timeout: .seconds(10)) }
  }

  // MARK: Accept queue

  /// A listener with backlog 2 that never accepts completes at most backlog + 1 handshakes
  /// (Linux completes backlog + 1); the rest time out (or are refused where the stack resets
  /// on overflow). The queued connections are then accepted in order, and once there is
  /// room, a new connection gets in.
  static func acceptQueueOverflow<B: ConformanceBackend>(_ backend: B) throws {
    let backlog = 2
    let listener = try backend.bindListener(backend.serverAddress(.v4), backlog: backlog)
    let address = try listener.localAddress
    var established: [B.Stream] = []
    var refusedOrTimedOut = 0
    for _ in 0..<(backlog + 4) {
      switch try outcome({ try backend.connect(to: address, timeout: .milliseconds(500)) }) {
      case .success(let stream): established.append(stream)
      case .failure(let error):
        try check(
          [.timedOut, .connectionRefused].contains(error.kind),
          "connect beyond the backlog: \(error)")
        refusedOrTimedOut += 1
      }
    }
    try check(
      (backlog...(backlog + 1)).contains(established.count),
      "\(established.count) connections completed against backlog \(backlog)")
    try check(refusedOrTimedOut > 0, "no connect was held back")

    try listener.setNonblocking(true)
    var accepted: [(stream: B.Stream, peer: SocketAddress)] = []
    while case .success(let connection) = try outcome({ try listener.accept() }) {
      accepted.append(connection)
    }
    try checkEqual(accepted.count, established.count, "connections accepted from the queue")
    for (connection, client) in zip(accepted, established) {
      try checkEqual(connection.peer, try client.localAddress, "accept order (FIFO)")
    }
    try listener.setNonblocking(false)
    let late = try backend.connect(to: address, timeout: .seconds(5))
    let lateServer = try listener.accept()
    try checkEqual(lateServer.peer, try late.localAddress, "connection after room was made")
  }

  // MARK: Reset

  /// The peer closes with unread data, which resets the connection (RFC 2525, as Linux does);
  /// writes then fail with `connectionReset` or `brokenPipe`, never SIGPIPE or success
  /// forever. Reads report the reset as `connectionReset`.
  static func writeAfterPeerReset<B: ConformanceBackend>(_ backend: B) throws {
    let address = backend.nextAddress(.v4)
    let listener = try backend.bindListener(address)
    let client = try backend.connect(to: address)
    let server = try listener.accept().stream
    try client.writeAll(Array(repeating: 7, count: 100))
    // Let the bytes arrive, unread, then close: the server resets.
    var probe: [UInt8] = [0]
    try checkEqual(try server.peek(into: &probe), 1, "data arrived before the close")
    server.close()
    var failure: NetError?
    for _ in 0..<50 {
      if case .failure(let error) = try outcome({ try client.write([1, 2, 3]) }) {
        failure = error
        break
      }
      sleepThread(.milliseconds(20))
    }
    guard let failure else {
      throw ConformanceFailure("writes kept succeeding after the peer reset", #_sourceLocation)
    }
    try check(
      [.connectionReset, .brokenPipe].contains(failure.kind), "write after reset: \(failure)")
    try checkError([.brokenPipe, .connectionReset], "second write after reset") {
      try client.write([4])
    }
  }

  // MARK: Many connections

  /// 1,000 connections open at once, opened from 10 threads, each carrying its own bytes
  /// both ways.
  static func thousandConnections<B: ConformanceBackend>(_ backend: B) throws {
    let total = 1000
    let threads = 10
    try raiseDescriptorLimit(to: 4 * total + 256)
    let listener = try backend.bindListener(backend.serverAddress(.v4), backlog: total)
    let address = try listener.localAddress
    let server = spawn { () throws -> Int in
      var streams: [B.Stream] = []
      for _ in 0..<total { streams.append(try listener.accept().stream) }
      // Echo two bytes on every connection, once all are open.
      for stream in streams {
        var buffer: [UInt8] = [0, 0]
        try stream.readExact(into: &buffer)
        try stream.writeAll(buffer)
      }
      return streams.count
    }
    let clients = (0..<threads).map { thread in
      spawn { () throws -> [(B.Stream, [UInt8])] in
        var opened: [(B.Stream, [UInt8])] = []
        for index in 0..<(total / threads) {
          let number = thread * (total / threads) + index
          let stream = try backend.connect(to: address, timeout: .seconds(20))
          opened.append((stream, [UInt8(number >> 8), UInt8(number & 0xFF)]))
        }
        return opened
      }
    }
    var all: [(B.Stream, [UInt8])] = []
    for client in clients { all += try client.join() }
    try checkEqual(all.count, total, "connections opened")
    for (stream, bytes) in all { try stream.writeAll(bytes) }
    for (stream, bytes) in all {
      var buffer: [UInt8] = [0, 0]
      try stream.readExact(into: &buffer)
      try checkEqual(buffer, bytes, "echo")
    }
    try checkEqual(try server.join(), total, "connections accepted")
  }

  private static func raiseDescriptorLimit(to wanted: Int) throws {
    var limit = rlimit()
    guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
    if limit.rlim_cur >= rlim_t(wanted) { return }
    limit.rlim_cur = min(limit.rlim_max, rlim_t(wanted))
    _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
  }

  // MARK: Shutdown wake-ups

  /// A read blocked in one thread returns 0 when another thread shuts the same handle down
  /// for both directions, and a write blocked on a full send buffer fails with `brokenPipe`
  /// when another thread shuts writing down.
  static func blockedCallsWokenByShutdown<B: ConformanceBackend>(_ backend: B) throws {
    let address = backend.nextAddress(.v4)
    let listener = try backend.bindListener(address)
    let client = try backend.connect(to: address)
    let server = try listener.accept().stream

    let reader = spawn { () throws -> Int in
      var buffer: [UInt8] = [0]
      return try client.read(into: &buffer)
    }
    sleepThread(.milliseconds(300))
    try client.shutdown(.both)
    try checkEqual(try reader.join(), 0, "blocked read after shutdown(.both)")

    // On a second connection (data into a socket shut for reading resets it on Linux), fill
    // the server's send path while the client does not read, then shut writing down.
    let other = try backend.connect(to: address)
    let otherServer = try listener.accept().stream
    let chunk = [UInt8](repeating: 1, count: 64 * 1024)
    let writer = spawn { () throws -> NetError? in
      while true {
        switch try outcome({ try otherServer.write(chunk) }) {
        case .success: continue
        case .failure(let error): return error
        }
      }
    }
    sleepThread(.milliseconds(500))
    try otherServer.shutdown(.write)
    guard let error = try writer.join() else {
      throw ConformanceFailure("writer ended without an error", #_sourceLocation)
    }
    try checkEqual(error.kind, .brokenPipe, "blocked write after shutdown(.write): \(error)")
    other.close()
    server.close()
  }

  /// Repeating a shutdown succeeds, as on Linux (macOS says `notConnected`).
  static func shutdownRepeated<B: ConformanceBackend>(_ backend: B) throws {
    let address = backend.nextAddress(.v4)
    let listener = try backend.bindListener(address)
    let client = try backend.connect(to: address)
    let server = try listener.accept().stream
    try client.shutdown(.write)
    try client.shutdown(.write)
    try client.shutdown(.read)
    try client.shutdown(.read)
    try client.shutdown(.both)
    var buffer: [UInt8] = [0]
    try checkEqual(try server.read(into: &buffer), 0, "peer read after the shutdowns")
  }

  /// Data arriving after this side shut down both directions resets the connection, as
  /// Linux does (`TCPAbortOnData`): the sender's next calls fail with `connectionReset` or
  /// `brokenPipe`.
  static func dataAfterShutdownBothResets<B: ConformanceBackend>(_ backend: B) throws {
    let address = backend.nextAddress(.v4)
    let listener = try backend.bindListener(address)
    let client = try backend.connect(to: address)
    let server = try listener.accept().stream
    try client.shutdown(.both)
    var buffer: [UInt8] = [0]
    try checkEqual(try server.read(into: &buffer), 0, "FIN from the shut-down side")
    _ = try server.write([1, 2, 3])
    var failure: NetError?
    for _ in 0..<50 {
      sleepThread(.milliseconds(20))
      if case .failure(let error) = try outcome({ try server.write([4]) }) {
        failure = error
        break
      }
    }
    guard let failure else {
      throw ConformanceFailure(
        "writes to a peer that shut down both directions kept succeeding", #_sourceLocation)
    }
    try check(
      [.connectionReset, .brokenPipe].contains(failure.kind), "write after the reset: \(failure)")
  }

  // MARK: Clone and drop

  /// Closing one handle leaves the connection to its clones; the peer sees the end of the
  /// stream only after the last handle is closed. A closed handle fails every call, and
  /// closing it again is harmless.
  static func streamCloneAndClose<B: ConformanceBackend>(_ backend: B) throws {
    let address = backend.nextAddress(.v4)
    let listener = try backend.bindListener(address)
    let client = try backend.connect(to: address)
    let server = try listener.accept().stream
    let clone = try client.tryClone()
    client.close()
    client.close()
    try checkFails("write on a closed handle") { try client.write([1]) }
    var buffer: [UInt8] = [0]
    try checkFails("read on a closed handle") { try client.read(into: &buffer) }

    _ = try clone.write([5])
    try server.readExact(into: &buffer)
    try checkEqual(buffer, [5], "byte from the clone after the original closed")
    _ = try server.write([6])
    try clone.readExact(into: &buffer)
    try checkEqual(buffer, [6], "byte to the clone after the original closed")

    try server.setReadTimeout(.milliseconds(300))
    try checkError([.wouldBlock, .timedOut], "peer read while a clone is open") {
      try server.read(into: &buffer)
    }
    clone.close()
    try server.setReadTimeout(.seconds(10))
    try checkEqual(try server.read(into: &buffer), 0, "peer read after the last handle closed")
  }

  /// Dropping the last reference closes the connection (deinit), as dropping a std
  /// `TcpStream` does.
  static func streamDropCloses<B: ConformanceBackend>(_ backend: B) throws {
    let address = backend.nextAddress(.v4)
    let listener = try backend.bindListener(address)
    func connectAndDrop() throws {
      let stream = try backend.connect(to: address)
      _ = try stream.write([9])
    }
    try connectAndDrop()
    let server = try listener.accept().stream
    try server.setReadTimeout(.seconds(10))
    var buffer: [UInt8] = [0, 0]
    try checkEqual(try server.read(into: &buffer), 1, "byte before the drop")
    try checkEqual(try server.read(into: &buffer), 0, "end of stream after the drop")
  }

  /// A listener clone keeps accepting after the original is closed; the port is released
  /// (connects are refused, a new bind succeeds) only when the last handle is gone.
  static func listenerCloneAndClose<B: ConformanceBackend>(_ backend: B) throws {
    let address = backend.nextAddress(.v4)
    let listener = try backend.bindListener(address)
    let clone = try listener.tryClone()
    listener.close()
    try checkFails("accept on a closed handle") { try listener.accept() }
    let client = try backend.connect(to: address, timeout: .seconds(5))
    let accepted = try clone.accept()
    try checkEqual(accepted.peer, try client.localAddress, "accepted on the clone")
    try checkError([.addrInUse], "bind while a clone listens") {
      try backend.bindListener(address)
    }
    clone.close()
    try checkError([.connectionRefused], "connect after the last listener handle closed") {
      try backend.connect(to: address, timeout: .seconds(5))
    }
    let again = try backend.bindListener(address)
    again.close()
  }

  /// A UDP clone keeps receiving after the original is closed; the original fails calls.
  static func udpCloneAndClose<B: ConformanceBackend>(_ backend: B) throws {
    let socket = try backend.bindUDP(backend.serverAddress(.v4))
    let sender = try backend.bindUDP(backend.clientAddress(.v4))
    let address = try socket.localAddress
    let clone = try socket.tryClone()
    socket.close()
    socket.close()
    var buffer: [UInt8] = [0, 0]
    try checkFails("receive on a closed handle") { try socket.receiveFrom(into: &buffer) }
    _ = try sender.send([3], to: address)
    try clone.setReadTimeout(.seconds(10))
    let (count, peer) = try clone.receiveFrom(into: &buffer)
    try checkEqual(count, 1, "datagram length on the clone")
    try checkEqual(peer, try sender.localAddress, "datagram source")
  }
}
