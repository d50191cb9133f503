import Testing
import UsnetPcap
import UsnetTestSupport

@Suite struct PcapWriterTests {
  @Test func framesReadBackWithTheirNanosecondTimestamps() throws {
    let scratch = try ScratchDirectory()
    let path = scratch.path("round-trip.pcap")
    let writer = try PcapWriter(path: path, linkType: .ethernet)
    for (frame, nanoseconds) in SampleFrames.timed {
      try writer.write(frame, timestampNanoseconds: nanoseconds)
    }
    try writer.close()

    let reader = try PcapReader(path: path)
    #expect(reader.linkType == .ethernet)
    #expect(reader.snapLength == 262_144)
    let records = try reader.readAll()
    let expected = SampleFrames.timed.map {
      PcapRecord(
        timestampNanoseconds: $0.nanoseconds, bytes: $0.frame, originalLength: $0.frame.count)
    }
    #expect(records == expected)
    #expect(try reader.next() == nil)
  }

  @Test func sameFramesGiveByteIdenticalFiles() throws {
    let scratch = try ScratchDirectory()
    var contents: [[UInt8]] = []
    for name in ["first.pcap", "second.pcap"] {
      let writer = try PcapWriter(path: scratch.path(name))
      for (frame, nanoseconds) in SampleFrames.timed {
        try writer.write(frame, timestampNanoseconds: nanoseconds)
      }
      try writer.close()
      contents.append(try fileBytes(scratch.path(name)))
    }
    #expect(contents[0] == contents[1])
    // 24-byte file header, then a 16-byte header per record.
    let payload = SampleFrames.timed.reduce(0) { $0 + 16 + $1.frame.count }
    #expect(contents[0].count == 24 + payload)
    // The nanosecond pcap magic 0xa1b23c4d, in host byte order.
    let magic = contents[0].prefix(4)
    #expect(
      magic.elementsEqual([0x4d, 0x3c, 0xb2, 0xa1])
        || magic.elementsEqual([0xa1, 0xb2, 0x3c, 0x4d]))
  }

  @Test func writingFlushesOnDeinit() throws {
    let scratch = try ScratchDirectory()
    let path = scratch.path("deinit.pcap")
    do {
      let writer = try PcapWriter(path: path)
      try writer.write(SampleFrames.arpRequest(host: 1, target: 2), timestampNanoseconds: 7)
    }
    let records = try PcapReader(path: path).readAll()
    #expect(records.map(\.timestampNanoseconds) == [7])
  }

  @Test func flushMakesRecordsVisibleBeforeClose() throws {
    let scratch = try ScratchDirectory()
    let path = scratch.path("flush.pcap")
    let writer = try PcapWriter(path: path)
    try writer.write(SampleFrames.arpRequest(host: 1, target: 2), timestampNanoseconds: 5)
    try writer.flush()
    #expect(try fileBytes(path).count == 24 + 16 + 42)
    try writer.close()
  }

  @Test func framesLongerThanTheSnapshotLengthAreCut() throws {
    let scratch = try ScratchDirectory()
    let path = scratch.path("snap.pcap")
    let frame = SampleFrames.arpRequest(host: 1, target: 2, padding: 1400)
    let writer = try PcapWriter(path: path, snapLength: 64)
    try writer.write(frame, timestampNanoseconds: 10)
    try writer.close()

    let reader = try PcapReader(path: path)
    #expect(reader.snapLength == 64)
    let record = try #require(try reader.next())
    #expect(record.bytes == Array(frame.prefix(64)))
    #expect(record.originalLength == frame.count)
    #expect(record.isTruncated)
  }

  @Test func rangeSelectsPartOfTheBuffer() throws {
    let scratch = try ScratchDirectory()
    let path = scratch.path("range.pcap")
    let frame = SampleFrames.arpRequest(host: 1, target: 2)
    let buffer = [UInt8](repeating: 0xee, count: 10) + frame + [UInt8](repeating: 0xee, count: 30)
    let writer = try PcapWriter(path: path)
    try writer.write(buffer, range: 10..<(10 + frame.count), timestampNanoseconds: 1)
    // Out-of-bounds ranges are clamped, not trapped on.
    try writer.write(
      buffer, range: (buffer.count - 5)..<(buffer.count + 100), timestampNanoseconds: 2)
    try writer.write(buffer, range: -20..<(-10), timestampNanoseconds: 3)
    try writer.write([], timestampNanoseconds: 4)
    try writer.close()

    let records = try PcapReader(path: path).readAll()
    #expect(records.map(\.bytes) == [frame, [UInt8](repeating: 0xee, count: 5), [], []])
    #expect(records.map(\.originalLength) == [frame.count, 5, 0, 0])
  }

  @Test func timestampsOutsideTheFormatAreClamped() throws {
    let scratch = try ScratchDirectory()
    let path = scratch.path("clamp.pcap")
    let frame = SampleFrames.arpRequest(host: 1, target: 2)
    let writer = try PcapWriter(path: path)
    try writer.write(frame, timestampNanoseconds: -1)
    try writer.write(frame, timestampNanoseconds: .max)
    try writer.write(frame, timestampNanoseconds: PcapWriter.maximumTimestampNanoseconds)
    try writer.close()

    let records = try PcapReader(path: path).readAll()
    let maximum = PcapWriter.maximumTimestampNanoseconds
    #expect(records.map(\.timestampNanoseconds) == [0, maximum, maximum])
  }

  @Test func writingAfterCloseThrowsAndCloseIsIdempotent() throws {
    let scratch = try ScratchDirectory()
    let path = scratch.path("closed.pcap")
    let writer = try PcapWriter(path: path)
    #expect(!writer.isClosed)
    try writer.close()
    try writer.close()
    #expect(writer.isClosed)
    let error = #expect(throws: PcapError.self) {
      try writer.write([1, 2, 3], timestampNanoseconds: 0)
    }
    #expect(error?.path == path)
    #expect(throws: PcapError.self) { try writer.flush() }
  }

  @Test func creatingInAMissingDirectoryThrowsNamingThePath() throws {
    let scratch = try ScratchDirectory()
    let path = scratch.path("no-such-directory/out.pcap")
    let error = #expect(throws: PcapError.self) { try PcapWriter(path: path) }
    #expect(error?.path == path)
    #expect(error?.description.contains(path) == true)
    #expect(error?.message.isEmpty == false)
  }

  @Test func snapshotLengthIsClamped() throws {
    let scratch = try ScratchDirectory()
    let writer = try PcapWriter(path: scratch.path("zero.pcap"), snapLength: 0)
    #expect(writer.snapLength == 1)
    try writer.close()
  }
}
