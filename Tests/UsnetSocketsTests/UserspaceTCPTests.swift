import Foundation
import Synchronization
import Testing
import UsnetSim
import UsnetSockets
import UsnetStack
import UsnetWire

#if canImport(Glibc)
  import Glibc
#endif

@Suite("Userspace TCP over two runtimes", .serialized)
struct UserspaceTCPTests {
  @Test("echo round trip")
  func echo() throws {
    let pair = try UserspacePair()
    let (client, server) = try pair.connectedStreams(port: 7)
    let echo = JoinableThread { () -> Int in
      var buffer = [UInt8](repeating: 0, count: 64)
      guard let count = try? server.read(into: &buffer), count > 0 else { return -1 }
      return (try? server.write(buffer, range: 0..<count)) ?? -1
    }
    try client.writeAll(Array("hello, usnet".utf8))
    var reply = [UInt8](repeating: 0, count: 12)
    try client.readExact(into: &reply)
    #expect(String(decoding: reply, as: UTF8.self) == "hello, usnet")
    #expect(echo.join() == 12)
    #expect(try client.peerAddress == UserspacePair.address(UserspacePair.ipB, 7))
    #expect(try server.peerAddress == client.localAddress)
  }

  @Test("1 MB each way at once arrives intact (SHA-256)")
  func megabyteEachWay() throws {
    let pair = try UserspacePair()
    let (client, server) = try pair.connectedStreams(port: 9000)
    let up = userspacePattern(count: 1_000_000, seed: 1)
    let down = userspacePattern(count: 1_000_000, seed: 2)
    let start = ContinuousClock.now
    @Sendable func pump(_ stream: UserspaceTCPStream, send: [UInt8]) -> String? {
      let writer = JoinableThread { () -> Bool in
        (try? stream.writeAll(send)) != nil && (try? stream.shutdown(.write)) != nil
      }
      var hash = SHA256()
      var buffer = [UInt8](repeating: 0, count: 65536)
      while true {
        guard let count = try? stream.read(into: &buffer) else { return nil }
        if count == 0 { break }
        hash.update(buffer, range: 0..<count)
      }
      return writer.join() == true ? hash.hexDigest() : nil
    }
    let serverSide = JoinableThread { pump(server, send: down) }
    let clientDigest = pump(client, send: up)
    let serverDigest = serverSide.join()
    var expectedUp = SHA256()
    expectedUp.update(up)
    var expectedDown = SHA256()
    expectedDown.update(down)
    #expect(serverDigest == expectedUp.hexDigest())
    #expect(clientDigest == expectedDown.hexDigest())
    print("1 MB each way took \(ContinuousClock.now - start)")
  }

  @Test("a reader blocked in read wakes with 0 when another thread shuts down reading")
  func shutdownReadWakesBlockedReader() throws {
    let pair = try UserspacePair()
    let (client, _server) = try pair.connectedStreams(port: 80)
    let clone = try client.tryClone()
    let start = ContinuousClock.now
    let reader = JoinableThread { () -> Int? in
      var buffer = [UInt8](repeating: 0, count: 16)
      return try? client.read(into: &buffer)
    }
    Thread.sleep(forTimeInterval: 0.2)
    try clone.shutdown(.read)
    #expect(reader.join(timeout: .seconds(5)) == .some(0))
    let elapsed = ContinuousClock.now - start
    #expect(elapsed >= .milliseconds(150))
    #expect(elapsed < .seconds(2))
    var buffer = [UInt8](repeating: 0, count: 16)
    #expect(try client.read(into: &buffer) == 0)
    _ = _server
  }

  @Test("accept hands out connections in the order they were established")
  func acceptOrder() throws {
    let pair = try UserspacePair()
    let listener = try UserspaceTCPListener.bind(
      to: UserspacePair.address(UserspacePair.ipB, 8080), backlog: 16, on: pair.b)
    var clients: [UserspaceTCPStream] = []
    for _ in 0..<5 {
      clients.append(
        try UserspaceTCPStream.connect(
          to: UserspacePair.address(UserspacePair.ipB, 8080), timeout: nil, on: pair.a))
    }
    for client in clients {
      let (_, peer) = try listener.accept()
      #expect(try peer == client.localAddress)
    }
  }

