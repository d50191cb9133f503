import Testing
import UsnetSockets
import UsnetWire

/// Rust std's UDP tests (and a few of our own) written once over ``UDPSocketProtocol``, so
/// every backend runs the same checks. Sockets bind `address` (port 0: any).
enum UDPConformance<Socket: UDPSocketProtocol> {
  /// socket_smoke_test: sendTo / receiveFrom; the sender is the client's local address.
  static func checkSmoke(_ address: SocketAddress) throws {
    let server = try Socket.bind(to: address)
    let client = try Socket.bind(to: address)
    let target = try server.localAddress
    #expect(try client.send([99], to: target) == 1)
    var buffer = [UInt8](repeating: 0, count: 8)
    let (count, peer) = try server.receiveFrom(into: &buffer)
    #expect(count == 1)
    #expect(buffer[0] == 99)
    #expect(peer == (try client.localAddress))
  }

  /// A datagram longer than the buffer is cut to it; the rest is discarded.
  static func checkTruncation(_ address: SocketAddress) throws {
    let socket = try Socket.bind(to: address)
    let target = try socket.localAddress
    _ = try socket.send([1, 2, 3, 4, 5], to: target)
    _ = try socket.send([6], to: target)
    var buffer = [UInt8](repeating: 0, count: 2)
    #expect(try socket.receiveFrom(into: &buffer).count == 2)
    #expect(buffer == [1, 2])
    #expect(try socket.receiveFrom(into: &buffer).count == 1)
    #expect(buffer[0] == 6)
  }

  /// socket_and_peer_name plus the connected calls on an unconnected socket: notConnected.
  static func checkPeerName(_ address: SocketAddress) throws {
    let first = try Socket.bind(to: address)
    let second = try Socket.bind(to: address)
    expectNetError(.notConnected) { () throws(NetError) in try first.peerAddress }
    expectNetError(.notConnected) { () throws(NetError) in try first.send([1]) }
    var buffer = [UInt8](repeating: 0, count: 4)
    expectNetError(.notConnected) { () throws(NetError) in try first.receive(into: &buffer) }
    expectNetError(.notConnected) { () throws(NetError) in try first.peek(into: &buffer) }
    #expect(try first.localAddress.isLoopback)
    try first.connect(to: try second.localAddress)
    try second.connect(to: try first.localAddress)
    #expect(try first.peerAddress == second.localAddress)
    #expect(try second.peerAddress == first.localAddress)
  }

  /// connect_send_recv and connect_send_peek_recv: connected to itself.
  static func checkConnectedToSelf(_ address: SocketAddress) throws {
    let socket = try Socket.bind(to: address)
    try socket.connect(to: try socket.localAddress)
    let message = Array("hello world".utf8)
    #expect(try socket.send(message) == message.count)
    var buffer = [UInt8](repeating: 0, count: 32)
    #expect(try socket.peek(into: &buffer) == message.count)
    #expect(try socket.peek(into: &buffer) == message.count)
    #expect(try socket.receive(into: &buffer) == message.count)
    #expect(Array(buffer.prefix(message.count)) == message)
  }

  /// peek_from: the same datagram twice, then received.
  static func checkPeekFrom(_ address: SocketAddress) throws {
    let socket = try Socket.bind(to: address)
    let target = try socket.localAddress
    let message = Array("hello world".utf8)
    _ = try socket.send(message, to: target)
    var buffer = [UInt8](repeating: 0, count: 32)
    for _ in 0..<2 {
      let (count, peer) = try socket.peekFrom(into: &buffer)
      #expect(count == message.count)
      #expect(peer == target)
    }
    let (count, peer) = try socket.receiveFrom(into: &buffer)
    #expect(count == message.count)
    #expect(peer == target)
    #expect(Array(buffer.prefix(count)) == message)
  }

  /// udp_clone_smoke: a clone sends while the original blocks in receiveFrom.
  static func checkClone(_ address: SocketAddress) throws {
    let socket = try Socket.bind(to: address)
    let clone = try socket.tryClone()
    let target = try socket.localAddress
    #expect(try clone.localAddress == target)
    let receiver = TestThread {
      var buffer = [UInt8](repeating: 0, count: 4)
      let (count, _) = try socket.receiveFrom(into: &buffer)
      #expect(count == 1 && buffer[0] == 7)
    }
    sleepMilliseconds(50)
    _ = try clone.send([7], to: target)
    try receiver.join()
  }

  /// timeouts, test_timeout_zero_duration, test_read_timeout: defaults, round trips, zero is
  /// invalidInput, an idle receive times out with wouldBlock.
  static func checkTimeouts(_ address: SocketAddress) throws {
    let socket = try Socket.bind(to: address)
    #expect(try socket.readTimeout == nil)
    #expect(try socket.writeTimeout == nil)
    try socket.setReadTimeout(.seconds(15410))
    try socket.setWriteTimeout(.seconds(15410))
    #expect(try socket.readTimeout == .seconds(15410))
    #expect(try socket.writeTimeout == .seconds(15410))
    try socket.setWriteTimeout(nil)
    #expect(try socket.writeTimeout == nil)
    expectNetError(.invalidInput) { () throws(NetError) in try socket.setReadTimeout(.zero) }
    expectNetError(.invalidInput) { () throws(NetError) in try socket.setWriteTimeout(.zero) }
    try socket.setReadTimeout(.milliseconds(300))
    var buffer = [UInt8](repeating: 0, count: 4)
    let start = monotonicSeconds()
    expectNetError(.wouldBlock) { () throws(NetError) in try socket.receiveFrom(into: &buffer) }
    #expect(monotonicSeconds() - start > 0.2)
  }

  /// set_nonblocking: a connected receive on nothing is wouldBlock.
  static func checkNonblocking(_ address: SocketAddress) throws {
    let socket = try Socket.bind(to: address)
    try socket.connect(to: try socket.localAddress)
    try socket.setNonblocking(true)
    var buffer = [UInt8](repeating: 0, count: 4)
    expectNetError(.wouldBlock) { () throws(NetError) in try socket.receive(into: &buffer) }
    expectNetError(.wouldBlock) { () throws(NetError) in try socket.receiveFrom(into: &buffer) }
    try socket.setNonblocking(false)
  }

  /// ttl round trip, takeError nil, sending to the other IP version is invalidInput.
  static func checkOptions(_ address: SocketAddress) throws {
    let socket = try Socket.bind(to: address)
    try socket.setTTL(100)
    #expect(try socket.ttl == 100)
    #expect(try socket.takeError() == nil)
    let other: SocketAddress =
      address.isIPv4 ? .v6(.loopback, port: 9) : .v4(IPv4Address(127, 0, 0, 1), port: 9)
    expectNetError(.invalidInput) { () throws(NetError) in try socket.send([1], to: other) }
  }

  /// bind twice on one address: addrInUse.
  static func checkDoubleBind(_ address: SocketAddress) throws {
    let socket = try Socket.bind(to: address)
    let target = try socket.localAddress
    expectNetError(.addrInUse) { () throws(NetError) in try Socket.bind(to: target) }
  }
}
