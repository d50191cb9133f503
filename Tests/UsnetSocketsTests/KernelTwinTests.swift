import Testing
import UsnetSockets
import UsnetStack
import UsnetWire

/// The kernel loopback twin of the userspace runtimes: listeners that also listen in the
/// kernel, loopback connects and binds that go to the kernel, and the switch that turns it
/// all off. Only loopback traffic reaches the kernel here.
@Suite("Kernel loopback twin")
struct KernelTwinTests {
  private static let loopback = IPv4Address(127, 0, 0, 1)

  @Test("a listener on 0.0.0.0 accepts from the kernel (127.0.0.1) and from the stack")
  func twinnedListenerAcceptsBoth() throws {
    let pair = try UserspacePair(kernelTwin: true)
    let listener = try UserspaceTCPListener.bind(
      to: UserspacePair.address(.any, 0), backlog: nil, on: pair.b)
    let port = try listener.localAddress.port
    #expect(listener.description.contains("twin: 127.0.0.1:\(port)"))
    // Both accepts block first, so each is woken by its connection's arrival.
    let acceptor = JoinableThread { () -> [Bool]? in
      var kinds: [Bool] = []
      for _ in 0..<2 {
        guard let (stream, _) = try? listener.accept() else { return nil }
        var byte = [UInt8](repeating: 0, count: 1)
        guard (try? stream.readExact(into: &byte)) != nil else { return nil }
        guard (try? stream.writeAll(byte)) != nil else { return nil }
        kinds.append(stream.isKernelTwin)
      }
      return kinds
    }
    sleepMilliseconds(50)
    let kernelClient = try HostTCPStream.connect(
      to: .v4(Self.loopback, port: port), timeout: .seconds(5))
    try kernelClient.writeAll([7])
    var echoed = [UInt8](repeating: 0, count: 1)
    try kernelClient.readExact(into: &echoed)
    #expect(echoed == [7])
    let stackClient = try UserspaceTCPStream.connect(
      to: UserspacePair.address(UserspacePair.ipB, port), timeout: .seconds(5), on: pair.a)
    #expect(!stackClient.isKernelTwin)
    try stackClient.writeAll([9])
    try stackClient.readExact(into: &echoed)
    #expect(echoed == [9])
    #expect(acceptor.join() == .some([true, false]))
  }

  @Test("the twin reserves the port in the kernel, and a kernel program's port is refused")
  func twinReservesPort() throws {
    let pair = try UserspacePair(kernelTwin: true)
    let listener = try UserspaceTCPListener.bind(
      to: UserspacePair.address(.any, 0), backlog: nil, on: pair.b)
    let port = try listener.localAddress.port
    expectNetError(.addrInUse) { () throws(NetError) in
      try HostTCPListener.bind(to: .v4(Self.loopback, port: port), backlog: nil)
    }
    let kernelListener = try HostTCPListener.bind(to: .v4(Self.loopback, port: 0), backlog: nil)
    let taken = try kernelListener.localAddress.port
    expectNetError(.addrInUse) { () throws(NetError) in
      try UserspaceTCPListener.bind(
        to: UserspacePair.address(.any, taken), backlog: nil, on: pair.a)
    }
  }

  @Test("a listener on an address the kernel does not own has no twin")
  func noTwinForStackAddress() throws {
    let pair = try UserspacePair(kernelTwin: true)
    let listener = try UserspaceTCPListener.bind(
      to: UserspacePair.address(UserspacePair.ipB, 0), backlog: nil, on: pair.b)
    #expect(!listener.description.contains("twin"))
    try listener.setNonblocking(true)
    expectNetError(.wouldBlock) { () throws(NetError) in try listener.accept() }
  }

  @Test("a nonblocking twinned listener with nothing pending throws wouldBlock")
  func nonblockingTwinnedAccept() throws {
    let pair = try UserspacePair(kernelTwin: true)
    let listener = try UserspaceTCPListener.bind(
      to: UserspacePair.address(.any, 0), backlog: nil, on: pair.b)
    try listener.setNonblocking(true)
    expectNetError(.wouldBlock) { () throws(NetError) in try listener.accept() }
  }

