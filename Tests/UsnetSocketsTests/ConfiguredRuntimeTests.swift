import Foundation
import Testing
import UsnetDevice
import UsnetSockets
import UsnetStack
import UsnetWire

#if canImport(Glibc)
  import Glibc
#endif

/// Runtimes started from `USNET_SOCKETS`: the errors without root or for devices not built,
/// and (as root, in a private network namespace) a created TAP that the kernel answers on.
@Suite("Runtimes from configuration")
struct ConfiguredRuntimeTests {
  @Test("a missing USNET_SOCKETS is invalidInput naming the variable")
  func missingConfiguration() {
    let error = expectNetError(.invalidInput) { () throws(NetError) in
      try UserspaceRuntime.fromEnvironment([:])
    }
    #expect(error?.message.hasPrefix("USNET_SOCKETS: (not set) is not accepted") == true)
  }

  @Test("usnetd, not built yet, says so")
  func usnetdNotBuilt() {
    let json =
      #"{"UsnetConfig":{"Interface":{"interface":"DiscoverFromRoute","#
      + #""ipc":"UnixDomainSocket","mac":"Passthru","ipv4":"Passthru"}}}"#
    let error = expectNetError(.unsupported) { () throws(NetError) in
      try SingleThreadRuntime.fromEnvironment(["USNET_SOCKETS": json])
    }
    let message = "UsnetConfig: the usnetd switch daemon (a later issue) is not built yet"
    #expect(error?.message.hasPrefix(message) == true, "\(error?.message ?? "")")
  }

  @Test(
    "a created TAP gets the kernel's host_ip; the stack pings it and connects to it",
    .enabled(if: getuid() == 0, "needs root: creates a TAP in a private network namespace"))
  func createdTAP() throws {
    let json =
      #"{"TapConfig":{"Create":{"mac":"Random","ipv4":{"Static":{"ipv4":"198.18.7.2","sub":24,"#
      + #""gateway":"198.18.7.1"}},"host_ip":"198.18.7.1"}}}"#
    let outcome = TestBox<String>()
    let thread = TestThread {
      try NetworkNamespace.unshareCurrentThread()
      let runtime = try UserspaceRuntime.fromEnvironment([
        "USNET_SOCKETS": json, "USNET_KERNEL_TWIN": "off",
      ])
      defer { runtime.shutdown() }
      #expect(runtime.interface.addresses.first?.address == IPv4Address(198, 18, 7, 2))
      let host = IPv4Address(198, 18, 7, 1)
      // ARP and the TAP's carrier may take a moment: retry the first ping.
      var answer: PingReply?
      for sequence in 1...5 where answer == nil {
        answer = try? runtime.ping(host, sequence: UInt16(sequence), timeout: .seconds(1))
      }
      let listener = try HostTCPListener.bind(to: .v4(host, port: 0), backlog: nil)
      let stream = try UserspaceTCPStream.connect(
        to: listener.localAddress, timeout: .seconds(5), on: runtime)
      let (accepted, _) = try listener.accept()
      try stream.writeAll([1, 2, 3])
      var received = [UInt8](repeating: 0, count: 3)
      try accepted.readExact(into: &received)
      outcome.set("ping \(answer?.reply.source.description ?? "none"), data \(received)")
    }
    try thread.join()
    #expect(outcome.value == "ping 198.18.7.1, data [1, 2, 3]")
  }

  @Test(
    "a MacVtapConfig creates a bridge macvtap on the parent; the kernel answers; shutdown removes it",
    .enabled(if: getuid() == 0, "needs root: creates links in a private network namespace"))
  func createdMacvtap() throws {
    let json =
      #"{"MacVtapConfig":{"Create":{"mac":"Random","parent":{"Interface":"usnet-va"},"#
      + #""ipv4":{"Static":{"ipv4":"198.18.8.2","sub":24,"gateway":"198.18.8.1"}}}}}"#
    let outcome = TestBox<String>()
    let thread = TestThread {
      try NetworkNamespace.unshareCurrentThread()
      let netlink = try NetlinkSocket.open()
      defer { try? netlink.close() }
      _ = try netlink.createVethPair(named: "usnet-va", peerNamed: "usnet-vb")
      try netlink.setLink(.name("usnet-va"), up: true)
      try netlink.setLink(.name("usnet-vb"), up: true)
      try netlink.addIPv4Address(
        IPv4Address(198, 18, 8, 1).rawValue, prefixLength: 24, to: .name("usnet-vb"))
      let runtime = try UserspaceRuntime.fromEnvironment([
        "USNET_SOCKETS": json, "USNET_KERNEL_TWIN": "off",
      ])
      var answer: PingReply?
      for sequence in 1...5 where answer == nil {
        answer = try? runtime.ping(
          IPv4Address(198, 18, 8, 1), sequence: UInt16(sequence), timeout: .seconds(1))
      }
      let kinds = try netlink.links().compactMap(\.kind).sorted()
      // Shutting the runtime down deletes the macvtap it created.
      runtime.shutdown()
      let after = try netlink.links().compactMap(\.kind).sorted()
      outcome.set(
        "ping \(answer?.reply.source.description ?? "none"), kinds \(kinds), after \(after)")
    }
    try thread.join()
    #expect(
      outcome.value
        == "ping 198.18.8.1, kinds [\"macvtap\", \"veth\", \"veth\"], after [\"veth\", \"veth\"]")
  }
}
