/// The layout of a TPACKET_V3 receive block and its checked parser.
///
/// A block starts with a 48-byte `tpacket_block_desc`: `block_status` at 8 (``statusOffset``),
/// `num_pkts` at 12, `offset_to_first_pkt` at 16 and `blk_len` (the end of the used bytes)
/// at 20. Each packet starts with a 48-byte `tpacket3_hdr` (`tp_next_offset` at 0,
/// `tp_snaplen` at 12, `tp_len` at 16, `tp_mac` at 24) followed by a `sockaddr_ll`
/// (`sll_pkttype` at 48 + 10); the frame is `tp_snaplen` bytes at `tp_mac`, and with
/// PACKET_VNET_HDR its virtio-net header sits just before it.
enum ReceiveBlock {
  /// One packet of a block: where its bytes are and what the kernel said of it. Offsets are
  /// from the start of the block.
  struct Packet: Hashable, Sendable {
    /// The virtio-net header (if any) and the frame, contiguous.
    var bytes: Range<Int>
    /// The captured length of the frame (`tp_snaplen`), without the virtio-net header.
    var frameLength: Int
    /// The frame's length on the wire (`tp_len`); above ``frameLength`` when cut short.
    var originalLength: Int
    /// `sll_pkttype`: 0 host, 1 broadcast, 2 multicast, 3 other host, 4 outgoing.
    var packetType: UInt8

    /// Whether the host sent this frame (`PACKET_OUTGOING`), rather than received it.
    var isOutgoing: Bool { packetType == 4 }
  }

  /// The length of `tpacket_block_desc`.
  static let descriptorLength = 48
  /// The offset of `block_status` in a block.
  static let statusOffset = 8
  /// `tpacket3_hdr` (aligned) plus `sockaddr_ll`: the least a packet takes.
  static let packetHeaderLength = 48 + 20

  /// Appends the packets of `block` to `packets`, after checking every count, offset and
  /// length against the block. `virtioNetHeaderLength` bytes before each frame belong to it.
  ///
  /// - Throws: ``PacketRingError`` for the first inconsistency; `packets` then holds the
  ///   packets before it.
  static func parse<Bytes: RingBytes>(
    _ block: Bytes, virtioNetHeaderLength: Int, into packets: inout [Packet]
  ) throws(PacketRingError) {
    guard block.count >= descriptorLength else { throw .truncatedBlock(size: block.count) }
    let count = Int(block.uint32(at: 12))
    let first = Int(block.uint32(at: 16))
    let used = Int(block.uint32(at: 20))
    guard first >= descriptorLength, used <= block.count, first <= used else {
      throw .badBlockLength(length: used, firstPacket: first, blockSize: block.count)
    }
    let limit = (used - first) / packetHeaderLength
    guard count <= limit else { throw .badPacketCount(count: count, limit: limit) }
    var offset = first
    for index in 0..<count {
      guard used - offset >= packetHeaderLength else {
        throw .truncatedPacketHeader(index: index, offset: offset, blockLength: used)
      }
      let snapLength = Int(block.uint32(at: offset + 12))
      let length = Int(block.uint32(at: offset + 16))
      let mac = Int(block.uint16(at: offset + 24))
      guard mac >= packetHeaderLength + virtioNetHeaderLength,
        snapLength <= used - offset - mac
      else {
        throw .badFrameBounds(
          index: index, macOffset: mac, snapLength: snapLength, blockLength: used)
      }
      guard snapLength <= length else {
        throw .snapLengthExceedsLength(index: index, snapLength: snapLength, length: length)
      }
      let start = offset + mac
      packets.append(
        Packet(
          bytes: (start - virtioNetHeaderLength)..<(start + snapLength), frameLength: snapLength,
          originalLength: length, packetType: block.uint8(at: offset + 48 + 10)))
      if index + 1 < count {
        let next = Int(block.uint32(at: offset))
        guard next >= packetHeaderLength, next <= used - offset - packetHeaderLength else {
          throw .badNextOffset(index: index, offset: offset, next: next, blockLength: used)
        }
        offset += next
      }
    }
  }
}
