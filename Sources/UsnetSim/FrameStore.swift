/// Frame buffers in flight, in reusable slots: a frame moving through the simulation is a slot
/// index, and a freed slot keeps its buffer's capacity for the next frame.
///
/// A plain value; not thread-safe.
struct FrameStore: Sendable {
  private(set) var buffers: [[UInt8]] = []
  private var free: [Int] = []

  /// A slot holding a copy of `source[range]`.
  mutating func store(_ source: [UInt8], range: Range<Int>) -> Int {
    let slot = allocate()
    buffers[slot].append(contentsOf: source[range])
    return slot
  }

  /// A slot holding a copy of the frame in `slot`.
  mutating func duplicate(_ slot: Int) -> Int {
    let copy = allocate()
    buffers[copy].append(contentsOf: buffers[slot])
    return copy
  }

  /// Flips bit `bit` (counted from the frame's first byte) of the frame in `slot`.
  mutating func flipBit(_ slot: Int, bit: Int) {
    let index = bit / 8
    guard index >= 0, index < buffers[slot].count else { return }
    buffers[slot][index] ^= UInt8(1) << UInt8(bit % 8)
  }

  /// Overwrites the frame in `slot` with `bytes`.
  mutating func replace(_ slot: Int, with bytes: [UInt8]) {
    buffers[slot].removeAll(keepingCapacity: true)
    buffers[slot].append(contentsOf: bytes)
  }

  /// Returns the slot for reuse.
  mutating func release(_ slot: Int) {
    free.append(slot)
  }

  /// Slots in use.
  var inUse: Int { buffers.count - free.count }

  private mutating func allocate() -> Int {
    if let slot = free.popLast() {
      buffers[slot].removeAll(keepingCapacity: true)
      return slot
    }
    var buffer: [UInt8] = []
    buffer.reserveCapacity(1536)
    buffers.append(buffer)
    return buffers.count - 1
  }
}
