import Foundation
import Testing
import UsnetDevice
import UsnetSim
import UsnetStack
import UsnetWire

#if canImport(Glibc)
  import Glibc
#endif

extension InteropTests {
  /// The kernel's TCP behind a TAP bridge port with 1 % loss, or with reordering, each way,
  /// talking to a UsnetStack on the simulated switch, in real time: the ``KernelExchange``
  /// (SHA-256 both ways).
  ///
  /// Topology: a fresh namespace `usnet-sim-<pid>-<random>` holds the TAP (198.18.x.2/24, opened
  /// by this process and moved in; the fd stays attached) and a python3 TCP server. The stack
  /// (198.18.x.1/24) sits on one switch port, the TAP bridge on another with the impairment in
  /// both directions (seeded). Nothing else is routed: 198.18.x.0/24 exists only in the
  /// namespace. Root only; skipped with the reason otherwise.
  @Suite
  struct TAPBridgeInteropTests {
    /// Bytes each way. The switch and the stack run in this test process, unoptimized in debug
    /// builds, at some 50 Mbit/s; 20 MB keeps each case within seconds.
    static let size = 20_000_000

    /// What the bridge port's link does to frames in both directions.
    enum Impairment: String, CaseIterable, Sendable, CustomTestStringConvertible {
      /// Bernoulli loss of 1 %.
      case loss
      /// 5 % of the frames held back 2 ms, so later ones overtake them.
      case reordering

      var testDescription: String { rawValue }

      var link: LinkImpairments {
        switch self {
        case .loss: LinkImpairments(loss: .bernoulli(0.01))
        case .reordering:
          LinkImpairments(reorderProbability: 0.05, reorderDelay: .milliseconds(2))
        }
      }
    }

