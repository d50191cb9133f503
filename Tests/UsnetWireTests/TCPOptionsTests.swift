import Testing
import UsnetWire

@Suite struct TCPOptionsTests {
  /// Parses a raw options area.
  func parse(_ bytes: [UInt8]) throws(WireError) -> TCPOptions {
    try TCPOptions.parse([0xEE] + bytes, in: 1..<1 + bytes.count)
  }

  /// Emits `options` and returns the bytes.
  func emit(_ options: TCPOptions) -> [UInt8] {
    var buffer = [UInt8](repeating: 0xEE, count: 2 + 40)
    let length = options.emit(into: &buffer, at: 2)
    #expect(length == options.encodedLength)
    #expect(buffer[(2 + length)...].allSatisfy { $0 == 0xEE })
    return Array(buffer[2..<2 + length])
  }

  static let linuxSYN = TCPOptions(
    maximumSegmentSize: 1460, windowScale: 10, sackPermitted: true,
    timestamp: TCPTimestamp(value: 0x0102_0304, echoReply: 0))

  @Test func linuxSYNLayout() throws {
    let bytes = emit(Self.linuxSYN)
    #expect(hexString(bytes) == "020405b4" + "0402080a0102030400000000" + "0103030a")
    #expect(try parse(bytes) == Self.linuxSYN)
  }

  @Test func linuxSYNWithoutTimestampsLayout() throws {
    let options = TCPOptions(maximumSegmentSize: 1460, windowScale: 7, sackPermitted: true)
    let bytes = emit(options)
    #expect(hexString(bytes) == "020405b4" + "01010402" + "01030307")
    #expect(try parse(bytes) == options)
  }

  @Test func partialSYNLayouts() throws {
    let cases: [(TCPOptions, String)] = [
      (TCPOptions(maximumSegmentSize: 536), "02040218"),
      (TCPOptions(windowScale: 0), "01030300"),
      (TCPOptions(sackPermitted: true), "01010402"),
      (TCPOptions(maximumSegmentSize: 1460, windowScale: 2), "020405b401030302"),
      (
        TCPOptions(maximumSegmentSize: 1460, timestamp: TCPTimestamp(value: 5, echoReply: 6)),
        "020405b40101080a0000000500000006"
      ),
    ]
    for (options, hex) in cases {
      let bytes = emit(options)
      #expect(hexString(bytes) == hex)
      #expect(try parse(bytes) == options)
    }
  }

