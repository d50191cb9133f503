import Foundation
import UsnetCLI
import UsnetSockets
import UsnetStack
import UsnetWire

/// Two userspace runtimes on a MemoryDevicePair, client on 198.18.0.1 and server on 198.18.0.2,
/// for running one service connection at a time.
final class ServicePair: Sendable {
  static let clientIP = IPv4Address(198, 18, 0, 1)
  static let serverIP = IPv4Address(198, 18, 0, 2)

  let devices = MemoryDevicePair()
  let client: UserspaceRuntime
  let server: UserspaceRuntime

  init() throws {
    // No kernel loopback twin: services bound to 0.0.0.0 in tests that run at once would
    // reserve the same kernel ports.
    let options = RuntimeOptions(usesKernelTwin: false)
    client = try UserspaceRuntime(
      configuration: Self.configuration(1), device: devices.a, options: options)
    server = try UserspaceRuntime(
      configuration: Self.configuration(2), device: devices.b, options: options)
  }

  deinit {
    client.shutdown()
    server.shutdown()
    devices.disconnect()
  }

  static func configuration(_ host: UInt8) -> StackConfiguration {
    let networks = [IPv4Network(address: IPv4Address(198, 18, 0, host), prefixLength: 24)]
      .compactMap { $0 }
    return StackConfiguration(
      interface: InterfaceConfiguration(
        macAddress: MACAddress(2, 0, 0, 0, 0, host), addresses: networks))
  }

  /// Accepts one connection on `port` and serves it with `service` on a thread; returns the
  /// client's stream and the server thread with the service's outcome.
  func connect(
    to service: some TCPService, port: UInt16
  ) throws -> (UserspaceTCPStream, ServiceThread<Result<ConnectionTally, NetError>>) {
    let listener = try UserspaceTCPListener.bind(
      to: .v4(.any, port: port), backlog: nil, on: server)
    let thread = ServiceThread(name: "test-\(service.name)") {
      () -> Result<ConnectionTally, NetError> in
      defer { listener.close() }
      do throws(NetError) {
        let (stream, _) = try listener.accept()
        return .success(try service.serve(stream))
      } catch {
        return .failure(error)
      }
    }
    let stream = try UserspaceTCPStream.connect(
      to: .v4(Self.serverIP, port: port), timeout: .seconds(5), on: client)
    try stream.setReadTimeout(.seconds(10))
    return (stream, thread)
  }
}

/// Reads `stream` until the end of the stream.
func readToEnd(_ stream: UserspaceTCPStream) throws -> [UInt8] {
  var received: [UInt8] = []
  var buffer = [UInt8](repeating: 0, count: 65536)
  while true {
    let count = try stream.read(into: &buffer)
    if count == 0 { return received }
    received += buffer[0..<count]
  }
}

/// A byte pattern of `count` bytes.
func testPattern(_ count: Int) -> [UInt8] {
  (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
}