  @Test("connecting to a port nobody listens on is refused (ECONNREFUSED)")
  func connectRefused() throws {
    let pair = try UserspacePair()
    #expect {
      _ = try UserspaceTCPStream.connect(
        to: UserspacePair.address(UserspacePair.ipB, 1), timeout: nil, on: pair.a)
    } throws: { error in
      (error as? NetError)?.kind == .connectionRefused
        && (error as? NetError)?.errno == ECONNREFUSED
    }
  }

  @Test("a read timeout throws wouldBlock after about the timeout")
  func readTimeout() throws {
    let pair = try UserspacePair()
    let (client, _server) = try pair.connectedStreams(port: 81)
    try client.setReadTimeout(.milliseconds(300))
    #expect(try client.readTimeout == .milliseconds(300))
    var buffer = [UInt8](repeating: 0, count: 8)
    let start = ContinuousClock.now
    #expect {
      _ = try client.read(into: &buffer)
    } throws: { ($0 as? NetError)?.kind == .wouldBlock }
    let elapsed = ContinuousClock.now - start
    #expect(elapsed >= .milliseconds(290))
    #expect(elapsed < .milliseconds(1500))
    #expect(throws: NetError.self) { try client.setReadTimeout(.zero) }
    #expect(throws: NetError.self) { try client.setWriteTimeout(.zero) }
    _ = _server
  }

  @Test("zero timeouts are invalidInput")
  func zeroTimeouts() throws {
    let pair = try UserspacePair()
    let (client, _server) = try pair.connectedStreams(port: 82)
    for set in [client.setReadTimeout, client.setWriteTimeout] {
      #expect { try set(.zero) } throws: { ($0 as? NetError)?.kind == .invalidInput }
    }
    #expect {
      _ = try UserspaceTCPStream.connect(
        to: UserspacePair.address(UserspacePair.ipB, 82), timeout: .zero, on: pair.a)
    } throws: { ($0 as? NetError)?.kind == .invalidInput }
    _ = _server
  }

  @Test("nonblocking reads and accepts throw wouldBlock at once")
  func nonblocking() throws {
    let pair = try UserspacePair()
    let listener = try UserspaceTCPListener.bind(
      to: UserspacePair.address(.any, 83), backlog: nil, on: pair.b)
    try listener.setNonblocking(true)
    #expect { _ = try listener.accept() } throws: { ($0 as? NetError)?.kind == .wouldBlock }
    let client = try UserspaceTCPStream.connect(
      to: UserspacePair.address(UserspacePair.ipB, 83), timeout: nil, on: pair.a)
    try client.setNonblocking(true)
    var buffer = [UInt8](repeating: 0, count: 8)
    let start = ContinuousClock.now
    #expect { _ = try client.read(into: &buffer) } throws: {
      ($0 as? NetError)?.kind == .wouldBlock && ($0 as? NetError)?.errno == EAGAIN
    }
    #expect(ContinuousClock.now - start < .milliseconds(100))
    try client.setNonblocking(false)
    try listener.setNonblocking(false)
    let (server, _) = try listener.accept()
    _ = try server.write([42])
    #expect(try client.read(into: &buffer) == 1)
  }

  @Test("a clone shares the connection: bytes read through one are gone for the other")
  func cloneSharesReads() throws {
    let pair = try UserspacePair()
    let (client, server) = try pair.connectedStreams(port: 84)
    let clone = try client.tryClone()
    try server.writeAll(Array(0..<10))
    var first = [UInt8](repeating: 0, count: 4)
    try client.readExact(into: &first)
    var rest = [UInt8](repeating: 0, count: 6)
    try clone.readExact(into: &rest)
    #expect(first == [0, 1, 2, 3])
    #expect(rest == [4, 5, 6, 7, 8, 9])
    try clone.setReadTimeout(.seconds(3))
    #expect(try client.readTimeout == .seconds(3))
    client.close()
    client.close()
    #expect(throws: NetError.self) { _ = try client.read(into: &rest) }
    // The clone keeps the connection open.
    _ = try server.write([7])
    #expect(try clone.read(into: &rest) == 1)
  }

  @Test("write shutdown: the peer reads EOF, later writes are brokenPipe, reading goes on")
  func shutdownWrite() throws {
    let pair = try UserspacePair()
    let (client, server) = try pair.connectedStreams(port: 85)
    try client.shutdown(.write)
    var buffer = [UInt8](repeating: 0, count: 8)
    #expect(try server.read(into: &buffer) == 0)
    #expect(try server.read(into: &buffer) == 0)
    #expect { _ = try client.write([1]) } throws: {
      ($0 as? NetError)?.kind == .brokenPipe && ($0 as? NetError)?.errno == EPIPE
    }
    _ = try server.write([9])
    #expect(try client.read(into: &buffer) == 1)
    try client.shutdown(.write)
  }

  @Test("closing on deinit: the peer sees the end of the stream")
  func closeOnDeinit() throws {
    let pair = try UserspacePair()
    let listener = try UserspaceTCPListener.bind(
      to: UserspacePair.address(.any, 86), backlog: nil, on: pair.b)
    do {
      let client = try UserspaceTCPStream.connect(
        to: UserspacePair.address(UserspacePair.ipB, 86), timeout: nil, on: pair.a)
      _ = try client.write([1, 2, 3])
    }
    let (server, _) = try listener.accept()
    try server.setReadTimeout(.seconds(5))
    var buffer = [UInt8](repeating: 0, count: 8)
    #expect(try server.read(into: &buffer) == 3)
    #expect(try server.read(into: &buffer) == 0)
  }

  @Test("100 concurrent connections each echo their own bytes")
  func hundredConnections() throws {
    let (succeeded, accepted) = try concurrentEcho(count: 100, port: 5000)
    #expect(succeeded == 100)
    #expect(accepted == 100)
  }

  @Test(
    "USNET_SCALE_CONNECTIONS concurrent connections (a measurement, off by default)",
    .enabled(if: ProcessInfo.processInfo.environment["USNET_SCALE_CONNECTIONS"] != nil))
  func manyConnections() throws {
    let count = Int(ProcessInfo.processInfo.environment["USNET_SCALE_CONNECTIONS"] ?? "") ?? 1000
    let (succeeded, accepted) = try concurrentEcho(count: count, port: 5001)
    #expect(succeeded == count)
    #expect(accepted == count)
  }

  /// Opens `count` connections at once from their own threads; each writes 200 bytes and
  /// reads them back from a server thread per connection. Returns (clients that got their
  /// echo, server threads that finished cleanly).
  private func concurrentEcho(count: Int, port: UInt16) throws -> (Int, Int) {
    let pair = try UserspacePair()
    let listener = try UserspaceTCPListener.bind(
      to: UserspacePair.address(.any, port), backlog: count, on: pair.b)
    let start = ContinuousClock.now
    let acceptor = JoinableThread { () -> Int in
      var echoes: [JoinableThread<Bool>] = []
      for _ in 0..<count {
        guard let (stream, _) = try? listener.accept() else { break }
        echoes.append(
          JoinableThread { () -> Bool in
            var buffer = [UInt8](repeating: 0, count: 256)
            while let read = try? stream.read(into: &buffer), read > 0 {
              guard (try? stream.writeAll(Array(buffer[0..<read]))) != nil else { return false }
            }
            return true
          })
      }
      return echoes.filter { $0.join() == true }.count
    }
    let clients = (0..<count).map { index in
      JoinableThread { () -> Bool in
        do {
          let stream = try UserspaceTCPStream.connect(
            to: UserspacePair.address(UserspacePair.ipB, port), timeout: .seconds(20),
            on: pair.a)
          let message = userspacePattern(count: 200, seed: UInt8(truncatingIfNeeded: index))
          try stream.writeAll(message)
          var reply = [UInt8](repeating: 0, count: 200)
          try stream.readExact(into: &reply)
          try stream.shutdown(.write)
          return reply == message
        } catch {
          return false
        }
      }
    }
    let succeeded = clients.filter { $0.join(timeout: .seconds(60)) == true }.count
    let accepted = acceptor.join(timeout: .seconds(60)) ?? 0
    let counters = try pair.a.counters()
    print(
      "\(count) concurrent connections: \(succeeded) echoed in \(ContinuousClock.now - start); "
        + "client retransmissions \(counters.tcpRetransmissions), "
        + "ARP-queue drops \(counters.neighborPendingDrops), "
        + "server drops \(try pair.b.counters().nonZeroDrops), "
        + "link drops \(pair.devices.a.framesDropped + pair.devices.b.framesDropped)")
    return (succeeded, accepted)
  }

  @Test("a peer's reset: the next read is connectionReset, takeError then reports nothing")
  func resetByPeer() throws {
    let pair = try UserspacePair()
    let (client, server) = try pair.connectedStreams(port: 87)
    _ = try client.write([1, 2, 3])
    var buffer = [UInt8](repeating: 0, count: 1)
    #expect(try server.read(into: &buffer) == 1)
    // Closing with unread data resets the connection, as Linux does.
    server.close()
    try client.setReadTimeout(.seconds(5))
    #expect { _ = try client.read(into: &buffer) } throws: {
      ($0 as? NetError)?.kind == .connectionReset && ($0 as? NetError)?.errno == ECONNRESET
    }
    #expect(try client.takeError() == nil)
    #expect(try client.read(into: &buffer) == 0)
    #expect { _ = try client.write([1]) } throws: { ($0 as? NetError)?.kind == .brokenPipe }
  }

  @Test("nodelay, TTL, linger and keep-alive round-trip")
  func options() throws {
    let pair = try UserspacePair()
    let (client, _server) = try pair.connectedStreams(port: 88)
    #expect(try client.isNoDelayEnabled == false)
    try client.setNoDelay(true)
    #expect(try client.isNoDelayEnabled == true)
    #expect(try client.ttl == 64)
    try client.setTTL(100)
    #expect(try client.ttl == 100)
    #expect { try client.setTTL(0) } throws: { ($0 as? NetError)?.kind == .invalidInput }
    #expect { try client.setTTL(256) } throws: { ($0 as? NetError)?.kind == .invalidInput }
    #expect(try client.linger == nil)
    try client.setLinger(nil)
    try client.setLinger(.seconds(1))
    #expect(try client.linger == .seconds(1))
    #expect(try client.isKeepAliveEnabled == false)
    try client.setKeepAlive(true)
    #expect(try client.isKeepAliveEnabled == true)
    #expect(try client.takeError() == nil)
    _ = _server
  }

  @Test("descriptions name the type and the addresses, like Rust's Debug")
  func descriptions() throws {
    let pair = try UserspacePair()
    let listener = try UserspaceTCPListener.bind(
      to: UserspacePair.address(UserspacePair.ipB, 91), backlog: nil, on: pair.b)
    #expect(listener.description.contains("UserspaceTCPListener { addr: 198.18.0.2:91"))
    let client = try UserspaceTCPStream.connect(
      to: UserspacePair.address(UserspacePair.ipB, 91), timeout: nil, on: pair.a)
    let local = try client.localAddress
    #expect(
      client.description.hasPrefix(
        "UserspaceTCPStream { addr: \(local), peer: 198.18.0.2:91, socket: tcp#"))
    client.close()
    #expect(client.description == "UserspaceTCPStream { closed }")
    let udp = try UserspaceUDPSocket.bind(
      to: UserspacePair.address(UserspacePair.ipA, 53), on: pair.a)
    try udp.connect(to: UserspacePair.address(UserspacePair.ipB, 53))
    #expect(
      udp.description.hasPrefix(
        "UserspaceUDPSocket { addr: 198.18.0.1:53, peer: 198.18.0.2:53, socket: udp#"))
  }

  @Test("the protocol entry points use the default runtime")
  func defaultRuntime() throws {
    let pair = try UserspacePair()
    UserspaceRuntime.setDefault(nil)
    // Without a default, the environment is read; the test process has no USNET_SOCKETS.
    #expect {
      _ = try UserspaceTCPListener.bind(to: UserspacePair.address(.any, 89))
    } throws: {
      ($0 as? NetError)?.kind == .invalidInput
        && ($0 as? NetError)?.message.hasPrefix("USNET_SOCKETS: (not set)") == true
    }
    UserspaceRuntime.setDefault(pair.b)
    defer { UserspaceRuntime.setDefault(nil) }
    let listener = try UserspaceTCPListener.bind(to: UserspacePair.address(.any, 0))
    let port = try listener.localAddress.port
    #expect(port != 0)
    UserspaceRuntime.setDefault(pair.a)
    let client = try connectGeneric(
      UserspaceTCPStream.self, to: UserspacePair.address(UserspacePair.ipB, port))
    let (server, peer) = try listener.accept()
    #expect(try peer == client.localAddress)
    _ = server
  }

  private func connectGeneric<Stream: TCPStreamProtocol>(
    _ type: Stream.Type, to address: SocketAddress
  ) throws -> Stream {
    try Stream.connect(to: address)
  }

  @Test("shutting the runtime down wakes a blocked reader with networkDown")
  func runtimeShutdown() throws {
    let pair = try UserspacePair()
    let (client, _server) = try pair.connectedStreams(port: 90)
    let reader = JoinableThread { () -> NetError.Kind? in
      var buffer = [UInt8](repeating: 0, count: 8)
      do throws(NetError) {
        _ = try client.read(into: &buffer)
        return nil
      } catch {
        return error.kind
      }
    }
    Thread.sleep(forTimeInterval: 0.1)
    pair.a.shutdown()
    #expect(reader.join(timeout: .seconds(5)) == .some(NetError.Kind.networkDown))
    _ = _server
  }
}