  @Test func dataSegmentLayout() throws {
    var options = TCPOptions(timestamp: TCPTimestamp(value: 0xAABB_CCDD, echoReply: 0x1122_3344))
    #expect(hexString(emit(options)) == "0101080aaabbccdd11223344")
    options.sackBlocks.append(SACKBlock(start: 100, end: 200))
    options.sackBlocks.append(SACKBlock(start: 300, end: 400))
    let bytes = emit(options)
    #expect(
      hexString(bytes)
        == "0101080aaabbccdd11223344" + "01010512" + "00000064000000c8" + "0000012c00000190")
    #expect(try parse(bytes) == options)
  }

  @Test func encodedLengths() {
    let ts = TCPTimestamp(value: 1, echoReply: 2)
    let four = SACKBlockList((1...4).map { SACKBlock(start: $0, end: $0 + 1) })
    let one = SACKBlockList([SACKBlock(start: 1, end: 2)])
    #expect(TCPOptions().encodedLength == 0)
    #expect(Self.linuxSYN.encodedLength == 20)
    let synWithoutTimestamps = TCPOptions(
      maximumSegmentSize: 1, windowScale: 1, sackPermitted: true)
    #expect(synWithoutTimestamps.encodedLength == 12)
    #expect(TCPOptions(timestamp: ts).encodedLength == 12)
    #expect(TCPOptions(timestamp: ts, sackBlocks: one).encodedLength == 24)
    #expect(TCPOptions(sackBlocks: one).encodedLength == 12)
    #expect(TCPOptions(sackBlocks: four).encodedLength == 36)
    #expect(TCPOptions(timestamp: ts, sackBlocks: four).encodedLength == 40)
    let crowded = TCPOptions(
      maximumSegmentSize: 1, windowScale: 1, sackPermitted: true, timestamp: ts,
      sackBlocks: four)
    #expect(crowded.encodedLength == 40)
    #expect(crowded.emittedSACKBlockCount == 2)
  }

  @Test func sackBlocksAreTruncatedToFit() throws {
    let ts = TCPTimestamp(value: 1, echoReply: 2)
    let four = SACKBlockList((1...4).map { SACKBlock(start: $0 * 10, end: $0 * 10 + 5) })
    let options = TCPOptions(timestamp: ts, sackBlocks: four)
    #expect(options.emittedSACKBlockCount == 3)
    let parsed = try parse(emit(options))
    #expect(Array(parsed.sackBlocks) == Array(four.prefix(3)))
    let withoutTimestamp = try parse(emit(TCPOptions(sackBlocks: four)))
    #expect(withoutTimestamp.sackBlocks == four)
  }

  @Test func fourSACKBlocksParse() throws {
    var bytes: [UInt8] = [1, 1, 5, 34]
    for value: UInt32 in 1...8 {
      bytes += [0, 0, 0, UInt8(value)]
    }
    let options = try parse(bytes)
    #expect(options.sackBlocks.count == 4)
    #expect(options.sackBlocks[3] == SACKBlock(start: 7, end: 8))
  }

  @Test func windowScaleIsClampedTo14() throws {
    #expect(try parse([3, 3, 15, 1]).windowScale == 14)
    #expect(try parse([3, 3, 255, 1]).windowScale == 14)
    #expect(try parse([3, 3, 14, 1]).windowScale == 14)
    #expect(try parse([3, 3, 0, 1]).windowScale == 0)
  }

  @Test func unknownOptionsAreSkipped() throws {
    let options = try parse([30, 4, 0xAA, 0xBB, 2, 4, 0x05, 0xB4, 99, 2, 254, 6, 1, 2, 3, 4])
    #expect(options == TCPOptions(maximumSegmentSize: 1460))
  }

  @Test func endOfListStopsParsing() throws {
    // After EOL come bytes that would be an illegal window scale option.
    let options = try parse([2, 4, 0x05, 0xB4, 0, 3, 9, 9])
    #expect(options == TCPOptions(maximumSegmentSize: 1460))
    #expect(try parse([0, 2, 3, 4]) == TCPOptions())
    #expect(try parse([1, 1, 1, 1]) == TCPOptions())
    #expect(try parse([]) == TCPOptions())
  }

  @Test(
    arguments: [
      [2, 3, 0, 1],  // MSS length 3
      [2, 5, 0, 0, 0, 1, 1, 1],  // MSS length 5
      [3, 2, 1, 1],  // window scale length 2
      [3, 4, 7, 0],  // window scale length 4
      [4, 3, 0, 1],  // SACK-permitted length 3
      [4, 4, 0, 0],  // SACK-permitted length 4
      [5, 2, 1, 1],  // SACK without blocks
      [5, 9, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1],  // SACK length 9
      [5, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],  // SACK length 11
      [5, 17] + [UInt8](repeating: 0, count: 15) + [1, 1, 1],  // SACK length 17
      [8, 8, 0, 0, 0, 0, 0, 0],  // timestamps length 8
      [8, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],  // timestamps length 12
      [30, 0, 1, 1],  // unknown kind, length 0
      [30, 1, 1, 1],  // unknown kind, length 1
      [30, 8, 0, 0],  // unknown kind, longer than the header
      [1, 1, 2, 4],  // MSS cut off by the end of the header
      [1, 1, 8, 10, 0, 0, 0, 0],  // timestamps cut off by the end of the header
      [1, 1, 1, 30],  // length byte missing
      [1, 1, 1, 2],  // MSS without a length byte
    ] as [[UInt8]])
  func illegalLengths(_ bytes: [UInt8]) {
    #expect(throws: WireError.badOptionLength) { try parse(bytes) }
  }

  @Test func randomOptionsRoundTrip() throws {
    var generator = SeededGenerator(seed: 7323)
    for _ in 0..<1000 {
      var options = TCPOptions()
      if Bool.random(using: &generator) {
        options.maximumSegmentSize = .random(in: .min ... .max, using: &generator)
      }
      if Bool.random(using: &generator) {
        options.windowScale = .random(in: 0...14, using: &generator)
      }
      options.sackPermitted = .random(using: &generator)
      if Bool.random(using: &generator) {
        options.timestamp = TCPTimestamp(
          value: .random(in: .min ... .max, using: &generator),
          echoReply: .random(in: .min ... .max, using: &generator))
      }
      for _ in 0..<Int.random(in: 0...4, using: &generator) {
        options.sackBlocks.append(
          SACKBlock(
            start: .random(in: .min ... .max, using: &generator),
            end: .random(in: .min ... .max, using: &generator)))
      }
      let bytes = emit(options)
      #expect(bytes.count % 4 == 0 && bytes.count <= 40)
      var expected = options
      expected.sackBlocks = SACKBlockList(options.sackBlocks.prefix(options.emittedSACKBlockCount))
      #expect(try parse(bytes) == expected)
    }
  }
}
