import Foundation
import Testing
import UsnetPcap
import UsnetTestSupport

@Suite struct PcapReaderTests {
  @Test func openingAMissingFileThrowsNamingThePath() throws {
    let scratch = try ScratchDirectory()
    let path = scratch.path("missing.pcap")
    let error = #expect(throws: PcapError.self) { try PcapReader(path: path) }
    #expect(error?.path == path)
    #expect(error?.message.contains("No such file") == true)
    #expect(error?.description == "pcap: \(path): \(error?.message ?? "")")
  }

  @Test func openingAFileThatIsNoCaptureThrows() throws {
    let scratch = try ScratchDirectory()
    let path = scratch.path("not.pcap")
    try Data("this is not a capture file, just text".utf8).write(to: URL(fileURLWithPath: path))
    let error = #expect(throws: PcapError.self) { try PcapReader(path: path) }
    #expect(error?.path == path)
    #expect(error?.message.isEmpty == false)
  }

  @Test func aTruncatedLastRecordThrowsAfterTheGoodOnes() throws {
    let scratch = try ScratchDirectory()
    let path = scratch.path("cut.pcap")
    let writer = try PcapWriter(path: path)
    for (frame, nanoseconds) in SampleFrames.timed.prefix(2) {
      try writer.write(frame, timestampNanoseconds: nanoseconds)
    }
    try writer.close()
    let bytes = try fileBytes(path)
    try Data(bytes.dropLast(10)).write(to: URL(fileURLWithPath: path))

    let reader = try PcapReader(path: path)
    #expect(try reader.next()?.timestampNanoseconds == 0)
    let error = #expect(throws: PcapError.self) { try reader.next() }
    #expect(error?.path == path)
  }

  @Test func microsecondFilesAreScaledToNanoseconds() throws {
    let scratch = try ScratchDirectory()
    let path = scratch.path("micro.pcap")
    let frame = SampleFrames.arpRequest(host: 1, target: 2)
    // A classic little-endian microsecond pcap, written by hand: 3 s + 250 000 µs.
    var bytes: [UInt8] = [0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0]
    bytes += [0, 0, 0, 0, 0, 0, 0, 0]  // thiszone, sigfigs
    bytes += littleEndian(UInt32(65_535)) + littleEndian(UInt32(1))
    bytes += littleEndian(UInt32(3)) + littleEndian(UInt32(250_000))
    bytes += littleEndian(UInt32(frame.count)) + littleEndian(UInt32(frame.count))
    bytes += frame
    try Data(bytes).write(to: URL(fileURLWithPath: path))

    let reader = try PcapReader(path: path)
    #expect(reader.linkType == .ethernet)
    let records = try reader.readAll()
    #expect(
      records == [
        PcapRecord(
          timestampNanoseconds: 3_250_000_000, bytes: frame, originalLength: frame.count)
      ])
  }

  @Test func nextAfterCloseReturnsNil() throws {
    let scratch = try ScratchDirectory()
    let path = scratch.path("close.pcap")
    let writer = try PcapWriter(path: path)
    try writer.write(SampleFrames.arpRequest(host: 1, target: 2), timestampNanoseconds: 1)
    try writer.close()

    let reader = try PcapReader(path: path)
    reader.close()
    reader.close()
    #expect(try reader.next() == nil)
  }

  private func littleEndian(_ value: UInt32) -> [UInt8] {
    (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
  }
}
