import Testing

@testable import UsnetDevice

/// A TPACKET_V3 block as the kernel lays it out, built from literal values: the descriptor,
/// then each packet at 8-byte aligned offsets with its header, `sockaddr_ll`, virtio-net
/// header and frame. Fields can be overwritten afterwards to corrupt it.
private struct BlockBuilder {
  static let size = 4096
  static let first = 48
  /// Where `tp_mac` points with a 10-byte virtio-net header (as the kernel computes it).
  static let macOffset = 92
  var bytes = [UInt8](repeating: 0, count: size)
  var offsets: [Int] = []

  init(frames: [(frame: [UInt8], packetType: UInt8)], headerLength: Int = 10) {
    var offset = Self.first
    for (index, entry) in frames.enumerated() {
      offsets.append(offset)
      let length = (Self.macOffset + entry.frame.count + 7) / 8 * 8
      let isLast = index == frames.count - 1
      set32(isLast ? 0 : UInt32(length), at: offset)
      set32(UInt32(entry.frame.count), at: offset + 12)
      set32(UInt32(entry.frame.count), at: offset + 16)
      set16(UInt16(Self.macOffset), at: offset + 24)
      bytes[offset + 58] = entry.packetType
      for index in 0..<headerLength { bytes[offset + Self.macOffset - headerLength + index] = 0xA0 }
      let start = offset + Self.macOffset
      bytes[start..<(start + entry.frame.count)] = entry.frame[...]
      offset += length
    }
    set32(1, at: 8)
    set32(UInt32(frames.count), at: 12)
    set32(UInt32(Self.first), at: 16)
    set32(UInt32(offset), at: 20)
  }

  mutating func set32(_ value: UInt32, at offset: Int) {
    for index in 0..<4 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * index)) }
  }

  mutating func set16(_ value: UInt16, at offset: Int) {
    bytes[offset] = UInt8(truncatingIfNeeded: value)
    bytes[offset + 1] = UInt8(truncatingIfNeeded: value >> 8)
  }

  func parse(headerLength: Int = 10) throws(PacketRingError) -> [ReceiveBlock.Packet] {
    var packets: [ReceiveBlock.Packet] = []
    try ReceiveBlock.parse(bytes, virtioNetHeaderLength: headerLength, into: &packets)
    return packets
  }
}

@Suite struct ReceiveBlockTests {
  let first = [UInt8](repeating: 0x11, count: 60)
  let second = [UInt8](repeating: 0x22, count: 1514)

  @Test func walksEveryPacketWithItsHeaderAndType() throws {
    let block = BlockBuilder(frames: [(first, 0), (second, 4), (first, 1)])
    let packets = try block.parse()
    try #require(packets.count == 3)
    let start = block.offsets[0] + BlockBuilder.macOffset
    #expect(packets[0].bytes == (start - 10)..<(start + 60))
    #expect(block.bytes[packets[0].bytes].prefix(10).allSatisfy { $0 == 0xA0 })
    #expect(block.bytes[packets[0].bytes].dropFirst(10).elementsEqual(first))
    #expect(block.bytes[packets[1].bytes].dropFirst(10).elementsEqual(second))
    #expect(packets.map(\.frameLength) == [60, 1514, 60])
    #expect(packets.map(\.isOutgoing) == [false, true, false])
    #expect(packets.map(\.packetType) == [0, 4, 1])
  }

  @Test func withoutAVirtioHeaderTheBytesAreTheFrame() throws {
    let block = BlockBuilder(frames: [(first, 0)], headerLength: 0)
    let packets = try block.parse(headerLength: 0)
    #expect(packets.count == 1)
    #expect(packets.first.map { block.bytes[$0.bytes].elementsEqual(first) } == true)
  }

  @Test func anEmptyBlockHasNoPackets() throws {
    #expect(try BlockBuilder(frames: []).parse().isEmpty)
  }

  @Test func badBlockLengthsAreTypedErrors() {
    var block = BlockBuilder(frames: [(first, 0)])
    block.set32(UInt32(BlockBuilder.size + 1), at: 20)
    #expect(throws: PacketRingError.badBlockLength(length: 4097, firstPacket: 48, blockSize: 4096))
    {
      try block.parse()
    }
    block = BlockBuilder(frames: [(first, 0)])
    block.set32(8, at: 16)
    #expect(throws: PacketRingError.self) { try block.parse() }
    #expect(throws: PacketRingError.truncatedBlock(size: 20)) {
      var packets: [ReceiveBlock.Packet] = []
      try ReceiveBlock.parse(
        [UInt8](repeating: 0, count: 20), virtioNetHeaderLength: 0, into: &packets)
    }
  }

  @Test func aPacketCountBeyondTheUsedBytesIsATypedError() {
    var block = BlockBuilder(frames: [(first, 0)])
    block.set32(0xFFFF_FFFF, at: 12)
    #expect(throws: PacketRingError.badPacketCount(count: 0xFFFF_FFFF, limit: 2)) {
      try block.parse()
    }
    // Two claimed, room for two headers, but the first packet says it is the last.
    block = BlockBuilder(frames: [(first, 0)])
    block.set32(2, at: 12)
    #expect(throws: PacketRingError.badNextOffset(index: 0, offset: 48, next: 0, blockLength: 200))
    {
      try block.parse()
    }
  }

  @Test func framesOutsideTheBlockAreTypedErrors() {
    var block = BlockBuilder(frames: [(first, 0)])
    block.set32(4000, at: block.offsets[0] + 12)
    block.set32(4000, at: block.offsets[0] + 16)
    #expect(
      throws: PacketRingError.badFrameBounds(
        index: 0, macOffset: 92, snapLength: 4000, blockLength: 200)
    ) {
      try block.parse()
    }
    block = BlockBuilder(frames: [(first, 0)])
    block.set16(70, at: block.offsets[0] + 24)
    #expect(throws: PacketRingError.self) { try block.parse() }
    block = BlockBuilder(frames: [(first, 0)])
    block.set16(0xFFFF, at: block.offsets[0] + 24)
    #expect(throws: PacketRingError.self) { try block.parse() }
  }

  @Test func aSnapLengthAboveTheLengthIsATypedError() {
    var block = BlockBuilder(frames: [(first, 0)])
    block.set32(59, at: block.offsets[0] + 16)
    #expect(throws: PacketRingError.snapLengthExceedsLength(index: 0, snapLength: 60, length: 59)) {
      try block.parse()
    }
  }

  @Test func nextOffsetsLeavingTheBlockAreTypedErrors() {
    var block = BlockBuilder(frames: [(first, 0), (first, 0)])
    block.set32(0x7FFF_FFFF, at: block.offsets[0])
    #expect(throws: PacketRingError.self) { try block.parse() }
    block = BlockBuilder(frames: [(first, 0), (first, 0)])
    block.set32(8, at: block.offsets[0])
    #expect(throws: PacketRingError.self) { try block.parse() }
  }

  @Test func everyTruncationOfAValidBlockFailsCleanly() {
    let block = BlockBuilder(frames: [(first, 0), (second, 0)])
    for count in stride(from: 0, to: 1800, by: 7) {
      var packets: [ReceiveBlock.Packet] = []
      let bytes = Array(block.bytes.prefix(count))
      _ = try? ReceiveBlock.parse(bytes, virtioNetHeaderLength: 10, into: &packets)
      #expect(packets.allSatisfy { $0.bytes.upperBound <= count })
    }
  }
}
