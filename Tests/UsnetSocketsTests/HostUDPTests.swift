import Testing
import UsnetSockets
import UsnetWire

/// The UDP conformance checks on the Host backend, over 127.0.0.1, and the broadcast and
/// multicast options the Host backend implements natively.
@Suite("Host UDP")
struct HostUDPTests {
  typealias Check = UDPConformance<HostUDPSocket>
  let loopback = SocketAddress.v4(IPv4Address(127, 0, 0, 1), port: 0)

  @Test("smoke: sendTo / receiveFrom report the sender")
  func smoke() throws { try Check.checkSmoke(loopback) }

  @Test("a datagram longer than the buffer is cut")
  func truncation() throws { try Check.checkTruncation(loopback) }

  @Test("peerAddress and connected calls are notConnected until connect")
  func peerName() throws { try Check.checkPeerName(loopback) }

  @Test("connected to itself: send, peek twice, receive")
  func connectedToSelf() throws { try Check.checkConnectedToSelf(loopback) }

  @Test("peekFrom twice, then receiveFrom")
  func peekFrom() throws { try Check.checkPeekFrom(loopback) }

  @Test("a clone sends while the original blocks in receiveFrom")
  func clone() throws { try Check.checkClone(loopback) }

  @Test("timeouts: defaults, round trip, zero is invalidInput, idle receive is wouldBlock")
  func timeouts() throws { try Check.checkTimeouts(loopback) }

  @Test("nonblocking receive on nothing is wouldBlock")
  func nonblocking() throws { try Check.checkNonblocking(loopback) }

  @Test("ttl round trip, takeError nil, other IP version is invalidInput")
  func options() throws { try Check.checkOptions(loopback) }

  @Test("binding a bound address is addrInUse")
  func doubleBind() throws { try Check.checkDoubleBind(loopback) }

  @Test("binding an address that is not local is addrNotAvailable (bind_error)")
  func bindError() {
    let foreign = SocketAddress.v4(IPv4Address(1, 1, 1, 1), port: 9999)
    expectNetError(.addrNotAvailable) { () throws(NetError) in
      try HostUDPSocket.bind(to: foreign)
    }
  }

  @Test("take_error: an ICMP port unreachable on a connected socket, then nothing")
  func takeError() throws {
    let closed = try HostUDPSocket.bind(to: loopback)
    let target = try closed.localAddress
    closed.close()
    let socket = try HostUDPSocket.bind(to: loopback)
    try socket.connect(to: target)
    #expect(try socket.takeError() == nil)
    _ = try socket.send([1])
    var error: NetError?
    for _ in 0..<100 where error == nil {
      sleepMilliseconds(10)
      error = try socket.takeError()
    }
    #expect(error?.kind == .connectionRefused)
    #expect(try socket.takeError() == nil)
  }

  @Test("broadcast and IPv4 multicast options round-trip natively")
  func broadcastAndMulticast() throws {
    let socket = try HostUDPSocket.bind(to: .v4(.any, port: 0))
    #expect(try socket.isBroadcastEnabled == false)
    try socket.setBroadcast(true)
    #expect(try socket.isBroadcastEnabled == true)
    #expect(try socket.isMulticastLoopV4Enabled == true)
    try socket.setMulticastLoop(v4: false)
    #expect(try socket.isMulticastLoopV4Enabled == false)
    try socket.setMulticastTTL(v4: 7)
    #expect(try socket.multicastTTLV4 == 7)
    let group = IPv4Address(239, 255, 42, 99)
    let localhost = IPv4Address(127, 0, 0, 1)
    do throws(NetError) {
      try socket.joinMulticast(v4: group, interface: localhost)
      try socket.leaveMulticast(v4: group, interface: localhost)
    } catch {
      // Some sandboxes have no multicast-capable interface; the call still must not crash.
      #expect(error.kind != .unsupported, "\(error)")
    }
    expectNetError(.other, .invalidInput, .unsupported) { () throws(NetError) in
      try socket.setMulticastLoop(v6: false)
    }
  }
}
