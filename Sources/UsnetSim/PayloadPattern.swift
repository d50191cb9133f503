import UsnetStack

/// An endless deterministic byte stream from a seed: the little-endian bytes of successive
/// ``SeededRandom`` outputs. A sender fills its buffers from one and a receiver checks what it
/// reads against another with the same seed, so a transfer of any length is verified byte for
/// byte without keeping its data.
///
/// A plain value; not thread-safe.
struct PayloadPattern {
  private var random: SeededRandom
  private var word: UInt64 = 0
  private var wordBytesLeft = 0
  /// Bytes produced or checked so far.
  private(set) var position = 0

  init(seed: UInt64) {
    random = SeededRandom(seed: seed)
  }

  @inline(__always)
  private mutating func nextByte() -> UInt8 {
    if wordBytesLeft == 0 {
      word = random.next()
      wordBytesLeft = 8
    }
    let byte = UInt8(truncatingIfNeeded: word)
    word >>= 8
    wordBytesLeft -= 1
    return byte
  }

  /// Writes the next `range.count` bytes of the stream into `buffer[range]`.
  mutating func fill(_ buffer: inout [UInt8], range: Range<Int>) {
    var index = range.lowerBound
    while index < range.upperBound {
      buffer[index] = nextByte()
      index += 1
    }
    position += range.count
  }

  /// Checks `buffer[range]` against the next `range.count` bytes of the stream and returns the
  /// stream offset of the first byte that differs, or `nil` when all match. The stream moves
  /// on by `range.count` either way.
  mutating func firstMismatch(in buffer: [UInt8], range: Range<Int>) -> Int? {
    var mismatch: Int?
    var index = range.lowerBound
    while index < range.upperBound {
      if nextByte() != buffer[index] && mismatch == nil {
        mismatch = position + index - range.lowerBound
      }
      index += 1
    }
    position += range.count
    return mismatch
  }
}
