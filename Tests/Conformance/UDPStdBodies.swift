import Testing
import UsnetSockets

/// The bodies of Rust std's `net/udp/tests.rs`, generic over the backend. std's `each_ip`
/// hands a test two sockets bound to port 0 on localhost; here the first lives on the server
/// host and the second on the client host.
enum UDPStd {
  private static func pair<B: ConformanceBackend>(
    _ backend: B, _ family: IPFamily
  ) throws(NetError) -> (B.UDP, B.UDP) {
    (
      try backend.bindUDP(backend.serverAddress(family)),
      try backend.bindUDP(backend.clientAddress(family))
    )
  }

  /// std compares ignoring the IPv6 zone id; ``SocketAddress`` has none, so this is `==`.
  private static func sameAddress(_ a: SocketAddress, _ b: SocketAddress) -> Bool { a == b }

  static func bindError<B: ConformanceBackend>(_ backend: B) throws {
    try checkError([.addrNotAvailable], "bind to a foreign address") {
      try backend.bindUDP(backend.foreignAddress)
    }
  }

  static func socketSmokeTestIP4<B: ConformanceBackend>(_ backend: B, _ family: IPFamily) throws {
    let (server, client) = try pair(backend, family)
    let serverAddress = try server.localAddress
    let clientAddress = try client.localAddress
    let go = Channel<Void>()
    let sent = Channel<Void>()
    let sender = spawn {
      try go.receive()
      _ = try client.send([99], to: serverAddress)
      sent.send(())
    }
    go.send(())
    var buffer: [UInt8] = [0]
    let (count, source) = try server.receiveFrom(into: &buffer)
    try checkEqual(count, 1, "datagram length")
    try checkEqual(buffer[0], 99, "datagram byte")
    try check(sameAddress(source, clientAddress), "source \(source), client is \(clientAddress)")
    try sent.receive()
    try sender.join()
  }

  static func socketAndPeerName<B: ConformanceBackend>(_ backend: B, _ family: IPFamily) throws {
    let (sock1, sock2) = try pair(backend, family)
    let address1 = try sock1.localAddress
    let address2 = try sock2.localAddress
    try checkError([.notConnected], "peer address of an unconnected socket") {
      try sock1.peerAddress
    }
    try checkEqual(
      address1.withPort(0), backend.serverAddress(family), "local IP (std: the loopback IP)")
    try sock1.connect(to: address2)
    try sock2.connect(to: address1)
    try checkEqual(try sock1.peerAddress, address2, "first socket's peer")
    try checkEqual(try sock2.peerAddress, address1, "second socket's peer")
  }

  static func udpCloneSmoke<B: ConformanceBackend>(_ backend: B, _ family: IPFamily) throws {
    let (sock1, sock2) = try pair(backend, family)
    let address1 = try sock1.localAddress
    let address2 = try sock2.localAddress
    let echo = spawn {
      var buffer: [UInt8] = [0, 0]
      let (count, source) = try sock2.receiveFrom(into: &buffer)
      try checkEqual(count, 1, "datagram length")
      try check(sameAddress(source, address1), "source \(source), expected \(address1)")
      try checkEqual(buffer[0], 1, "datagram byte")
      _ = try sock2.send([2], to: address1)
    }
    let sock3 = try sock1.tryClone()
    let go = Channel<Void>()
    let sent = Channel<Void>()
    let sender = spawn {
      try go.receive()
      _ = try sock3.send([1], to: address2)
      sent.send(())
    }
    go.send(())
    var buffer: [UInt8] = [0, 0]
    let (count, source) = try sock1.receiveFrom(into: &buffer)
    try checkEqual(count, 1, "datagram length")
    try check(sameAddress(source, address2), "source \(source), expected \(address2)")
    try sent.receive()
    try sender.join()
    try echo.join()
  }

  static func udpCloneTwoRead<B: ConformanceBackend>(_ backend: B, _ family: IPFamily) throws {
    let (sock1, sock2) = try pair(backend, family)
    let address1 = try sock1.localAddress
    let received = Channel<Void>()
    let sender = spawn {
      _ = try sock2.send([1], to: address1)
      try received.receive()
      _ = try sock2.send([2], to: address1)
      try received.receive()
    }
    let sock3 = try sock1.tryClone()
    let done = Channel<Void>()
    let reader = spawn {
      var buffer: [UInt8] = [0, 0]
      _ = try sock3.receiveFrom(into: &buffer)
      received.send(())
      done.send(())
    }
    var buffer: [UInt8] = [0, 0]
    _ = try sock1.receiveFrom(into: &buffer)
    received.send(())
    try done.receive()
    try reader.join()
    try sender.join()
  }

