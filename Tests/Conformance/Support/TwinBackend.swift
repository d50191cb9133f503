import Testing
import UsnetSockets
import UsnetStack
import UsnetWire

/// The userspace multi-thread backend reached through its kernel loopback twin: the same two
/// stacks as ``UserspaceBackend``, with the twin on, and the tests' peers on loopback
/// addresses (127.0.0.1 and ::1). Every socket of the suite is then a kernel socket behind the
/// `Userspace*` types: this run checks the twin's delegation (binds, connects, accepts and
/// every call on the sockets it hands out), not the userspace stack.
final class TwinBackend: ConformanceBackend {
  typealias Stream = UserspaceTCPStream
  typealias Listener = UserspaceTCPListener
  typealias UDP = UserspaceUDPSocket

  let devices: MemoryDevicePair
  let server: UserspaceRuntime
  let client: UserspaceRuntime
  private let host = HostBackend()

  init() throws(NetError) {
    devices = MemoryDevicePair()
    server = try UserspaceRuntime(
      configuration: UserspaceBackend.configuration(mac: 1, ip: UserspaceBackend.serverIP),
      device: devices.a, options: RuntimeOptions(usesKernelTwin: true))
    do throws(NetError) {
      client = try UserspaceRuntime(
        configuration: UserspaceBackend.configuration(mac: 2, ip: UserspaceBackend.clientIP),
        device: devices.b, options: RuntimeOptions(usesKernelTwin: true))
    } catch {
      server.shutdown()
      devices.disconnect()
      throw error
    }
  }

  deinit {
    server.shutdown()
    client.shutdown()
    devices.disconnect()
  }

  func unsupportedReason(_ family: IPFamily) -> String? { nil }

  func nextAddress(_ family: IPFamily) -> SocketAddress { host.nextAddress(family) }

  func serverAddress(_ family: IPFamily) -> SocketAddress { host.serverAddress(family) }

  func clientAddress(_ family: IPFamily) -> SocketAddress { host.clientAddress(family) }

  var foreignAddress: SocketAddress { host.foreignAddress }

  func resolveLocalhost(port: UInt16) throws -> [SocketAddress] {
    try host.resolveLocalhost(port: port)
  }

  func bindListener(_ address: SocketAddress, backlog: Int?) throws(NetError) -> Listener {
    try UserspaceTCPListener.bind(to: address, backlog: backlog, on: server)
  }

  func connect(to address: SocketAddress, timeout: Duration?) throws(NetError) -> Stream {
    try UserspaceTCPStream.connect(to: address, timeout: timeout, on: client)
  }

  func bindUDP(_ address: SocketAddress) throws(NetError) -> UDP {
    try UserspaceUDPSocket.bind(to: address, on: server)
  }

  var unreachableTarget: (address: SocketAddress?, reason: String) {
    host.unreachableTarget
  }
}