  @Test("connecting to 127.0.0.1 goes through the kernel; loopback binds are kernel sockets")
  func loopbackConnectAndBind() throws {
    let pair = try UserspacePair(kernelTwin: true)
    let listener = try UserspaceTCPListener.bind(
      to: .v4(Self.loopback, port: 0), backlog: nil, on: pair.b)
    #expect(listener.description.hasPrefix("UserspaceTCPListener { addr: 127.0.0.1:"))
    #expect(listener.description.contains("fd: "))
    let port = try listener.localAddress.port
    let client = try UserspaceTCPStream.connect(
      to: .v4(Self.loopback, port: port), timeout: .seconds(5), on: pair.a)
    #expect(client.isKernelTwin)
    let (server, peer) = try listener.accept()
    #expect(server.isKernelTwin)
    #expect(try peer == client.localAddress)
    try client.writeAll([1, 2, 3])
    var received = [UInt8](repeating: 0, count: 3)
    try server.readExact(into: &received)
    #expect(received == [1, 2, 3])

    let udp = try UserspaceUDPSocket.bind(to: .v4(Self.loopback, port: 0), on: pair.a)
    #expect(udp.isKernelTwin)
    let sender = try HostUDPSocket.bind(to: .v4(Self.loopback, port: 0))
    _ = try sender.send([5], to: udp.localAddress)
    try udp.setReadTimeout(.seconds(5))
    var datagram = [UInt8](repeating: 0, count: 4)
    let (count, from) = try udp.receiveFrom(into: &datagram)
    #expect(count == 1 && datagram[0] == 5)
    #expect(try from == sender.localAddress)
  }

  @Test("with the twin off, loopback stays on the stack and the kernel port stays free")
  func twinOff() throws {
    let devices = MemoryDevicePair()
    defer { devices.disconnect() }
    let runtime = try UserspaceRuntime(
      configuration: UserspacePair.configuration(mac: 1, ip: UserspacePair.ipA),
      device: devices.a, options: RuntimeOptions(usesKernelTwin: false))
    defer { runtime.shutdown() }
    #expect(!runtime.usesKernelTwin)
    let listener = try UserspaceTCPListener.bind(
      to: UserspacePair.address(.any, 0), backlog: nil, on: runtime)
    let port = try listener.localAddress.port
    #expect(!listener.description.contains("twin"))
    // The kernel's 127.0.0.1:port is not reserved …
    let kernelListener = try HostTCPListener.bind(
      to: .v4(Self.loopback, port: port), backlog: nil)
    // … and a connect to it is the stack's (which has no route to loopback).
    expectNetError(.networkUnreachable, .hostUnreachable, .addrNotAvailable) {
      () throws(NetError) in
      try UserspaceTCPStream.connect(
        to: .v4(Self.loopback, port: port), timeout: .seconds(2), on: runtime)
    }
    kernelListener.close()
    expectNetError(.unsupported) { () throws(NetError) in
      try UserspaceUDPSocket.bind(to: .v6(.loopback, port: 0), on: runtime)
    }
  }

  @Test("a single-thread runtime's blocked accept takes a kernel connection")
  func singleThreadTwin() throws {
    let pair = try SingleThreadPair(kernelTwin: true)
    let listener = try SingleThreadTCPListener.bind(
      to: UserspacePair.address(.any, 0), backlog: nil, on: pair.b)
    let port = try listener.localAddress.port
    let acceptor = JoinableThread { () -> Bool? in
      guard let (stream, _) = try? listener.accept() else { return nil }
      var byte = [UInt8](repeating: 0, count: 1)
      guard (try? stream.readExact(into: &byte)) != nil else { return nil }
      return byte == [4]
    }
    sleepMilliseconds(30)
    let client = try HostTCPStream.connect(
      to: .v4(Self.loopback, port: port), timeout: .seconds(5))
    try client.writeAll([4])
    #expect(acceptor.join() == .some(true))
  }
}