  static func udpCloneTwoWrite<B: ConformanceBackend>(_ backend: B, _ family: IPFamily) throws {
    let (sock1, sock2) = try pair(backend, family)
    let address2 = try sock2.localAddress
    let sentOne = Channel<Bool>()
    let served = Channel<Void>()
    let receiver = spawn {
      var buffer: [UInt8] = [0, 1]
      // Wait for a send to have succeeded (std: `rx.recv()` on the senders' channel).
      var anySent = try sentOne.receive()
      if !anySent { anySent = try sentOne.receive() }
      try check(anySent, "neither clone could send")
      _ = try sock2.receiveFrom(into: &buffer)
      served.send(())
    }
    let sock3 = try sock1.tryClone()
    let done = Channel<Void>()
    let other = spawn {
      let ok = (try? sock3.send([1], to: address2)) != nil
      sentOne.send(ok)
      done.send(())
    }
    let ok = (try? sock1.send([2], to: address2)) != nil
    sentOne.send(ok)
    try done.receive()
    try served.receive()
    try other.join()
    try receiver.join()
  }

  /// std compares `Debug` with `UdpSocket { addr: A, fd: N }`; here the description must
  /// have that shape with the backend's type name and handle (see the TCP `debug`).
  static func debug<B: ConformanceBackend>(_ backend: B) throws {
    let socket = try backend.bindUDP(backend.serverAddress(.v4))
    let text = String(describing: socket)
    let prefix = "\(B.UDP.self) { addr: \(try socket.localAddress), "
    try check(
      text.hasPrefix(prefix) && text.hasSuffix(" }"),
      "description \"\(text)\" is not \"\(prefix)<handle> }\"")
  }

  static func timeouts<B: ConformanceBackend>(_ backend: B) throws {
    let socket = try backend.bindUDP(backend.serverAddress(.v4))
    let duration = Duration.seconds(15410)
    try checkEqual(try socket.readTimeout, nil, "default read timeout")
    try socket.setReadTimeout(duration)
    try checkEqual(try socket.readTimeout, duration, "read timeout")
    try checkEqual(try socket.writeTimeout, nil, "default write timeout")
    try socket.setWriteTimeout(duration)
    try checkEqual(try socket.writeTimeout, duration, "write timeout")
    try socket.setReadTimeout(nil)
    try checkEqual(try socket.readTimeout, nil, "cleared read timeout")
    try socket.setWriteTimeout(nil)
    try checkEqual(try socket.writeTimeout, nil, "cleared write timeout")
  }

  /// Receives until an error other than `interrupted`; it must be an expired timeout.
  private static func expectReceiveTimeout<U: UDPSocketProtocol>(_ socket: U) throws {
    var buffer = [UInt8](repeating: 0, count: 11)
    let start = ContinuousClock.now
    while true {
      let error = try checkFails("receive with nothing queued") {
        try socket.receiveFrom(into: &buffer)
      }
      if error.kind == .interrupted { continue }
      try check(TCPStd.timeoutKinds.contains(error.kind), "unexpected error \(error)")
      break
    }
    let elapsed = ContinuousClock.now - start
    try check(elapsed > .milliseconds(400), "timed out after only \(elapsed)")
  }

  static func testReadTimeout<B: ConformanceBackend>(_ backend: B) throws {
    let socket = try backend.bindUDP(backend.serverAddress(.v4))
    try socket.setReadTimeout(.milliseconds(1000))
    try expectReceiveTimeout(socket)
  }

  static func testReadWithTimeout<B: ConformanceBackend>(_ backend: B) throws {
    let socket = try backend.bindUDP(backend.serverAddress(.v4))
    let address = try socket.localAddress
    try socket.setReadTimeout(.milliseconds(1000))
    let hello = Array("hello world".utf8)
    _ = try socket.send(hello, to: address)
    var buffer = [UInt8](repeating: 0, count: 11)
    _ = try socket.receiveFrom(into: &buffer)
    try checkEqual(buffer, hello, "datagram")
    try expectReceiveTimeout(socket)
  }

