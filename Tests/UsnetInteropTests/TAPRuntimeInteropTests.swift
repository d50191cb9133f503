import Foundation
import Testing
import UsnetDevice
import UsnetSockets
import UsnetStack
import UsnetWire

#if canImport(Glibc)
  import Glibc
#endif

extension InteropTests {
  /// A ``UserspaceRuntime`` on a real TAP, with and without the virtio-net header and offloads,
  /// moving a few MB each way over TCP with the kernel's TCP.
  ///
  /// Topology: namespace A (`usnet-sim-<pid>-<random>`) holds the TAP, a bridge and one end of
  /// a veth pair; namespace B holds the other end with the kernel's address 198.18.x.2/24 and a
  /// python3 TCP server. The TAP is opened by this process and moved into A (the fd stays
  /// attached, lab note G8); the runtime's stack is 198.18.x.1/24 behind it. Nothing is routed
  /// anywhere else. Both namespaces are deleted on exit, also when the test fails. Root only;
  /// skipped with the reason otherwise.
  @Suite
  struct TAPRuntimeInteropTests {
    /// How the TAP is opened.
    enum Mode: String, CaseIterable, Sendable, CustomTestStringConvertible {
      /// Virtio-net header, checksum offload and TSO4 (GRO'd, NEEDS_CSUM frames arrive).
      case offloads
      /// Virtio-net header, offloads refused (asked for none).
      case headerWithoutOffloads
      /// No virtio-net header at all.
      case noHeader

      var testDescription: String { rawValue }
    }

    @Test(.timeLimit(.minutes(1)), arguments: Mode.allCases)
    func kernelTCPBothWays(mode: Mode) throws {
      let subnet = UInt8(getpid() % 100)
      let tapName = "utr" + String(UInt32.random(in: 0...0xff_ffff), radix: 16)
      let kernelAddress = "198.18.\(subnet).2"
      // Cleanup order (lab note G11): the transfer releases the runtime and closes the TAP, then
      // the server is killed and the namespaces are deleted.
      let usnetSide = try NamespaceLab()
      defer { usnetSide.destroy() }
      let kernelSide = try NamespaceLab()
      defer { kernelSide.destroy() }
      try buildBridge(usnet: usnetSide, kernel: kernelSide, kernelAddress: kernelAddress)

      let server = try KernelExchange.startServer(in: kernelSide, address: kernelAddress)
      let result = try transfer(
        mode: mode, tapName: tapName, lab: usnetSide, subnet: subnet,
        kernel: try #require(IPv4Address(kernelAddress)))
      _ = server.waitForExit(timeout: .seconds(2))

      print(
        "TAP runtime interop (\(mode.rawValue)), namespaces \(usnetSide.name) and "
          + "\(kernelSide.name): \(result.summary)")
      switch mode {
      case .offloads:
        result.expectOffloaded()
      case .headerWithoutOffloads, .noHeader:
        result.expectNotOffloaded(headerLength: mode == .noHeader ? 0 : VirtioNetHeader.length)
      }
    }

    /// Namespace A: bridge `ubr` with the veth end `va`; namespace B: `vb` with the kernel's
    /// address. IPv6 is off in both, so nothing but the test's traffic crosses.
    private func buildBridge(
      usnet: NamespaceLab, kernel: NamespaceLab, kernelAddress: String
    ) throws {
      try usnet.isolate()
      try kernel.isolate()
      try usnet.exec(["ip", "link", "add", "ubr", "type", "bridge"])
      try usnet.addVethPair(peer: kernel, peerAddress: kernelAddress)
      try usnet.exec(["ip", "link", "set", "va", "master", "ubr"])
      try usnet.exec(["ip", "link", "set", "va", "up"])
      try usnet.exec(["ip", "link", "set", "ubr", "up"])
    }

    /// Opens the TAP, moves it into `lab`'s bridge, runs the runtime on it, runs the
    /// ``KernelExchange``, and shuts everything down again (the TAP closes before returning).
    private func transfer(
      mode: Mode, tapName: String, lab: NamespaceLab, subnet: UInt8, kernel: IPv4Address
    ) throws -> DeviceTransferResult {
      let tap = try TAPDevice.open(name: tapName, virtioNetHeader: mode != .noHeader)
      try NamespaceLab.run(["ip", "link", "set", tapName, "netns", lab.name])
      try lab.exec(["ip", "link", "set", tapName, "master", "ubr"])
      try lab.exec(["ip", "link", "set", tapName, "up"])
      let device = try TAPFrameDevice(
        device: tap,
        offloads: mode == .offloads ? TAPFrameDevice.defaultOffloadPreferences : [])
      waitUntilForwarding(lab: lab, port: tapName)

      let configuration = StackConfiguration(
        interface: InterfaceConfiguration(
          macAddress: MACAddress(0x02, 0x00, 0xc6, 0x12, subnet, 0x0a),
          addresses: [
            try #require(IPv4Network(address: IPv4Address(198, 18, subnet, 1), prefixLength: 24))
          ]))
      let runtime = try UserspaceRuntime(configuration: configuration, device: device)
      defer { runtime.shutdown() }
      #expect(runtime.interface.transmitOffloads == device.transmitOffloads)

      try KernelExchange.run(on: runtime, to: kernel)
      return DeviceTransferResult(
        statistics: device.statistics,
        counters: try runtime.counters(), headerLength: device.virtioNetHeaderLength,
        offloads: device.offloads)
    }

    /// Waits (up to 2 s) until the bridge forwards on `port` (state 3), so fewer early frames
    /// are lost (G3); the stack's retransmissions cover the rest.
    private func waitUntilForwarding(lab: NamespaceLab, port: String) {
      let end = ContinuousClock.now + .seconds(2)
      while ContinuousClock.now < end {
        let state = try? lab.exec(["cat", "/sys/class/net/\(port)/brport/state"])
        if state?.trimmingCharacters(in: .whitespacesAndNewlines) == "3" { return }
        usleep(10_000)
      }
    }
  }
}
