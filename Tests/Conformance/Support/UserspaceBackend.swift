import Testing
import UsnetSockets
import UsnetStack
import UsnetWire

/// The userspace backend (multi-thread runtime): two stacks, each a ``UserspaceRuntime`` with
/// its own engine thread, joined by an in-memory Ethernet link (``MemoryDevicePair``). The
/// server host is 198.18.0.1, the client host 198.18.0.2 (RFC 2544 benchmarking addresses).
/// Peers are addressed by these addresses, never loopback: loopback would go through the
/// kernel twin and test the kernel, not our stack.
///
/// Every test case gets its own pair of stacks; they shut down when the fixture is released.
final class UserspaceBackend: ConformanceBackend {
  typealias Stream = UserspaceTCPStream
  typealias Listener = UserspaceTCPListener
  typealias UDP = UserspaceUDPSocket

  static let serverIP = IPv4Address(198, 18, 0, 1)
  static let clientIP = IPv4Address(198, 18, 0, 2)

  let devices: MemoryDevicePair
  let server: UserspaceRuntime
  let client: UserspaceRuntime

  init() throws(NetError) {
    devices = MemoryDevicePair()
    server = try UserspaceRuntime(
      configuration: Self.configuration(mac: 1, ip: Self.serverIP), device: devices.a)
    do throws(NetError) {
      client = try UserspaceRuntime(
        configuration: Self.configuration(mac: 2, ip: Self.clientIP), device: devices.b)
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

  static func configuration(mac: UInt8, ip: IPv4Address) -> StackConfiguration {
    let networks = [IPv4Network(address: ip, prefixLength: 24)].compactMap { $0 }
    return StackConfiguration(
      interface: InterfaceConfiguration(
        macAddress: MACAddress(0x02, 0, 0, 0, 0, mac), addresses: networks))
  }

  func unsupportedReason(_ family: IPFamily) -> String? {
    family == .v6 ? "IPv6: the userspace stack has no IPv6 yet (v4 case runs)" : nil
  }

  func nextAddress(_ family: IPFamily) -> SocketAddress {
    serverAddress(family).withPort(takeTestPort())
  }

  func serverAddress(_ family: IPFamily) -> SocketAddress { .v4(Self.serverIP, port: 0) }

  func clientAddress(_ family: IPFamily) -> SocketAddress { .v4(Self.clientIP, port: 0) }

  var foreignAddress: SocketAddress { .v4(IPv4Address(1, 1, 1, 1), port: 9999) }

  /// "localhost" would mean loopback, which the userspace backend hands to the kernel twin;
  /// to keep the test on our stack it stands for the server host here.
  func resolveLocalhost(port: UInt16) throws -> [SocketAddress] {
    [.v4(Self.serverIP, port: port)]
  }

  func bindListener(_ address: SocketAddress, backlog: Int?) throws(NetError) -> Listener {
    try UserspaceTCPListener.bind(to: address, backlog: backlog, on: server)
  }

  func connect(to address: SocketAddress, timeout: Duration?) throws(NetError) -> Stream {
    try UserspaceTCPStream.connect(to: address, timeout: timeout, on: client)
  }

  func bindUDP(_ address: SocketAddress) throws(NetError) -> UDP {
    let runtime = address.ipv4Address == Self.clientIP ? client : server
    return try UserspaceUDPSocket.bind(to: address, on: runtime)
  }

  var unreachableTarget: (address: SocketAddress?, reason: String) {
    (.v4(IPv4Address(203, 0, 113, 1), port: 80), "off-link, and the stacks have no gateway")
  }
}
