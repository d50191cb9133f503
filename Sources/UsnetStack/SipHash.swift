/// SipHash-2-4 with a 128-bit key.
///
/// A keyed pseudorandom function over short inputs (Aumasson and Bernstein, 2012). The stack uses
/// it where an attacker must not be able to predict or collide outputs: initial sequence numbers
/// (RFC 6528) and, later, connection-table hashing. The key is the 16 bytes
/// `key0.littleEndian ++ key1.littleEndian`, as in the reference implementation.
///
/// The word-based entry points hash the little-endian bytes of 64-bit words, so
/// `hash(a, b)` equals `hash(bytes:)` of the 16 bytes of `a` and `b`; they never allocate.
/// An immutable value; safe to share.
public struct SipHash24: Sendable {
  private let key0: UInt64
  private let key1: UInt64

  /// Creates a hasher with the key `key0` (bytes 0–7, little-endian) and `key1` (bytes 8–15).
  public init(key0: UInt64, key1: UInt64) {
    self.key0 = key0
    self.key1 = key1
  }

  /// The hash of the little-endian bytes of `words`, in order.
  ///
  /// The variadic array may allocate; prefer the fixed-arity overloads on hot paths. Disfavored
  /// so that calls with one to three integer literals pick those overloads instead of being
  /// ambiguous.
  @_disfavoredOverload
  public func hash(_ words: UInt64...) -> UInt64 {
    var state = SipState(key0: key0, key1: key1)
    for word in words {
      state.absorb(word)
    }
    return state.finish(tail: 0, length: words.count &* 8)
  }

  /// The hash of the 8 little-endian bytes of `a`. Never allocates.
  public func hash(_ a: UInt64) -> UInt64 {
    var state = SipState(key0: key0, key1: key1)
    state.absorb(a)
    return state.finish(tail: 0, length: 8)
  }

  /// The hash of the 16 little-endian bytes of `a` then `b`. Never allocates.
  public func hash(_ a: UInt64, _ b: UInt64) -> UInt64 {
    var state = SipState(key0: key0, key1: key1)
    state.absorb(a)
    state.absorb(b)
    return state.finish(tail: 0, length: 16)
  }

  /// The hash of the 24 little-endian bytes of `a`, `b` then `c`. Never allocates.
  public func hash(_ a: UInt64, _ b: UInt64, _ c: UInt64) -> UInt64 {
    var state = SipState(key0: key0, key1: key1)
    state.absorb(a)
    state.absorb(b)
    state.absorb(c)
    return state.finish(tail: 0, length: 24)
  }

  /// The standard SipHash-2-4 of the byte string `bytes`.
  public func hash(bytes: [UInt8]) -> UInt64 {
    hash(bytes: bytes, range: bytes.startIndex..<bytes.endIndex)
  }

  /// The standard SipHash-2-4 of `bytes[range]`; `range` is clamped to the array's indices.
  public func hash(bytes: [UInt8], range: Range<Int>) -> UInt64 {
    let range = range.clamped(to: bytes.startIndex..<bytes.endIndex)
    var state = SipState(key0: key0, key1: key1)
    var index = range.lowerBound
    while range.upperBound - index >= 8 {
      var word: UInt64 = 0
      for shift in 0..<8 {
        word |= UInt64(bytes[index &+ shift]) << UInt64(shift &* 8)
      }
      state.absorb(word)
      index &+= 8
    }
    var tail: UInt64 = 0
    var shift: UInt64 = 0
    while index < range.upperBound {
      tail |= UInt64(bytes[index]) << shift
      shift &+= 8
      index &+= 1
    }
    return state.finish(tail: tail, length: range.count)
  }
}

/// The four-word SipHash state.
private struct SipState {
  var v0: UInt64
  var v1: UInt64
  var v2: UInt64
  var v3: UInt64

  init(key0: UInt64, key1: UInt64) {
    v0 = key0 ^ 0x736F_6D65_7073_6575
    v1 = key1 ^ 0x646F_7261_6E64_6F6D
    v2 = key0 ^ 0x6C79_6765_6E65_7261
    v3 = key1 ^ 0x7465_6462_7974_6573
  }

  /// Compresses one 8-byte message block (2 rounds).
  @inline(__always)
  mutating func absorb(_ m: UInt64) {
    v3 ^= m
    round()
    round()
    v0 ^= m
  }

  /// Absorbs the final block (`tail` holds the last `length % 8` bytes, little-endian) and
  /// finalizes (4 rounds).
  @inline(__always)
  mutating func finish(tail: UInt64, length: Int) -> UInt64 {
    absorb(tail | (UInt64(truncatingIfNeeded: length) << 56))
    v2 ^= 0xFF
    round()
    round()
    round()
    round()
    return v0 ^ v1 ^ v2 ^ v3
  }

  @inline(__always)
  mutating func round() {
    v0 &+= v1
    v1 = rotate(v1, 13)
    v1 ^= v0
    v0 = rotate(v0, 32)
    v2 &+= v3
    v3 = rotate(v3, 16)
    v3 ^= v2
    v0 &+= v3
    v3 = rotate(v3, 21)
    v3 ^= v0
    v2 &+= v1
    v1 = rotate(v1, 17)
    v1 ^= v2
    v2 = rotate(v2, 32)
  }
}

/// `x` rotated left by `k` bits (0 < k < 64).
@inline(__always)
private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 {
  (x << k) | (x >> (64 - k))
}
