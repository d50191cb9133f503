import Foundation
import Synchronization
import Testing
import UsnetDevice
import UsnetSockets
import UsnetStack
import UsnetWire

#if canImport(Glibc)
  import Glibc
#endif

extension InteropTests {
  /// A ``UserspaceRuntime`` on an AF_PACKET socket (``PacketFrameDevice``), moving a few MB
  /// each way over TCP with the kernel's TCP, answering the kernel's ping, and never seeing
  /// frames for another MAC.
  ///
  /// Topology (lab notes' `va-raw`): a thread of this process moves into a private network
  /// namespace, creates the veth pair `va`/`vb` there, moves `vb` into a named namespace
  /// (`usnet-sim-<pid>-<random>`) with the kernel's address 198.18.x.2/24 and a python3 TCP
  /// server, and opens the device on `va`, which has no address: the stack is 198.18.x.12/24
  /// with its own MAC. The peer keeps its offloads on, so with PACKET_VNET_HDR GSO and
  /// NEEDS_CSUM frames reach the stack; without the header they are turned off (lab note G4).
  /// The private namespace vanishes with the device, and the named one is deleted on exit,
  /// also when the test fails. Root only; skipped with the reason otherwise.
  @Suite
  struct PacketRuntimeInteropTests {
    /// How the socket is opened.
    enum Mode: String, CaseIterable, Sendable, CustomTestStringConvertible {
      /// Virtio-net header, TPACKET_V3 receive ring and transmit ring.
      case rings
      /// Virtio-net header, plain reads (8 MB receive buffer) and `writev`.
      case plain
      /// Rings without the header: the peer's offloads go off.
      case ringsWithoutHeader

      var testDescription: String { rawValue }
    }

    /// Bytes each way.
    static let transferSize = 2 * 1024 * 1024

    @Test(.timeLimit(.minutes(1)), arguments: Mode.allCases)
    func kernelTCPPingAndFiltering(mode: Mode) throws {
      let subnet = UInt8(100 + getpid() % 100)
      let kernelAddress = "198.18.\(subnet).2"
      let kernelSide = try NamespaceLab()
      defer { kernelSide.destroy() }
      for setting in ["all", "default"] {
        try kernelSide.exec(["sysctl", "-qw", "net.ipv6.conf.\(setting).disable_ipv6=1"])
      }
      let stackAddress = MACAddress(0x02, 0x00, 0xC6, 0x12, subnet, 0x0C)
      let device = try Self.openDevice(
        mode: mode, hardwareAddress: stackAddress, peerNamespace: kernelSide.name)
      try kernelSide.exec(["ip", "link", "set", "lo", "up"])
      try kernelSide.exec(["ip", "addr", "add", "\(kernelAddress)/24", "dev", "vb"])
      if mode == .ringsWithoutHeader {
        try kernelSide.exec(["ethtool", "-K", "vb", "tx", "off", "tso", "off", "gso", "off"])
      }
      try kernelSide.exec(["ip", "link", "set", "vb", "up"])

      let server = try KernelExchange.startServer(
        in: kernelSide, address: kernelAddress, download: Self.transferSize)

      let configuration = StackConfiguration(
        interface: InterfaceConfiguration(
          macAddress: stackAddress,
          addresses: [
            try #require(
              IPv4Network(address: IPv4Address(198, 18, subnet, 12), prefixLength: 24))
          ],
          mtu: device.mtu))
      let runtime = try UserspaceRuntime(configuration: configuration, device: device)
      defer { runtime.shutdown() }
      #expect(runtime.interface.transmitOffloads == device.transmitOffloads)

      try KernelExchange.run(
        on: runtime, to: try #require(IPv4Address(kernelAddress)), upload: Self.transferSize,
        download: Self.transferSize)
      _ = server.waitForExit(timeout: .seconds(2))