    @Test(.timeLimit(.minutes(2)), arguments: Impairment.allCases)
    func kernelTCPThroughImpairedBridge(impairment: Impairment) throws {
      let wallStart = ContinuousClock.now
      let subnet = UInt8(100 + Int(getpid() % 100))
      let tapName = "usimtap" + String(UInt32.random(in: 0...0xff_ffff), radix: 16)
      let kernelAddress = "198.18.\(subnet).2"
      let stackAddress = IPv4Address(198, 18, subnet, 1)
      let port: UInt16 = 5201

      // Cleanup order (lab note G11): kill the server, close the TAP, delete the namespace.
      let lab = try NamespaceLab()
      defer { lab.destroy() }
      let device = try TAPDevice.open(name: tapName)
      defer { try? device.close() }
      try NamespaceLab.run(["ip", "link", "set", tapName, "netns", lab.name])
      try NamespaceLab.run(
        ["ip", "-n", lab.name, "link", "set", tapName, "address", "02:00:c6:12:\(hex(subnet)):02"])
      _ = try? lab.exec(["sysctl", "-qw", "net.ipv6.conf.\(tapName).disable_ipv6=1"])
      try NamespaceLab.run(["ip", "-n", lab.name, "link", "set", "lo", "up"])
      try NamespaceLab.run(
        ["ip", "-n", lab.name, "addr", "add", "\(kernelAddress)/24", "dev", tapName])
      try NamespaceLab.run(["ip", "-n", lab.name, "link", "set", tapName, "up"])

      let server = try KernelExchange.startServer(
        in: lab, address: kernelAddress, port: port, download: Self.size)

      // The switch: the stack on port 0, the bridge on port 1, impaired both ways.
      let simulation = Simulation(seed: 0x7A9_B41D)
      var random = SeededRandom(seed: 42)
      let stack = try NetworkStack(
        configuration: StackConfiguration(
          interface: InterfaceConfiguration(
            macAddress: MACAddress(0x02, 0x00, 0xc6, 0x12, subnet, 0x01),
            addresses: [try #require(IPv4Network(address: stackAddress, prefixLength: 24))],
            mtu: 1500)),
        random: &random)
      simulation.attach(stack)
      let bridgePort = simulation.addPort()
      let bridge = TAPBridgeEndpoint(device: device)
      simulation.attach(bridge, to: bridgePort)
      bridgePort.setImpairments(impairment.link)
      let driver = RealTimeDriver(simulation: simulation, bridge: bridge)

      // Connect (ARP and SYN may be lost too, and the TAP needs a moment after coming up: G3).
      let kernel = try #require(IPv4Address(kernelAddress))
      let client = try stack.connect(to: kernel, port: port, at: simulation.now)
      let connected = try driver.run(for: .seconds(10)) {
        stack.info(client)?.state == .established
      }
      try #require(connected, "no connection: \(String(describing: stack.info(client)))")

      // Upload, shut down writing, then read the kernel's report and its reply to EOF.
      var block = [UInt8](repeating: 0, count: 65_521)
      var generator = SeededRandom(seed: 7)
      for index in block.indices { block[index] = UInt8(truncatingIfNeeded: generator.next()) }
      let sentDigest = try DigestPipe()
      var sent = 0
      var shutDown = false
      var report: [UInt8] = []
      var reply: DigestPipe?
      var readBuffer = [UInt8](repeating: 0, count: 65536)
      var endOfStream = false
      var failure: String?
      let uploadStart = simulation.now
      var firstResponse: Instant?
      var responseEnd = uploadStart
      let finished = try driver.run(for: .seconds(90)) {
        let now = simulation.now
        do {
          while sent < Self.size {
            let count = min(Self.size - sent, block.count - sent % block.count)
            let range = (sent % block.count)..<(sent % block.count + count)
            let taken = try stack.send(client, block, range: range, at: now)
            if taken == 0 { break }
            try sentDigest.update(block, range: range.lowerBound..<(range.lowerBound + taken))
            sent += taken
          }
          if sent == Self.size && !shutDown {
            try stack.shutdown(client, read: false, write: true, at: now)
            shutDown = true
          }
          while let count = try stack.receive(client, into: &readBuffer, at: now) {
            if count == 0 {
              endOfStream = true
              responseEnd = now
              break
            }
            if firstResponse == nil { firstResponse = now }
            if let reply {
              try reply.update(readBuffer, range: 0..<count)
            } else {
              report += readBuffer[0..<count]
              if let newline = report.firstIndex(of: 0x0a) {
                let pipe = try DigestPipe()
                try pipe.update(report, range: (newline + 1)..<report.count)
                report.removeSubrange(newline...)
                reply = pipe
              }
            }
          }
        } catch {
          failure = "\(error)"
          return true
        }
        return endOfStream
      }
      stack.close(client, at: simulation.now)
      _ = try driver.run(for: .milliseconds(300)) { false }
      let kernelRetransmissions = try? lab.exec(["cat", "/proc/net/snmp"])
        .split(separator: "\n").filter { $0.hasPrefix("Tcp:") }
        .map { $0.split(separator: " ") }
      // The server exits once the stack has closed; a stuck one is killed by lab.destroy().
      _ = server.waitForExit(timeout: .seconds(2))

      #expect(failure == nil, "socket call failed: \(failure ?? "")")
      #expect(
        finished && endOfStream,
        "transfer did not finish: \(sent) sent, \(reply?.count ?? 0) received")

      // "<bytes> <sha256> <reply sha256>\n" then the reply.
      let fields = String(decoding: report, as: UTF8.self).split(separator: " ")
      let received = try #require(reply, "no report from the server")
      try #require(fields.count == 3, "bad report: \(fields)")
      #expect(Int(fields[0]) == Self.size)
      #expect(String(fields[1]) == (try sentDigest.finish()), "the kernel received other bytes")
      #expect(received.count == Self.size)
      #expect(String(fields[2]) == (try received.finish()), "the stack received other bytes")

      // Report.
      let uploadTime = (firstResponse ?? responseEnd) - uploadStart
      let downloadTime = responseEnd - (firstResponse ?? responseEnd)
      let counters = stack.counters
      let toKernel = bridgePort.toEndpointCounters
      let fromKernel = bridgePort.toSwitchCounters
      print(
        """
        TAP bridge interop (\(impairment.rawValue) each way), namespace \(lab.name), TAP \(tapName):
          stack -> kernel: \(Self.size) B in \(seconds(uploadTime)) s = \
        \(megabits(Self.size, uploadTime)) Mbit/s; link lost \(toKernel.lost), reordered \
        \(toKernel.reordered) of \(toKernel.offered) frames
          kernel -> stack: \(received.count) B in \(seconds(downloadTime)) s = \
        \(megabits(received.count, downloadTime)) Mbit/s; link lost \(fromKernel.lost), \
        reordered \(fromKernel.reordered) of \(fromKernel.offered) frames
          stack: \(counters.tcpRetransmissions) retransmissions, \(counters.tcpFastRetransmits) \
        fast retransmits, \(counters.tcpTimeouts) timeouts
          kernel: \(kernelRetransmissions.map(snmpRetransmissions) ?? "?") retransmitted segments
          bridge: \(bridge.counters); driver rounds \(driver.rounds)
          wall time \(seconds(ContinuousClock.now - wallStart)) s
        """)
      #expect(bridge.counters.writeErrors == 0)
      switch impairment {
      case .loss: #expect(toKernel.lost > 0 && fromKernel.lost > 0)
      case .reordering: #expect(toKernel.reordered > 0 && fromKernel.reordered > 0)
      }
    }

    private func hex(_ byte: UInt8) -> String {
      let digits = String(byte, radix: 16)
      return digits.count == 1 ? "0" + digits : digits
    }

    private func seconds(_ duration: Duration) -> String {
      String(format: "%.3f", Double(duration.totalNanoseconds) / 1e9)
    }

    private func megabits(_ bytes: Int, _ duration: Duration) -> String {
      let seconds = Double(duration.totalNanoseconds) / 1e9
      return seconds > 0 ? String(format: "%.1f", Double(bytes) * 8 / seconds / 1e6) : "?"
    }

    /// RetransSegs from the two "Tcp:" lines of /proc/net/snmp (names, then values).
    private func snmpRetransmissions(_ lines: [[Substring]]) -> String {
      guard lines.count == 2, let index = lines[0].firstIndex(of: "RetransSegs"),
        index < lines[1].count
      else { return "?" }
      return String(lines[1][index])
    }
  }
}
