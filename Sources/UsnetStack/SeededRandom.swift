/// Deterministic xoshiro256** seeded via SplitMix64.
///
/// The stack takes its randomness (initial sequence numbers, ephemeral ports, jitter) from an
/// injected generator; tests and the simulator use this one so that every run is reproducible
/// from its seed. It is fast and statistically good but not cryptographic: production drivers
/// seed it from the system generator, and secrets (like the ISN key) are drawn from it once.
///
/// A plain value type, not thread-safe: owned by one engine.
public struct SeededRandom: RandomNumberGenerator, Sendable {
  private var s0: UInt64
  private var s1: UInt64
  private var s2: UInt64
  private var s3: UInt64

  /// Creates a generator whose sequence is fully determined by `seed`.
  ///
  /// The 256-bit state is filled with four outputs of SplitMix64 started at `seed`, as the
  /// xoshiro authors recommend; this never yields the all-zero state.
  public init(seed: UInt64) {
    var splitMix = seed
    s0 = SeededRandom.splitMix64(&splitMix)
    s1 = SeededRandom.splitMix64(&splitMix)
    s2 = SeededRandom.splitMix64(&splitMix)
    s3 = SeededRandom.splitMix64(&splitMix)
  }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    let result = rotateLeft(s1 &* 5, 7) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = rotateLeft(s3, 45)
    return result
  }

  /// One step of SplitMix64: advances `state` and returns the mixed output.
  static func splitMix64(_ state: inout UInt64) -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// `x` rotated left by `k` bits (0 < k < 64).
@inline(__always)
private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
  (x << k) | (x >> (64 - k))
}
