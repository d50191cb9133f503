import Testing
import UsnetWire

@Suite struct TCPHeaderTests {
  let source = TestAddresses.hostA
  let destination = TestAddresses.hostB

  /// Emits `header` at offset 2, appends `payload`, and fills in the checksum.
  func segment(_ header: TCPHeader, payload: [UInt8] = []) -> [UInt8] {
    var buffer = [UInt8](repeating: 0xEE, count: 2 + header.headerLength)
    let length = header.emit(into: &buffer, at: 2)
    #expect(length == header.headerLength)
    buffer += payload
    TCPHeader.writeChecksum(
      in: &buffer, segment: 2..<buffer.count, source: source, destination: destination)
    return buffer
  }

  /// A segment with a raw options area (length a multiple of 4) and a valid checksum.
  func segment(rawOptions: [UInt8]) -> [UInt8] {
    var buffer = [UInt8](repeating: 0, count: 20) + rawOptions
    TCPHeader(
      sourcePort: 1, destinationPort: 2, sequenceNumber: 3, acknowledgmentNumber: 4, flags: .ack,
      window: 5
    ).emit(into: &buffer, at: 0)
    buffer[12] = UInt8((20 + rawOptions.count) / 4) << 4
    TCPHeader.writeChecksum(
      in: &buffer, segment: 0..<buffer.count, source: source, destination: destination)
    return buffer
  }

  typealias Parsed = (header: TCPHeader, payload: Range<Int>)

  func parse(
    _ buffer: [UInt8], from start: Int = 2, verifyChecksum: Bool = true
  )
    throws(WireError) -> Parsed
  {
    try TCPHeader.parse(
      buffer, in: start..<buffer.count, source: source, destination: destination,
      verifyChecksum: verifyChecksum)
  }

  let syn = TCPHeader(
    sourcePort: 41000, destinationPort: 5000, sequenceNumber: 0xE996_C65B,
    acknowledgmentNumber: 0, flags: .syn, window: 64240,
    options: TCPOptions(
      maximumSegmentSize: 1460, windowScale: 10, sackPermitted: true,
      timestamp: TCPTimestamp(value: 1, echoReply: 0)))

  @Test func initializerDefaults() {
    let header = TCPHeader(
      sourcePort: 1, destinationPort: 2, sequenceNumber: 3, acknowledgmentNumber: 4, flags: .ack,
      window: 5)
    #expect(header.urgentPointer == 0 && header.checksum == 0)
    #expect(header.options == TCPOptions())
    #expect(header.headerLength == TCPHeader.minimumLength)
    #expect(syn.headerLength == 40)
  }

  @Test func roundTripWithPayload() throws {
    var header = syn
    header.flags = [.psh, .ack, .urg]
    header.urgentPointer = 3
    header.acknowledgmentNumber = 0x1234_5678
    header.options = TCPOptions(
      timestamp: TCPTimestamp(value: 9, echoReply: 8),
      sackBlocks: SACKBlockList([SACKBlock(start: 10, end: 20)]))
    let payload: [UInt8] = [1, 2, 3, 4, 5]
    let buffer = segment(header, payload: payload)
    var (parsed, range) = try parse(buffer)
    #expect(range == 2 + header.headerLength..<buffer.count)
    #expect(Array(buffer[range]) == payload)
    #expect(parsed.checksum == buffer.readUInt16(at: 18))
    parsed.checksum = 0
    #expect(parsed == header)
  }

  @Test func emitWritesZeroChecksumAndDataOffset() {
    var buffer = [UInt8](repeating: 0xEE, count: 40)
    #expect(syn.emit(into: &buffer, at: 0) == 40)
    #expect(buffer[12] == 0xA0)
    #expect(buffer[13] == 0x02)
    #expect(buffer.readUInt16(at: 16) == 0)
  }

  @Test func writeChecksumIgnoresOldFieldValue() throws {
    var buffer = segment(syn, payload: [7, 7, 7])
    let good = buffer.readUInt16(at: 18)
    buffer.writeUInt16(0xBEEF, at: 18)
    TCPHeader.writeChecksum(
      in: &buffer, segment: 2..<buffer.count, source: source, destination: destination)
    #expect(buffer.readUInt16(at: 18) == good)
  }

