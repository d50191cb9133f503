import Foundation
import Synchronization
import Testing
import UsnetDevice

#if canImport(Glibc)
  import Glibc
#endif

/// Why the namespace tests cannot run here, or `nil`. They need root: unshare(CLONE_NEWNET)
/// wants CAP_SYS_ADMIN.
private let namespaceSkipReason: String? =
  getuid() == 0
  ? nil : "NetlinkSocket namespace tests skipped: not running as root (uid \(getuid()))"

/// What the namespace thread hands back.
private final class Outcome: Sendable {
  let result = Mutex<Result<Void, any Error>?>(nil)
}

/// Runs `body` with a netlink socket on a new thread that first moves into a private network
/// namespace, and waits for it. Network namespaces belong to threads on Linux, so nothing here
/// touches the machine's links or routes, and the namespace with everything created in it
/// vanishes when the thread has ended and the socket is closed.
private func inPrivateNetworkNamespace(
  _ body: @escaping @Sendable (NetlinkSocket) throws -> Void
) throws {
  let outcome = Outcome()
  let finished = DispatchSemaphore(value: 0)
  let thread = Thread {
    let result = Result<Void, any Error> {
      try NetworkNamespace.unshareCurrentThread()
      let socket = try NetlinkSocket.open()
      defer { try? socket.close() }
      try body(socket)
    }
    outcome.result.withLock { $0 = result }
    finished.signal()
  }
  thread.start()
  finished.wait()
  try outcome.result.withLock { $0 }?.get()
}

/// 198.18.a.b as an integer (addresses come only from 198.18.0.0/15, the benchmarking range).
private func benchmarkAddress(_ a: UInt32, _ b: UInt32) -> UInt32 {
  0xC612_0000 | a << 8 | b
}

/// Checks made before any request; they need no privileges and send nothing to the kernel.
@Suite struct NetlinkSocketArgumentTests {
  @Test func badReferencesAreRejectedBeforeAnyCall() throws {
    let socket = try NetlinkSocket.open()
    defer { try? socket.close() }
    #expect(throws: DeviceError.self) { try socket.link(.name("")) }
    #expect(throws: DeviceError.self) { try socket.link(.name("a-name-of-16-byte")) }
    #expect {
      try socket.link(.index(0))
    } throws: { error in
      (error as? DeviceError).map { $0.errno == 22 && $0.call == "netlink(RTM_GETLINK)" }
        ?? false
    }
    #expect(throws: DeviceError.self) { try socket.ipv4Addresses(of: .index(0)) }
  }

  @Test func aClosedSocketThrowsBadDescriptor() throws {
    let socket = try NetlinkSocket.open()
    #expect(socket.isOpen)
    try socket.close()
    #expect(!socket.isOpen)
    #expect(
      throws: DeviceError(call: "netlink(RTM_GETLINK)", errno: 9, detail: "socket closed")
    ) {
      try socket.links()
    }
  }

  @Test func readsTheLoopbackLinkOfThisNamespace() throws {
    let socket = try NetlinkSocket.open()
    defer { try? socket.close() }
    let loopback = try socket.link(.name("lo"))
    #expect(loopback.index == 1 && loopback.kind == nil)
    #expect(try socket.link(.index(1)) == loopback)
  }
}

/// Real links in a private network namespace per test. Root only.
@Suite(.enabled(if: namespaceSkipReason == nil, Comment(rawValue: namespaceSkipReason ?? "")))
struct NetlinkSocketNamespaceTests {
  @Test func aNewNamespaceHasOnlyLoopbackAndNoRoutes() throws {
    try inPrivateNetworkNamespace { socket in
      let links = try socket.links()
      #expect(links.map(\.name) == ["lo"])
      #expect(try socket.defaultRoute() == nil)
      #expect(try socket.ipv4Addresses().isEmpty)
      #expect {
        try socket.route(to: benchmarkAddress(1, 1))
      } throws: { error in
        (error as? DeviceError).map { $0.errno == 101 && $0.call == "netlink(RTM_GETROUTE)" }
          ?? false
      }
      #expect(
        throws: DeviceError(call: "netlink(RTM_GETLINK)", errno: 19, detail: "link name usnx0")
      ) {
        try socket.link(.name("usnx0"))
      }
    }
  }
}
