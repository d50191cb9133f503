/// Big-endian (network byte order) field access on byte buffers.
///
/// The caller guarantees that the accessed bytes lie within the array; parsers check lengths
/// before they read fields.
extension Array where Element == UInt8 {
  /// Reads the big-endian 16-bit value stored at `offset ..< offset + 2`.
  @inlinable
  public func readUInt16(at offset: Int) -> UInt16 {
    UInt16(self[offset]) &<< 8 | UInt16(self[offset &+ 1])
  }

  /// Reads the big-endian 32-bit value stored at `offset ..< offset + 4`.
  @inlinable
  public func readUInt32(at offset: Int) -> UInt32 {
    UInt32(self[offset]) &<< 24 | UInt32(self[offset &+ 1]) &<< 16
      | UInt32(self[offset &+ 2]) &<< 8 | UInt32(self[offset &+ 3])
  }

  /// Stores `value` big-endian at `offset ..< offset + 2`.
  @inlinable
  public mutating func writeUInt16(_ value: UInt16, at offset: Int) {
    self[offset] = UInt8(truncatingIfNeeded: value &>> 8)
    self[offset &+ 1] = UInt8(truncatingIfNeeded: value)
  }

  /// Stores `value` big-endian at `offset ..< offset + 4`.
  @inlinable
  public mutating func writeUInt32(_ value: UInt32, at offset: Int) {
    self[offset] = UInt8(truncatingIfNeeded: value &>> 24)
    self[offset &+ 1] = UInt8(truncatingIfNeeded: value &>> 16)
    self[offset &+ 2] = UInt8(truncatingIfNeeded: value &>> 8)
    self[offset &+ 3] = UInt8(truncatingIfNeeded: value)
  }
}
