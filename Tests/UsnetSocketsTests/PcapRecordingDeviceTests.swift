import Synchronization
import Testing
import UsnetPcap
import UsnetSockets
import UsnetStack
import UsnetTestSupport
import UsnetWire

@Suite("USNET_PCAP recording")
struct PcapRecordingDeviceTests {
  @Test("every frame a runtime sends and receives is in the file, in order, unchanged")
  func recordsBothDirections() throws {
    let scratch = try ScratchDirectory(prefix: "usnet-pcap-recording")
    let path = scratch.path("a.pcap")
    let devices = MemoryDevicePair()
    defer { devices.disconnect() }
    let recording = try PcapRecordingDevice(recording: devices.a, to: path)
    let a = try UserspaceRuntime(
      configuration: UserspacePair.configuration(mac: 1, ip: UserspacePair.ipA),
      device: recording)
    let b = try UserspaceRuntime(
      configuration: UserspacePair.configuration(mac: 2, ip: UserspacePair.ipB),
      device: devices.b)
    let payload: [UInt8] = Array(repeating: 0x5A, count: 100)
    _ = try a.ping(UserspacePair.ipB, sequence: 1, payload: payload)
    a.shutdown()
    b.shutdown()
    recording.finish()
    #expect(recording.recordingFailure == nil)
    let records = try PcapReader(path: path).readAll()
    // ARP request, ARP reply, echo request, echo reply.
    #expect(records.count == 4)
    #expect(records.count == recording.framesRecorded)
    let etherTypes = records.map { Array($0.bytes[12..<14]) }
    #expect(etherTypes == [[0x08, 0x06], [0x08, 0x06], [0x08, 0x00], [0x08, 0x00]])
    #expect(records.last.map { Array($0.bytes.suffix(100)) } == payload)
    #expect(records.allSatisfy { $0.timestampNanoseconds > 1_700_000_000 * 1_000_000_000 })
  }

  @Test("flush reaches the wrapped device, whose transmit ring sends nothing until then")
  func forwardsFlush() throws {
    let scratch = try ScratchDirectory(prefix: "usnet-pcap-flush")
    let ring = FlushCountingDevice()
    let recording = try PcapRecordingDevice(recording: ring, to: scratch.path("f.pcap"))
    try recording.flush()
    try recording.flush()
    recording.finish()
    #expect(ring.flushes.withLock { $0 } == 2)
  }

  @Test("a file that cannot be created is invalidInput naming USNET_PCAP")
  func unwritablePath() {
    let devices = MemoryDevicePair()
    defer { devices.disconnect() }
    let error = expectNetError(.invalidInput) { () throws(NetError) in
      try PcapRecordingDevice(recording: devices.a, to: "/nonexistent-dir/x.pcap")
    }
    #expect(error?.message.hasPrefix("USNET_PCAP: cannot create /nonexistent-dir/x.pcap") == true)
  }

  @Test("USNET_PCAP is read from the environment; an empty value is refused")
  func configuration() throws {
    let raw = #""RawConfig""#
    let configuration = try SocketsConfiguration(
      environment: ["USNET_SOCKETS": raw, "USNET_PCAP": "/tmp/x.pcap"], cpuCount: 1)
    #expect(configuration.pcapPath == "/tmp/x.pcap")
    #expect(
      try SocketsConfiguration(environment: configuration.environment, cpuCount: 1)
        == configuration)
    #expect(configuration.description.hasSuffix(" USNET_PCAP=/tmp/x.pcap"))
    #expect(throws: ConfigurationError.self) {
      try SocketsConfiguration(environment: ["USNET_SOCKETS": raw, "USNET_PCAP": ""])
    }
  }
}

/// A device that only counts ``flush()`` calls, standing for one with a transmit ring.
private final class FlushCountingDevice: FrameDevice {
  let flushes = Mutex(0)

  func send(_ frame: [UInt8]) throws(NetError) {}
  func receive(into frames: inout [[UInt8]], limit: Int) throws(NetError) -> Int { 0 }
  func wait(until deadline: ContinuousClock.Instant?) throws(NetError) {}
  func wake() {}
  func flush() throws(NetError) { flushes.withLock { $0 += 1 } }
}
