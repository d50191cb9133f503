import Testing
import UsnetDevice

@Suite("KernelSocket")
struct KernelSocketTests {
  let loopback = KernelSocketAddress.v4(address: 0x7F00_0001, port: 0)

  @Test("a UDP datagram to itself: bind, getsockname, sendto, recvfrom with MSG_PEEK")
  func datagramToSelf() throws {
    let socket = try KernelSocket.open(family: 4, kind: .datagram)
    defer { try? socket.close() }
    try socket.bind(to: loopback)
    let local = try #require(try socket.localAddress())
    guard case .v4(0x7F00_0001, let port) = local, port != 0 else {
      Issue.record("unexpected local address \(local)")
      return
    }
    #expect(try socket.send([9, 8, 7, 6], range: 1..<3, to: local) == 2)
    var buffer = [UInt8](repeating: 0, count: 6)
    let peeked = try socket.receive(into: &buffer, range: 2..<6, peek: true)
    #expect(peeked.count == 2 && peeked.sender == local)
    let received = try socket.receive(into: &buffer, range: 0..<6, peek: false)
    #expect(received.count == 2)
    #expect(buffer == [8, 7, 8, 7, 0, 0])
  }

  @Test("ranges outside the buffer are EINVAL before any call")
  func rangeChecks() throws {
    let socket = try KernelSocket.open(family: 4, kind: .datagram)
    defer { try? socket.close() }
    var buffer = [UInt8](repeating: 0, count: 4)
    #expect(
      throws: DeviceError(
        call: "recvfrom", errno: 22, detail: "range 2..<5 outside a buffer of 4 bytes")
    ) {
      try socket.receive(into: &buffer, range: 2..<5, peek: false)
    }
    #expect(throws: DeviceError.self) { try socket.send(buffer, range: 3..<6, to: loopback) }
  }

  @Test("options, timeouts, linger, nonblocking and duplicate")
  func options() throws {
    let socket = try KernelSocket.open(family: 4, kind: .stream)
    defer { try? socket.close() }
    try socket.setOption(.reuseAddress, 1)
    #expect(try socket.option(.reuseAddress) == 1)
    try socket.setTimeout(.receive, microseconds: 1_500_000)
    #expect(try socket.timeout(.receive) == 1_500_000)
    try socket.setLinger(seconds: 3)
    #expect(try socket.linger() == 3)
    try socket.setLinger(seconds: nil)
    #expect(try socket.linger() == nil)
    let copy = try socket.duplicate()
    defer { try? copy.close() }
    #expect(copy.descriptor != socket.descriptor)
    #expect(try copy.option(.reuseAddress) == 1)
    try socket.setNonblocking(true)
    #expect(throws: DeviceError.self) { try copy.accept() }
  }

  @Test("errors name the call and carry the errno")
  func errors() throws {
    let socket = try KernelSocket.open(family: 4, kind: .stream)
    try socket.close()
    #expect(throws: DeviceError(call: "listen", errno: 9)) { try socket.listen(backlog: 1) }
    #expect(throws: DeviceError(call: "socket", errno: 22)) {
      try KernelSocket.open(family: 5, kind: .stream)
    }
  }
}