  @Test func partialChecksumIsFinishedLikeADeviceDoes() throws {
    var buffer = segment(syn, payload: [7, 7, 7])
    let complete = buffer.readUInt16(at: 18)
    TCPHeader.writePartialChecksum(
      in: &buffer, segment: 2..<buffer.count, source: source, destination: destination)
    // The field holds the folded pseudo-header sum (not complemented)...
    var pseudo = InternetChecksum()
    pseudo.addPseudoHeader(
      source: source, destination: destination, protocol: .tcp, length: buffer.count - 2)
    #expect(buffer.readUInt16(at: 18) == pseudo.folded)
    // ...and a device that sums from csum_start to the end and stores the complement gets
    // the complete checksum.
    var device = InternetChecksum()
    device.add(buffer, range: 2..<buffer.count)
    buffer.writeUInt16(device.checksum, at: 18)
    #expect(buffer.readUInt16(at: 18) == complete)
    _ = try parse(buffer)
  }

  @Test func truncated() {
    let buffer = segment(syn)
    for end in 2..<22 {
      #expect(throws: WireError.truncated) {
        try TCPHeader.parse(buffer, in: 2..<end, source: source, destination: destination)
      }
    }
  }

  @Test func dataOffsetBelowFive() {
    for offset: UInt8 in 0...4 {
      var buffer = segment(syn)
      buffer[14] = offset << 4
      #expect(throws: WireError.badHeaderLength) { try parse(buffer, verifyChecksum: false) }
    }
  }

  @Test func dataOffsetBeyondData() {
    let buffer = segment(syn)
    #expect(throws: WireError.badHeaderLength) {
      try TCPHeader.parse(buffer, in: 2..<41, source: source, destination: destination)
    }
  }

  @Test func badChecksum() throws {
    var buffer = segment(syn, payload: [1, 2, 3])
    buffer[buffer.count - 1] ^= 0x80
    #expect(throws: WireError.badChecksum) { try parse(buffer) }
    #expect(throws: WireError.badChecksum) {
      try TCPHeader.parse(
        buffer, in: 2..<buffer.count, source: source, destination: IPv4Address(10, 0, 0, 1))
    }
    let unverified = try parse(buffer, verifyChecksum: false)
    #expect(unverified.header.sequenceNumber == syn.sequenceNumber)
  }

  @Test func oddLengthPayload() throws {
    let buffer = segment(syn, payload: [0xFF])
    let (_, range) = try parse(buffer)
    #expect(range.count == 1)
  }

  @Test func illegalOptionLengthInSegment() {
    let buffer = segment(rawOptions: [2, 3, 0, 1])
    #expect(throws: WireError.badOptionLength) { try parse(buffer, from: 0) }
  }

  @Test func unknownOptionsSkippedInSegment() throws {
    let buffer = segment(rawOptions: [30, 4, 0xAA, 0xBB, 1, 3, 3, 7, 0, 0xFF, 0xFF, 0xFF])
    let (header, range) = try parse(buffer, from: 0)
    #expect(header.options == TCPOptions(windowScale: 7))
    #expect(range == 32..<32)
    // headerLength reflects what emit would write, not the 32 bytes on the wire.
    #expect(header.headerLength == 24)
  }

  @Test func reservedBitsAreIgnored() throws {
    var buffer = segment(syn)
    buffer[14] |= 0x0F
    TCPHeader.writeChecksum(
      in: &buffer, segment: 2..<buffer.count, source: source, destination: destination)
    var parsed = try parse(buffer).header
    parsed.checksum = 0
    #expect(parsed == syn)
  }

  @Test func randomHeadersRoundTrip() throws {
    var generator = SeededGenerator(seed: 9293)
    for _ in 0..<500 {
      var options = TCPOptions()
      if Bool.random(using: &generator) {
        options.timestamp = TCPTimestamp(
          value: .random(in: .min ... .max, using: &generator),
          echoReply: .random(in: .min ... .max, using: &generator))
      }
      for _ in 0..<Int.random(in: 0...3, using: &generator) {
        options.sackBlocks.append(
          SACKBlock(
            start: .random(in: .min ... .max, using: &generator),
            end: .random(in: .min ... .max, using: &generator)))
      }
      let header = TCPHeader(
        sourcePort: .random(in: .min ... .max, using: &generator),
        destinationPort: .random(in: .min ... .max, using: &generator),
        sequenceNumber: .random(in: .min ... .max, using: &generator),
        acknowledgmentNumber: .random(in: .min ... .max, using: &generator),
        flags: TCPFlags(rawValue: .random(in: .min ... .max, using: &generator)),
        window: .random(in: .min ... .max, using: &generator),
        urgentPointer: .random(in: .min ... .max, using: &generator),
        options: options)
      let payload = generator.bytes(Int.random(in: 0...50, using: &generator))
      let buffer = segment(header, payload: payload)
      var (parsed, range) = try parse(buffer)
      parsed.checksum = 0
      #expect(parsed == header)
      #expect(Array(buffer[range]) == payload)
    }
  }
}
