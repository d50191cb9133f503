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

  @Test(
    "devices this build cannot open say so",
    arguments: [
      (#""RawConfig""#, "RawConfig: an AF_PACKET device is not built yet"),
      (
        #"{"UsnetConfig":{"Interface":{"interface":"DiscoverFromRoute","#
          + #""ipc":"UnixDomainSocket","mac":"Passthru","ipv4":"Passthru"}}}"#,
        "UsnetConfig: the usnetd switch daemon (a later issue) is not built yet"
      ),
    ])
  func notBuilt(json: String, message: String) {
    let error = expectNetError(.unsupported) { () throws(NetError) in
      try SingleThreadRuntime.fromEnvironment(["USNET_SOCKETS": json])
    }
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
}
