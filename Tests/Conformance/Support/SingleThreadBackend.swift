import Dispatch
import Foundation
import Synchronization
import Testing
import UsnetSockets
import UsnetStack
import UsnetWire

/// The single-thread backend (`Single` trait): two stacks, each a ``SingleThreadRuntime``
/// without an engine thread, joined by an in-memory Ethernet link. Addresses as in
/// ``UserspaceBackend``.
///
/// Nothing advances a stack unless a thread is inside one of its calls. std's tests mostly
/// keep a thread in a call on each side (the server thread blocks in `accept` or `read`), but
/// some leave one side idle while it must still answer: a connect before anyone calls
/// `accept`, or data sent to a socket nobody reads. The kernel answers those by itself. The
/// suite's server host stands for another machine whose program is running, so each stack
/// also has a host thread that sits in ``SingleThreadRuntime/poll(waitingUpTo:)``: it takes
/// part in driving like any blocked call (while a socket call waits in the device it sleeps,
/// and the other way round), and it stops with the fixture.
final class SingleThreadBackend: ConformanceBackend {
  typealias Stream = SingleThreadTCPStream
  typealias Listener = SingleThreadTCPListener
  typealias UDP = SingleThreadUDPSocket

  let devices: MemoryDevicePair
  let server: SingleThreadRuntime
  let client: SingleThreadRuntime
  private let hosts: [HostProgram]

  init() throws(NetError) {
    devices = MemoryDevicePair()
    server = try SingleThreadRuntime(
      configuration: UserspaceBackend.configuration(mac: 1, ip: UserspaceBackend.serverIP),
      device: devices.a)
    do throws(NetError) {
      client = try SingleThreadRuntime(
        configuration: UserspaceBackend.configuration(mac: 2, ip: UserspaceBackend.clientIP),
        device: devices.b)
    } catch {
      server.shutdown()
      devices.disconnect()
      throw error
    }
    hosts = [HostProgram(server), HostProgram(client)]
  }

  deinit {
    for host in hosts { host.stop() }
    server.shutdown()
    client.shutdown()
    devices.disconnect()
  }

  func unsupportedReason(_ family: IPFamily) -> String? {
    family == .v6 ? "IPv6: the userspace stack has no IPv6 yet (v4 case runs)" : nil
  }

  func nextAddress(_ family: IPFamily) -> SocketAddress {
    serverAddress(family).withPort(takeTestPort())
  }

  func serverAddress(_ family: IPFamily) -> SocketAddress {
    .v4(UserspaceBackend.serverIP, port: 0)
  }

  func clientAddress(_ family: IPFamily) -> SocketAddress {
    .v4(UserspaceBackend.clientIP, port: 0)
  }

  var foreignAddress: SocketAddress { .v4(IPv4Address(1, 1, 1, 1), port: 9999) }

  /// As in ``UserspaceBackend``: "localhost" stands for the server host.
  func resolveLocalhost(port: UInt16) throws -> [SocketAddress] {
    [.v4(UserspaceBackend.serverIP, port: port)]
  }

  func bindListener(_ address: SocketAddress, backlog: Int?) throws(NetError) -> Listener {
    try SingleThreadTCPListener.bind(to: address, backlog: backlog, on: server)
  }

  func connect(to address: SocketAddress, timeout: Duration?) throws(NetError) -> Stream {
    try SingleThreadTCPStream.connect(to: address, timeout: timeout, on: client)
  }

  func bindUDP(_ address: SocketAddress) throws(NetError) -> UDP {
    let runtime = address.ipv4Address == UserspaceBackend.clientIP ? client : server
    return try SingleThreadUDPSocket.bind(to: address, on: runtime)
  }

  var unreachableTarget: (address: SocketAddress?, reason: String) {
    (.v4(IPv4Address(203, 0, 113, 1), port: 80), "off-link, and the stacks have no gateway")
  }
}

/// The rest of a host's program in the single-thread fixture: a thread that keeps calling
/// ``SingleThreadRuntime/poll(waitingUpTo:)`` until stopped, as a single-thread server's
/// main loop does between requests.
private final class HostProgram: Sendable {
  private let stopped = Atomic<Bool>(false)
  private let finished = DispatchSemaphore(value: 0)

  init(_ runtime: SingleThreadRuntime) {
    let thread = Thread { [self] in
      while !stopped.load(ordering: .acquiring) {
        do throws(NetError) {
          try runtime.poll(waitingUpTo: .milliseconds(50))
        } catch {
          break
        }
      }
      finished.signal()
    }
    thread.name = "usnet-host-program"
    thread.start()
  }

  /// Stops the loop and waits for the thread to leave it (at most one poll period).
  func stop() {
    stopped.store(true, ordering: .releasing)
    finished.wait()
  }
}
