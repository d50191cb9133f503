import Foundation
import Synchronization
import Testing
import UsnetSockets
import UsnetStack
import UsnetWire

/// Two userspace runtimes joined by an in-memory device pair: 198.18.0.1 (a) and
/// 198.18.0.2 (b), in real time.
final class UserspacePair: Sendable {
  static let ipA = IPv4Address(198, 18, 0, 1)
  static let ipB = IPv4Address(198, 18, 0, 2)

  let devices: MemoryDevicePair
  let a: UserspaceRuntime
  let b: UserspaceRuntime

  /// Starts both runtimes; `adjust` may change the configurations (both get it). The kernel
  /// loopback twin is off unless `kernelTwin` (tests that run at once would otherwise
  /// reserve the same kernel ports).
  init(kernelTwin: Bool = false, adjust: (inout StackConfiguration) -> Void = { _ in }) throws {
    devices = MemoryDevicePair()
    var configurationA = Self.configuration(mac: 1, ip: Self.ipA)
    var configurationB = Self.configuration(mac: 2, ip: Self.ipB)
    adjust(&configurationA)
    adjust(&configurationB)
    let options = RuntimeOptions(usesKernelTwin: kernelTwin)
    a = try UserspaceRuntime(configuration: configurationA, device: devices.a, options: options)
    b = try UserspaceRuntime(configuration: configurationB, device: devices.b, options: options)
  }

  deinit {
    a.shutdown()
    b.shutdown()
    devices.disconnect()
  }

  static func configuration(mac: UInt8, ip: IPv4Address) -> StackConfiguration {
    let networks = [IPv4Network(address: ip, prefixLength: 24)].compactMap { $0 }
    return StackConfiguration(
      interface: InterfaceConfiguration(
        macAddress: MACAddress(0x02, 0, 0, 0, 0, mac), addresses: networks))
  }

  /// `ip:port` as a socket address.
  static func address(_ ip: IPv4Address, _ port: UInt16) -> SocketAddress {
    .v4(ip, port: port)
  }

  /// A connected pair: (client on a, accepted stream on b).
  func connectedStreams(port: UInt16) throws -> (UserspaceTCPStream, UserspaceTCPStream) {
    let listener = try UserspaceTCPListener.bind(
      to: Self.address(.any, port), backlog: nil, on: b)
    let client = try UserspaceTCPStream.connect(
      to: Self.address(Self.ipB, port), timeout: .seconds(5), on: a)
    let (server, _) = try listener.accept()
    return (client, server)
  }
}

/// A thread running `body`, joinable once, with its result.
final class JoinableThread<Value: Sendable>: Sendable {
  private let result = Mutex<Value?>(nil)
  private let done = DispatchSemaphore(value: 0)

  init(_ body: @escaping @Sendable () -> Value) {
    let thread = Thread { [self] in
      let value = body()
      result.withLock { $0 = value }
      done.signal()
    }
    thread.start()
  }

  /// Waits for the thread (at most `timeout`) and returns its result, nil on timeout.
  func join(timeout: Duration = .seconds(30)) -> Value? {
    guard done.wait(timeout: .now() + dispatchSeconds(timeout)) == .success else { return nil }
    done.signal()
    return result.withLock { $0 }
  }
}

/// `duration` in seconds, for Dispatch.
private func dispatchSeconds(_ duration: Duration) -> Double {
  let (seconds, attoseconds) = duration.components
  return Double(seconds) + Double(attoseconds) / 1e18
}

/// Deterministic test payload.
func userspacePattern(count: Int, seed: UInt8) -> [UInt8] {
  (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed) &* 7 &+ $0 >> 8) }
}

@Suite("Userspace test support")
struct UserspaceSupportTests {
  @Test("the pair's runtimes serve 198.18.0.1 and 198.18.0.2")
  func pairAddresses() throws {
    let pair = try UserspacePair()
    #expect(pair.a.interface.addresses.first?.address == UserspacePair.ipA)
    #expect(pair.b.interface.addresses.first?.address == UserspacePair.ipB)
  }
}
