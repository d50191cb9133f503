import Foundation
import Testing
import UsnetDevice
import UsnetSim
import UsnetStack
import UsnetWire

#if canImport(Glibc)
  import Glibc
#endif

/// The kernel's TCP behind a TAP bridge port with 1 % loss each way, talking to a UsnetStack
/// on the simulated switch, in real time.
///
/// Topology: a fresh namespace `usnet-sim-<pid>-<random>` holds the TAP (198.18.x.2/24, opened
/// by this process and moved in; the fd stays attached) and a python3 TCP server. The stack
/// (198.18.x.1/24) sits on one switch port, the TAP bridge on another with Bernoulli 1 % loss
/// in both directions (seeded). Nothing else is routed: 198.18.x.0/24 exists only in the
/// namespace. Root only; skipped with the reason otherwise.
@Suite(
  .enabled(if: interopSkipReason == nil, Comment(rawValue: interopSkipReason ?? "")),
  .serialized)
struct TAPBridgeInteropTests {
  /// Bytes the stack sends to the kernel.
  static let upload = 2 * 1024 * 1024
  /// Bytes the kernel sends back.
  static let download = 1024 * 1024

  /// The kernel side: accept one connection, read to EOF, answer
  /// "<bytes> <sha256> <reply bytes> <reply sha256>\n" and the reply, then close.
  static let server = """
    import hashlib, signal, socket, sys
    signal.alarm(45)
    host, port, reply_size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, port))
    listener.listen(1)
    print("READY", flush=True)
    connection, peer = listener.accept()
    connection.settimeout(30)
    digest, count = hashlib.sha256(), 0
    while True:
        chunk = connection.recv(1 << 16)
        if not chunk:
            break
        digest.update(chunk)
        count += len(chunk)
    reply = hashlib.shake_256(b"usnet-tap-interop").digest(reply_size)
    header = "%d %s %d %s\\n" % (
        count, digest.hexdigest(), len(reply), hashlib.sha256(reply).hexdigest())
    connection.sendall(header.encode() + reply)
    connection.shutdown(socket.SHUT_WR)
    while connection.recv(1 << 16):
        pass
    connection.close()
    print("DONE %d" % count, flush=True)
    """

  /// Worst case (every phase runs into its limit): about 5 + 10 + 30 + 2 s, under a minute.
  @Test(.timeLimit(.minutes(1)))
  func kernelTCPThroughLossyBridge() throws {
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

    let python = try #require(NamespaceLab.python)
    let server = try lab.spawn(
      "server", [python, "-c", Self.server, kernelAddress, "\(port)", "\(Self.download)"])
    try #require(
      server.waitForOutput("READY", timeout: .seconds(5)),
      "server did not start: \(server.errorOutput)")

    // The switch: the stack on port 0, the bridge on port 1 with 1 % loss both ways.
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
    bridgePort.setImpairments(LinkImpairments(loss: .bernoulli(0.01)))
    let driver = RealTimeDriver(simulation: simulation, bridge: bridge)

    // Connect (ARP and SYN may be lost too, and the TAP needs a moment after coming up: G3).
    let kernel = try #require(IPv4Address(kernelAddress))
    let client = try stack.connect(to: kernel, port: port, at: simulation.now)
    let connected = try driver.run(for: .seconds(10)) {
      stack.info(client)?.state == .established
    }
    try #require(connected, "no connection: \(String(describing: stack.info(client)))")

    // Upload 2 MiB, shut down writing, then read the kernel's report and 1 MiB reply to EOF.
    var payload = [UInt8](repeating: 0, count: Self.upload)
    var generator = SeededRandom(seed: 7)
    for index in payload.indices { payload[index] = UInt8(truncatingIfNeeded: generator.next()) }
    var sentHash = SHA256()
    sentHash.update(payload, range: 0..<payload.count)
    var sent = 0
    var shutDown = false
    var response: [UInt8] = []
    response.reserveCapacity(Self.download + 256)
    var readBuffer = [UInt8](repeating: 0, count: 65536)
    var endOfStream = false
    var failure: String?
    let uploadStart = simulation.now
    var firstResponse: Instant?
    var responseEnd = uploadStart
    let finished = try driver.run(for: .seconds(30)) {
      let now = simulation.now
      do throws(StackError) {
        while sent < payload.count {
          let taken = try stack.send(client, payload, range: sent..<payload.count, at: now)
          if taken == 0 { break }
          sent += taken
        }
        if sent == payload.count && !shutDown {
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
          response.append(contentsOf: readBuffer[0..<count])
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
      finished && endOfStream, "transfer did not finish: \(sent) sent, \(response.count) received")

    // "<bytes> <sha256> <reply bytes> <reply sha256>\n" then the reply.
    let newline = try #require(response.firstIndex(of: 0x0a), "no report from the server")
    let fields = String(decoding: response[0..<newline], as: UTF8.self).split(separator: " ")
    try #require(fields.count == 4, "bad report: \(fields)")
    let reply = Array(response[(newline + 1)...])
    var replyHash = SHA256()
    replyHash.update(reply, range: 0..<reply.count)
    #expect(Int(fields[0]) == Self.upload)
    #expect(String(fields[1]) == sentHash.hexDigest())
    #expect(Int(fields[2]) == Self.download)
    #expect(reply.count == Self.download)
    #expect(String(fields[3]) == replyHash.hexDigest())

    // Report.
    let uploadTime = (firstResponse ?? responseEnd) - uploadStart
    let downloadTime = responseEnd - (firstResponse ?? responseEnd)
    let counters = stack.counters
    let toKernel = bridgePort.toEndpointCounters
    let fromKernel = bridgePort.toSwitchCounters
    print(
      """
      TAP bridge interop (1 % loss each way), namespace \(lab.name), TAP \(tapName):
        stack -> kernel: \(Self.upload) B in \(seconds(uploadTime)) s = \
      \(megabits(Self.upload, uploadTime)) Mbit/s; link lost \(toKernel.lost) of \
      \(toKernel.offered) frames
        kernel -> stack: \(reply.count) B in \(seconds(downloadTime)) s = \
      \(megabits(reply.count, downloadTime)) Mbit/s; link lost \(fromKernel.lost) of \
      \(fromKernel.offered) frames
        stack: \(counters.tcpRetransmissions) retransmissions, \(counters.tcpFastRetransmits) \
      fast retransmits, \(counters.tcpTimeouts) timeouts
        kernel: \(kernelRetransmissions.map(snmpRetransmissions) ?? "?") retransmitted segments
        bridge: \(bridge.counters); driver rounds \(driver.rounds)
        wall time \(seconds(ContinuousClock.now - wallStart)) s
      """)
    #expect(bridge.counters.writeErrors == 0)
    #expect(toKernel.lost > 0 && fromKernel.lost > 0)
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
