import Testing
import UsnetPcap
import UsnetSim
import UsnetStack
import UsnetTestSupport

/// One port's frames, both directions, in one pcap file.
@Suite struct EndpointPcapCaptureTests {
  @Test("writes both directions of its own port only, with the given timestamps")
  func ownPortBothDirections() throws {
    let scratch = try ScratchDirectory()
    let capture = try EndpointPcapCapture(path: scratch.path("a.pcap"), port: 1)
    let frame = [UInt8](repeating: 0xAB, count: 60)
    capture.capture(
      frame: frame, range: 0..<60, port: 1, direction: .toSwitch, at: .milliseconds(1))
    capture.capture(
      frame: frame, range: 0..<60, port: 0, direction: .toSwitch, at: .milliseconds(2))
    capture.capture(
      frame: frame, range: 10..<60, port: 1, direction: .toEndpoint, at: .milliseconds(3))
    #expect(capture.framesWritten == 2)
    #expect(capture.close() == nil)
    capture.capture(
      frame: frame, range: 0..<60, port: 1, direction: .toSwitch, at: .milliseconds(4))
    let records = try PcapReader(path: scratch.path("a.pcap")).readAll()
    #expect(records.map(\.timestampNanoseconds) == [1_000_000, 3_000_000])
    #expect(records.map(\.bytes.count) == [60, 50])
  }

  @Test("a path that cannot be created fails at once")
  func badPath() throws {
    #expect(throws: PcapError.self) {
      _ = try EndpointPcapCapture(path: "/nonexistent-directory/x.pcap", port: 0)
    }
  }
}
