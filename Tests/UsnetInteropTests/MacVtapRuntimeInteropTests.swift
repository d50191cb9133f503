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
  /// A ``UserspaceRuntime`` on a ``MacVtapFrameDevice`` against the kernel: ARP, the kernel
  /// pinging the stack, and a few MB each way over TCP; bridge and passthru mode, with and
  /// without offloads, and attached to an existing macvtap.
  ///
  /// Topology: namespace A (`usnet-sim-<pid>-<random>`) holds the veth end `va` and the macvtap
  /// on it, which the device creates on a thread inside A (netlink and the macvtap's private
  /// sysfs are that thread's namespace's; the process's own `/sys` shows another, lab note
  /// G2); namespace B holds `vb` with the kernel's address 198.19.x.2/24 and a python3 TCP
  /// server. The stack is 198.19.x.1/24 with the macvtap's MAC; nothing is routed anywhere
  /// else. Both namespaces are deleted on exit, also when the test fails. Root only; skipped
  /// with the reason otherwise.
  @Suite
  struct MacVtapRuntimeInteropTests {
    /// Whether the device keeps the virtio-net header and asks for offloads.
    enum Offloads: String, CaseIterable, Sendable, CustomTestStringConvertible {
      /// Virtio-net header, checksum offload and TSO4 (GRO'd, NEEDS_CSUM frames arrive).
      case on
      /// No virtio-net header (cleared with TUNSETIFF, lab note G1), so no offloads.
      case off

      var testDescription: String { "offloads \(rawValue)" }
    }

    /// The macvtap's name in namespace A.
    static let macvtapName = "umvt0"

    @Test(.timeLimit(.minutes(1)), arguments: [MacvtapMode.bridge, .passthru], Offloads.allCases)
    func arpPingAndKernelTCPBothWays(mode: MacvtapMode, offloads: Offloads) throws {
      let subnet = UInt8(getpid() % 100)
      let kernelAddress = "198.19.\(subnet).2"
      try withLab(kernelAddress: kernelAddress) { usnetSide, kernelSide in
        let server = try KernelExchange.startServer(in: kernelSide, address: kernelAddress)

        let requested = mode == .bridge ? MACAddress(0x02, 0x00, 0xc6, 0x13, subnet, 0x0b) : nil
        let (device, parentAddress) = try usnetSide.runInside {
          let device = try MacVtapFrameDevice(
            creating: Self.macvtapName, on: "va", mode: mode, macAddress: requested,
            virtioNetHeader: offloads == .on,
            offloads: offloads == .on ? TAPFrameDevice.defaultOffloadPreferences : [])
          let socket = try NetlinkSocket.open()
          defer { try? socket.close() }
          return (device, try socket.link(.name("va")).hardwareAddress)
        }
        #expect(device.ownsLink && device.name == Self.macvtapName)
        #expect(device.link.kind == "macvtap" && device.link.macvtapMode == mode)
        #expect(device.link.isUp && device.mtu == 1500)
        if let requested {
          #expect(device.macAddress == requested)
        } else {
          #expect(parentAddress.map { MACAddress(reading: $0, at: 0) } == device.macAddress)
        }

        let result = try exchange(
          over: device, subnet: subnet, kernel: kernelSide, kernelAddress: kernelAddress)
        try device.close()
        _ = server.waitForExit(timeout: .seconds(2))
        #expect(throws: DeviceError.self) {
          try usnetSide.runInside { try NetlinkSocket.open().link(.name(Self.macvtapName)) }
        }

        print(
          "macvtap runtime interop (\(mode), \(offloads.rawValue)), namespaces \(usnetSide.name) "
            + "and \(kernelSide.name): \(result.summary)")
        switch offloads {
        case .on: result.expectOffloaded()
        case .off: result.expectNotOffloaded(headerLength: 0)
        }
      }
    }

    @Test(.timeLimit(.minutes(1)))
    func attachingToAnExistingMacvtapLeavesItInPlace() throws {
      let subnet = UInt8(getpid() % 100)
      try withLab(kernelAddress: "198.19.\(subnet).2") { usnetSide, kernelSide in
        let (device, existing) = try usnetSide.runInside {
          let socket = try NetlinkSocket.open()
          defer { try? socket.close() }
          let created = try socket.createMacvtap(
            named: Self.macvtapName, on: .name("va"), mode: .bridge)
          try socket.setLink(.index(created.index), up: true)
          return (try MacVtapFrameDevice(attachingTo: Self.macvtapName), created)
        }
        #expect(!device.ownsLink && device.link.index == existing.index)
        #expect(device.link.hardwareAddress == existing.hardwareAddress)
        #expect(device.virtioNetHeaderLength == VirtioNetHeader.length)
        try answerARPAndPing(over: device, subnet: subnet, kernel: kernelSide)
        try device.close()
        let remaining = try usnetSide.runInside {
          try NetlinkSocket.open().link(.name(Self.macvtapName))
        }
        #expect(remaining.index == existing.index)
      }
    }

    /// Namespaces A and B joined as ``connect(usnet:kernel:kernelAddress:)`` says, for `body`.
    /// Cleanup order (lab note G11): `body` releases its runtime and device, then the
    /// processes in the namespaces are killed and the namespaces deleted, also when it throws.
    private func withLab(
      kernelAddress: String, _ body: (NamespaceLab, NamespaceLab) throws -> Void
    ) throws {
      let usnetSide = try NamespaceLab()
      defer { usnetSide.destroy() }
      let kernelSide = try NamespaceLab()
      defer { kernelSide.destroy() }
      try connect(usnet: usnetSide, kernel: kernelSide, kernelAddress: kernelAddress)
      try body(usnetSide, kernelSide)
    }

    /// Namespace A: the veth end `va`, up, without addresses; namespace B: `vb` with the
    /// kernel's address. IPv6 is off in both, so nothing but the test's traffic crosses.
    private func connect(
      usnet: NamespaceLab, kernel: NamespaceLab, kernelAddress: String
    ) throws {
      try usnet.isolate()
      try kernel.isolate()
      try usnet.addVethPair(peer: kernel, peerAddress: kernelAddress)
      try usnet.exec(["ip", "link", "set", "va", "up"])
    }

    /// A runtime for 198.19.`subnet`.1/24 on `device`, with its MAC and MTU.
    private func makeRuntime(
      on device: MacVtapFrameDevice, subnet: UInt8
    ) throws -> UserspaceRuntime {
      let configuration = StackConfiguration(
        interface: InterfaceConfiguration(
          macAddress: device.macAddress,
          addresses: [
            try #require(IPv4Network(address: IPv4Address(198, 19, subnet, 1), prefixLength: 24))
          ],
          mtu: device.mtu))
      let runtime = try UserspaceRuntime(configuration: configuration, device: device)
      #expect(runtime.interface.transmitOffloads == device.transmitOffloads)
      return runtime
    }

    /// Runs a runtime on `device` while the kernel pings it and the ``KernelExchange``
    /// runs, and shuts the runtime down again.
    private func exchange(
      over device: MacVtapFrameDevice, subnet: UInt8, kernel: NamespaceLab, kernelAddress: String
    ) throws -> DeviceTransferResult {
      let runtime = try makeRuntime(on: device, subnet: subnet)
      defer { runtime.shutdown() }
      try expectARPAndPing(from: kernel, to: IPv4Address(198, 19, subnet, 1), at: device)
      try KernelExchange.run(on: runtime, to: try #require(IPv4Address(kernelAddress)))
      return DeviceTransferResult(
        statistics: device.statistics, counters: try runtime.counters(),
        headerLength: device.virtioNetHeaderLength, offloads: device.offloads)
    }

    /// Runs a runtime on `device` while the kernel pings it.
    private func answerARPAndPing(
      over device: MacVtapFrameDevice, subnet: UInt8, kernel: NamespaceLab
    ) throws {
      let runtime = try makeRuntime(on: device, subnet: subnet)
      defer { runtime.shutdown() }
      try expectARPAndPing(from: kernel, to: IPv4Address(198, 19, subnet, 1), at: device)
    }

    /// The kernel in `kernel` resolves `address` by ARP to the device's MAC and gets three
    /// echo replies from the stack.
    private func expectARPAndPing(
      from kernel: NamespaceLab, to address: IPv4Address, at device: MacVtapFrameDevice
    ) throws {
      let output = try kernel.exec(["ping", "-c", "3", "-i", "0.2", "-w", "10", "\(address)"])
      #expect(output.contains("3 received"), "\(output)")
      let neighbour = try kernel.exec(["ip", "neigh", "show", "\(address)", "dev", "vb"])
      #expect(neighbour.contains("lladdr \(device.macAddress)"), "\(neighbour)")
    }
  }
}