  static func testTimeoutZeroDuration<B: ConformanceBackend>(_ backend: B) throws {
    let socket = try backend.bindUDP(backend.serverAddress(.v4))
    try checkError([.invalidInput], "zero write timeout") { try socket.setWriteTimeout(.zero) }
    try checkError([.invalidInput], "zero read timeout") { try socket.setReadTimeout(.zero) }
  }

  static func connectSendRecv<B: ConformanceBackend>(_ backend: B) throws {
    let socket = try backend.bindUDP(backend.serverAddress(.v4))
    let address = try socket.localAddress
    try socket.connect(to: address)
    let hello = Array("hello world".utf8)
    _ = try socket.send(hello)
    var buffer = [UInt8](repeating: 0, count: 11)
    _ = try socket.receive(into: &buffer)
    try checkEqual(buffer, hello, "datagram")
  }

  static func connectSendPeekRecv<B: ConformanceBackend>(
    _ backend: B, _ family: IPFamily
  ) throws {
    let (socket, _) = try pair(backend, family)
    let address = try socket.localAddress
    try socket.connect(to: address)
    let hello = Array("hello world".utf8)
    _ = try socket.send(hello)
    for round in 1..<3 {
      var buffer = [UInt8](repeating: 0, count: 11)
      let size = try socket.peek(into: &buffer)
      try checkEqual(buffer, hello, "peek \(round)")
      try checkEqual(size, 11, "peek \(round) length")
    }
    var buffer = [UInt8](repeating: 0, count: 11)
    let size = try socket.receive(into: &buffer)
    try checkEqual(buffer, hello, "datagram")
    try checkEqual(size, 11, "datagram length")
  }

  static func peekFrom<B: ConformanceBackend>(_ backend: B, _ family: IPFamily) throws {
    let (socket, _) = try pair(backend, family)
    let address = try socket.localAddress
    let hello = Array("hello world".utf8)
    _ = try socket.send(hello, to: address)
    for round in 1..<3 {
      var buffer = [UInt8](repeating: 0, count: 11)
      let (size, _) = try socket.peekFrom(into: &buffer)
      try checkEqual(buffer, hello, "peekFrom \(round)")
      try checkEqual(size, 11, "peekFrom \(round) length")
    }
    var buffer = [UInt8](repeating: 0, count: 11)
    let (size, _) = try socket.receiveFrom(into: &buffer)
    try checkEqual(buffer, hello, "datagram")
    try checkEqual(size, 11, "datagram length")
  }

  static func ttl<B: ConformanceBackend>(_ backend: B) throws {
    let ttl: UInt32 = 100
    let socket = try backend.bindUDP(backend.serverAddress(.v4))
    try socket.setTTL(ttl)
    try checkEqual(try socket.ttl, ttl, "ttl")
  }

  static func setNonblocking<B: ConformanceBackend>(_ backend: B, _ family: IPFamily) throws {
    let (socket, _) = try pair(backend, family)
    let address = try socket.localAddress
    try socket.setNonblocking(true)
    try socket.setNonblocking(false)
    try socket.connect(to: address)
    try socket.setNonblocking(false)
    try socket.setNonblocking(true)
    var buffer: [UInt8] = [0]
    try checkError([.wouldBlock], "nonblocking receive with nothing queued") {
      try socket.receive(into: &buffer)
    }
  }

  /// std sends more than `c_int::MAX` bytes (from a read-only mapping) and expects an error,
  /// not a truncated datagram (rust-lang/rust#115325). A Swift `[UInt8]` of 2 GiB would cost
  /// 2 GiB of memory, so this sends the smallest datagram that cannot fit in one IPv4 UDP
  /// datagram (65,508 bytes of payload) and expects the same: an error from `send(_:to:)` and,
  /// after `connect`, from `send(_:)`, with nothing delivered.
  static func sendDatagramLargerThanCIntMax<B: ConformanceBackend>(_ backend: B) throws {
    let data = [UInt8](repeating: 0, count: 65_508)
    let socket = try backend.bindUDP(backend.serverAddress(.v4))
    let address = try socket.localAddress
    try checkFails("send_to of an oversized datagram") { try socket.send(data, to: address) }
    try socket.connect(to: address)
    try checkFails("send of an oversized datagram") { try socket.send(data) }
    try socket.setNonblocking(true)
    var buffer = [UInt8](repeating: 0, count: 70_000)
    try checkError([.wouldBlock], "nothing (not a truncated datagram) was delivered") {
      try socket.receive(into: &buffer)
    }
  }
}
