// Unsafe sites in this file: 6 (14 `unsafe` marks: each site has one on turning the address
// into a pointer and one on the access; the two copies have a third, for the array's buffer).
// The mapping's address is kept as an integer (usnet_packet_map and usnet_packet_unmap take and
// return it as one); every site turns it back into a pointer only after checking the offset
// and length against the mapping, and C keeps no pointer after it returns.
//   1. `load(_:at:)`: `loadUnaligned` of a 1-, 2- or 4-byte integer inside the mapping.
//   2. `status(at:)`: usnet_ring_load_status on a 4-byte aligned word inside the mapping.
//   3. `setStatus(_:at:)`: usnet_ring_store_status on a 4-byte aligned word inside it.
//   4. `setUInt32(_:at:)`: `storeBytes` of a 4-byte integer inside the mapping.
//   5. `copy(_:into:at:)`: copies a checked range of the mapping into a checked range of the
//      caller's array (`withUnsafeMutableBytes` + `copyMemory`).
//   6. `write(_:range:at:)`: copies a checked range of the caller's array into the mapping
//      (`withUnsafeBytes` + `copyMemory`).

import CUsnetDevice

/// The shared memory of a packet socket's PACKET_MMAP rings, behind bounds-checked reads,
/// writes and copies: an out-of-range access returns 0 or copies nothing, it never reaches
/// outside the mapping.
///
/// **Threading:** not thread-safe and not `Sendable`; owned by one ``PacketSocket``. The
/// kernel writes the memory concurrently, so ring ownership goes through ``status(at:)``
/// (acquire) and ``setStatus(_:at:)`` (release). Unmapped on deinit.
final class PacketRingMemory {
  /// The mapping's length in bytes.
  let length: Int
  private let address: UInt

  /// Maps `length` bytes of the rings of `descriptor`.
  ///
  /// - Throws: ``DeviceError`` for `mmap` (ENOMEM, EINVAL for a length the rings do not
  ///   have).
  init(descriptor: Int32, length: Int) throws(DeviceError) {
    let mapping = usnet_packet_map(descriptor, Int64(length))
    guard mapping.address != 0, let address = UInt(exactly: mapping.address) else {
      throw DeviceError(call: "mmap(PACKET_MMAP)", errno: mapping.error, detail: "\(length) bytes")
    }
    self.length = length
    self.address = address
  }

  deinit {
    _ = usnet_packet_unmap(UInt64(address), Int64(length))
  }

  /// Whether `count` bytes at `offset` lie inside the mapping.
  func contains(_ offset: Int, count: Int) -> Bool {
    offset >= 0 && count >= 0 && offset <= length && count <= length - offset
  }

  /// The integer of type `T` (1, 2 or 4 bytes) at `offset`, in host byte order; 0 outside the
  /// mapping.
  func load<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) -> T {
    guard contains(offset, count: MemoryLayout<T>.size),
      let base = unsafe UnsafeRawPointer(bitPattern: address)
    else { return 0 }
    return unsafe base.loadUnaligned(fromByteOffset: offset, as: T.self)
  }

  /// The ring status word at `offset` (4-byte aligned), loaded with acquire ordering; 0
  /// (owned by the kernel) outside the mapping.
  func status(at offset: Int) -> UInt32 {
    guard contains(offset, count: 4), offset % 4 == 0,
      let base = unsafe UnsafePointer<UInt8>(bitPattern: address)
    else { return 0 }
    return unsafe usnet_ring_load_status(base + offset)
  }

  /// Stores `status` into the ring status word at `offset` with release ordering; nothing
  /// outside the mapping.
  func setStatus(_ status: UInt32, at offset: Int) {
    guard contains(offset, count: 4), offset % 4 == 0,
      let base = unsafe UnsafeMutablePointer<UInt8>(bitPattern: address)
    else { return }
    unsafe usnet_ring_store_status(base + offset, status)
  }

  /// Stores `value` (host byte order) at `offset`; nothing outside the mapping.
  func setUInt32(_ value: UInt32, at offset: Int) {
    guard contains(offset, count: 4),
      let base = unsafe UnsafeMutableRawPointer(bitPattern: address)
    else { return }
    unsafe base.storeBytes(of: value, toByteOffset: offset, as: UInt32.self)
  }

  /// Copies `range` of the mapping into `buffer` at `offset`, as much as fits in both, and
  /// returns the number of bytes copied.
  func copy(_ range: Range<Int>, into buffer: inout [UInt8], at offset: Int) -> Int {
    guard offset >= 0, offset <= buffer.count, contains(range.lowerBound, count: range.count),
      let base = unsafe UnsafeRawPointer(bitPattern: address)
    else { return 0 }
    let count = min(range.count, buffer.count - offset)
    unsafe buffer.withUnsafeMutableBytes { bytes in
      unsafe UnsafeMutableRawBufferPointer(rebasing: bytes[offset..<(offset + count)]).copyMemory(
        from: UnsafeRawBufferPointer(start: base + range.lowerBound, count: count))
    }
    return count
  }

  /// Copies `source[range]` into the mapping at `offset` and returns whether it fit (nothing
  /// is written when it does not).
  func write(_ source: [UInt8], range: Range<Int>, at offset: Int) -> Bool {
    guard range.lowerBound >= 0, range.upperBound <= source.count,
      contains(offset, count: range.count),
      let base = unsafe UnsafeMutableRawPointer(bitPattern: address)
    else { return false }
    unsafe source.withUnsafeBytes { bytes in
      unsafe UnsafeMutableRawBufferPointer(start: base + offset, count: range.count).copyMemory(
        from: UnsafeRawBufferPointer(rebasing: bytes[range]))
    }
    return true
  }
}

/// One block of a ``PacketRingMemory`` as ``RingBytes``: offsets from the block's start,
/// reads confined to it.
struct RingRegion: RingBytes {
  /// The mapping.
  let memory: PacketRingMemory
  /// Where the block starts in the mapping.
  let start: Int
  /// The block's length.
  let count: Int

  func uint8(at offset: Int) -> UInt8 { read(UInt8.self, at: offset) }
  func uint16(at offset: Int) -> UInt16 { read(UInt16.self, at: offset) }
  func uint32(at offset: Int) -> UInt32 { read(UInt32.self, at: offset) }

  private func read<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) -> T {
    guard offset >= 0, offset <= count - MemoryLayout<T>.size else { return 0 }
    return memory.load(T.self, at: start + offset)
  }
}
