/// Why a block of a ``PacketSocket``'s receive ring could not be read: every count, offset
/// and length the kernel wrote is checked before it is used, so a corrupt ring ends here
/// instead of in a crash or a read outside the block.
///
/// ``PacketSocket`` reports these inside a ``DeviceError`` with `EBADMSG` whose detail is
/// this value's description (and gives the block back to the kernel). Offsets are from the
/// start of the block. A plain value; `Sendable`.
public enum PacketRingError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The block is shorter than its 48-byte descriptor.
  case truncatedBlock(size: Int)
  /// `blk_len` or `offset_to_first_pkt` lies outside the block (or the first packet after
  /// the end).
  case badBlockLength(length: Int, firstPacket: Int, blockSize: Int)
  /// `num_pkts` claims more packets than the used bytes can hold.
  case badPacketCount(count: Int, limit: Int)
  /// The header of packet `index` at `offset` runs past the used bytes (`blk_len`).
  case truncatedPacketHeader(index: Int, offset: Int, blockLength: Int)
  /// The frame of packet `index` (`tp_mac`, `tp_snaplen`) overlaps its header or runs past
  /// the used bytes.
  case badFrameBounds(index: Int, macOffset: Int, snapLength: Int, blockLength: Int)
  /// `tp_snaplen` exceeds `tp_len` for packet `index`.
  case snapLengthExceedsLength(index: Int, snapLength: Int, length: Int)
  /// `tp_next_offset` of packet `index` is too short or leads past the used bytes.
  case badNextOffset(index: Int, offset: Int, next: Int, blockLength: Int)

  /// Names the fault with its numbers, like "packet 2 at offset 4096: header runs past 4100".
  public var description: String {
    switch self {
    case .truncatedBlock(let size):
      "block of \(size) bytes is shorter than its 48-byte descriptor"
    case .badBlockLength(let length, let firstPacket, let blockSize):
      "block length \(length) with first packet at \(firstPacket) in a \(blockSize)-byte block"
    case .badPacketCount(let count, let limit):
      "block claims \(count) packets but has room for \(limit)"
    case .truncatedPacketHeader(let index, let offset, let blockLength):
      "packet \(index) at offset \(offset): header runs past the block length \(blockLength)"
    case .badFrameBounds(let index, let macOffset, let snapLength, let blockLength):
      "packet \(index): frame at tp_mac \(macOffset) of \(snapLength) bytes is outside the "
        + "packet or the block length \(blockLength)"
    case .snapLengthExceedsLength(let index, let snapLength, let length):
      "packet \(index): tp_snaplen \(snapLength) exceeds tp_len \(length)"
    case .badNextOffset(let index, let offset, let next, let blockLength):
      "packet \(index) at offset \(offset): tp_next_offset \(next) leads outside the block "
        + "length \(blockLength)"
    }
  }
}
