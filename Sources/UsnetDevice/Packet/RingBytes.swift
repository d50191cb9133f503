/// Read access to the bytes of one ring block: the kernel's mapping for a ``PacketSocket``,
/// a byte array in tests. Integers are read in the host's byte order, as the kernel writes
/// ring headers.
///
/// Reads outside `0..<count` return 0 instead of trapping; ``ReceiveBlock`` checks every
/// offset before it reads, so they never happen on its path.
protocol RingBytes {
  /// The number of readable bytes.
  var count: Int { get }
  /// The byte at `offset`.
  func uint8(at offset: Int) -> UInt8
  /// The 16-bit integer at `offset` (host byte order).
  func uint16(at offset: Int) -> UInt16
  /// The 32-bit integer at `offset` (host byte order).
  func uint32(at offset: Int) -> UInt32
}

extension Array: RingBytes where Element == UInt8 {
  func uint8(at offset: Int) -> UInt8 {
    indices.contains(offset) ? self[offset] : 0
  }

  func uint16(at offset: Int) -> UInt16 {
    UInt16(littleEndian: UInt16(uint8(at: offset)) | UInt16(uint8(at: offset + 1)) << 8)
  }

  func uint32(at offset: Int) -> UInt32 {
    let bytes = (0..<4).map { UInt32(uint8(at: offset + $0)) << (8 * $0) }
    return UInt32(littleEndian: bytes.reduce(0, |))
  }
}
