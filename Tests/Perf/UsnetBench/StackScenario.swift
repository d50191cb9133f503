import CAllocationCounter
import UsnetSim
import UsnetStack
import UsnetWire

/// A bulk transfer from one stack to another over a zero-latency in-memory link.
struct StackScenario {
  var name: String
  var mtu: Int
  var checksums: ChecksumPolicy

  func configuration(mac: MACAddress, ip: IPv4Address) throws -> StackConfiguration {
    guard let network = IPv4Network(address: ip, prefixLength: 24) else {
      throw BenchmarkError("bad address \(ip)")
    }
    var configuration = StackConfiguration(
      interface: InterfaceConfiguration(macAddress: mac, addresses: [network], mtu: mtu),
      checksums: checksums)
    configuration.tcp.sendBufferSize = 4 << 20
    configuration.tcp.receiveBufferSize = 4 << 20
    return configuration
  }

  /// Moves `bytes` from A to B. Allocations are counted after the first tenth of the
  /// transfer, once buffers and tables have reached their working size.
  func run(bytes: Int) throws -> BenchmarkResult {
    var random = SeededRandom(seed: 42)
    let a = try NetworkStack(
      configuration: configuration(
        mac: MACAddress(2, 0, 0, 0, 0, 1), ip: IPv4Address(198, 18, 0, 1)),
      random: &random)
    let b = try NetworkStack(
      configuration: configuration(
        mac: MACAddress(2, 0, 0, 0, 0, 2), ip: IPv4Address(198, 18, 0, 2)),
      random: &random)
    let link = StackPairLink(a, b)
    let listener = try b.listen(port: 5001, backlog: 1, at: link.now)
    let client = try a.connect(to: IPv4Address(198, 18, 0, 2), port: 5001, at: link.now)
    var server: TCPSocketID?
    _ = link.run(for: .seconds(5)) {
      if server == nil { server = try? b.accept(listener) }
      return server != nil && a.info(client)?.state == .established
    }
    guard let server else { throw BenchmarkError("handshake failed") }

    let chunk = [UInt8](repeating: 0x5a, count: 1 << 20)
    var readBuffer = [UInt8](repeating: 0, count: 1 << 20)
    var sent = 0
    var received = 0
    var failure: Error?
    let warmup = bytes / 10
    var steadyAllocationsStart: UInt64 = 0
    var steadySegmentsStart = 0
    var steady = false
    let wallStart = wallSeconds()
    let cpuStart = processCPUSeconds()
    let finished = link.run(for: .seconds(3600)) {
      do {
        if sent < bytes {
          sent += try a.send(
            client, chunk, range: 0..<Swift.min(chunk.count, bytes - sent), at: link.now)
        }
        while let count = try b.receive(server, into: &readBuffer, at: link.now), count > 0 {
          received += count
        }
      } catch {
        failure = error
        return true
      }
      if !steady && received >= warmup {
        steady = true
        steadyAllocationsStart = usnet_allocation_count()
        steadySegmentsStart = a.counters.tcpSegmentsSent
      }
      return received >= bytes
    }
    let cpu = processCPUSeconds() - cpuStart
    let wall = wallSeconds() - wallStart
    if let failure { throw failure }
    guard finished else { throw BenchmarkError("transfer did not finish") }
    let allocations = usnet_allocation_count() - steadyAllocationsStart
    let segments = a.counters.tcpSegmentsSent - steadySegmentsStart
    return BenchmarkResult(
      bytes: bytes, wall: wall, cpu: cpu, segments: segments, allocations: allocations)
  }
}