      // The kernel pings the stack, then 20 frames go to a MAC that is not the stack's: the
      // filter keeps them out (a few unrelated frames may still arrive meanwhile).
      try kernelSide.exec(["ping", "-c", "3", "-i", "0.2", "-W", "2", "198.18.\(subnet).12"])
      try kernelSide.exec([
        "ip", "neigh", "replace", "198.18.\(subnet).99", "lladdr", "02:00:c6:12:00:63", "dev",
        "vb", "nud", "permanent",
      ])
      let before = try device.readStatistics()
      _ = try? kernelSide.exec(["ping", "-c", "20", "-i", "0.01", "-W", "1", "198.18.\(subnet).99"])
      usleep(50_000)
      let after = try device.readStatistics()
      #expect(after.frames.framesReceived - before.frames.framesReceived < 5)
      #expect(after.socket.packets - before.socket.packets < 5)

      let statistics = after.frames
      let counters = try runtime.counters()
      print(
        """
        Packet runtime interop (\(mode.rawValue)), namespace \(kernelSide.name): header \
        \(device.virtioNetHeaderLength) B, rings \(device.rings != nil), offloads \
        \(device.transmitOffloads.rawValue); received \(statistics.framesReceived) frames \
        (largest \(statistics.largestFrameReceived) B, \(statistics.coalescedFramesReceived) GSO, \
        \(statistics.framesWithPartialChecksum) NEEDS_CSUM); sent \(statistics.framesSent) \
        (\(statistics.segmentationFramesSent) TSO, largest \(statistics.largestFrameSent) B); \
        kernel \(after.socket.packets) past the filter, \(after.socket.drops) dropped, \
        \(after.socket.outgoingSkipped) outgoing skipped; stack drops \(counters.nonZeroDrops), \
        \(counters.tcpRetransmissions) retransmissions
        """)
      #expect(counters[.malformedTCP] == 0)
      #expect(counters[.ipv4BadChecksum] == 0)
      #expect(after.socket.corruptBlocks == 0)
      if mode == .ringsWithoutHeader {
        #expect(device.virtioNetHeaderLength == 0)
        #expect(device.transmitOffloads.isEmpty)
        #expect(statistics.largestFrameReceived <= 1514)
        #expect(statistics.segmentationFramesSent == 0)
      } else {
        #expect(device.virtioNetHeaderLength == VirtioNetHeader.length)
        #expect(device.transmitOffloads == [.tcpChecksum, .tcpSegmentation])
        #expect(
          statistics.coalescedFramesReceived > 0 || statistics.framesWithPartialChecksum > 0,
          "no GSO or NEEDS_CSUM frame arrived")
        #expect(counters.framesWithTrustedChecksum > 0)
        #expect(statistics.segmentationFramesSent > 0)
      }
    }

    /// On a new thread in a private network namespace: creates `va`/`vb`, moves `vb` into
    /// `peerNamespace`, brings `va` up without IPv6, and opens the device on it. The namespace
    /// lives on in the device's socket.
    private static func openDevice(
      mode: Mode, hardwareAddress: MACAddress, peerNamespace: String
    ) throws -> PacketFrameDevice {
      let outcome = Mutex<Result<PacketFrameDevice, any Error>?>(nil)
      let finished = DispatchSemaphore(value: 0)
      let thread = Thread {
        let result = Result<PacketFrameDevice, any Error> {
          try NetworkNamespace.unshareCurrentThread()
          let netlink = try NetlinkSocket.open()
          defer { try? netlink.close() }
          _ = try netlink.createVethPair(named: "va", peerNamed: "vb")
          // A child process starts in the namespace of the thread that spawned it.
          try NamespaceLab.run(["ip", "link", "set", "vb", "netns", peerNamespace])
          try "1\n".write(
            toFile: "/proc/sys/net/ipv6/conf/va/disable_ipv6", atomically: false, encoding: .utf8)
          try netlink.setLink(.name("va"), up: true)
          return try PacketFrameDevice(
            interface: .name("va"), hardwareAddress: hardwareAddress,
            virtioNetHeader: mode != .ringsWithoutHeader,
            rings: mode == .plain ? nil : .standard)
        }
        outcome.withLock { $0 = result }
        finished.signal()
      }
      thread.start()
      finished.wait()
      return try #require(outcome.withLock { $0 }).get()
    }
  }
}
