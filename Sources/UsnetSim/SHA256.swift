/// SHA-256 (FIPS 180-4), incremental, for checking payload integrity in simulations and tests.
///
/// Not for security use: no constant-time guarantees. A value type; not thread-safe.
public struct SHA256: Sendable {
  private var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
    0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab,
    0x5be0_cd19
  )
  private var block = [UInt8](repeating: 0, count: 64)
  private var blockCount = 0
  private var totalBytes: UInt64 = 0

  private static let roundConstants: [UInt32] = [
    0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4,
    0xab1c_5ed5, 0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe,
    0x9bdc_06a7, 0xc19b_f174, 0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f,
    0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da, 0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7,
    0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967, 0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc,
    0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85, 0xa2bf_e8a1, 0xa81a_664b,
    0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070, 0x19a4_c116,
    0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
    0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7,
    0xc671_78f2,
  ]

  /// Starts a new digest.
  public init() {}

  /// Adds `bytes[range]` to the digest.
  public mutating func update(_ bytes: [UInt8], range: Range<Int>) {
    let range = range.clamped(to: bytes.startIndex..<bytes.endIndex)
    totalBytes &+= UInt64(range.count)
    var index = range.lowerBound
    while index < range.upperBound {
      if blockCount == 0 && range.upperBound - index >= 64 {
        compress(bytes, at: index)
        index += 64
        continue
      }
      let take = Swift.min(64 - blockCount, range.upperBound - index)
      block[blockCount..<(blockCount + take)] = bytes[index..<(index + take)]
      blockCount += take
      index += take
      if blockCount == 64 {
        compress(block, at: 0)
        blockCount = 0
      }
    }
  }

  /// Adds all of `bytes` to the digest.
  public mutating func update(_ bytes: [UInt8]) {
    update(bytes, range: bytes.startIndex..<bytes.endIndex)
  }

  /// The digest of everything added, as 32 bytes. The value itself is left unchanged.
  public func finalize() -> [UInt8] {
    var copy = self
    let bitLength = totalBytes &* 8
    var padding: [UInt8] = [0x80]
    let padZeros = (55 &- blockCount + 64) % 64
    padding.append(contentsOf: repeatElement(0, count: padZeros))
    for shift in stride(from: 56, through: 0, by: -8) {
      padding.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift)))
    }
    copy.totalBytes = 0
    copy.update(padding)
    var digest: [UInt8] = []
    let words = [
      copy.state.0, copy.state.1, copy.state.2, copy.state.3, copy.state.4, copy.state.5,
      copy.state.6, copy.state.7,
    ]
    for word in words {
      for shift in stride(from: 24, through: 0, by: -8) {
        digest.append(UInt8(truncatingIfNeeded: word >> UInt32(shift)))
      }
    }
    return digest
  }

  /// The digest as lowercase hexadecimal.
  public func hexDigest() -> String {
    finalize().map { byte in
      let text = String(byte, radix: 16)
      return byte < 16 ? "0" + text : text
    }.joined()
  }

  /// Compresses the 64-byte block at `bytes[offset...]` into the state. The message schedule
  /// rolls through sixteen locals, so a round touches memory only for its constant (this
  /// keeps unoptimized builds, which the test suites use, several times faster).
  private mutating func compress(_ bytes: [UInt8], at offset: Int) {
    var w:
      (
        UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32,
        UInt32, UInt32, UInt32, UInt32, UInt32
      ) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    var (a, b, c, d, e, f, g, h) = state
    for t in 0..<64 {
      let word: UInt32
      if t < 16 {
        let base = offset + t * 4
        word =
          UInt32(bytes[base]) << 24 | UInt32(bytes[base + 1]) << 16
          | UInt32(bytes[base + 2]) << 8 | UInt32(bytes[base + 3])
      } else {
        // w.0 is W[t-16], w.1 is W[t-15], w.9 is W[t-7], w.14 is W[t-2].
        let s0 = (w.1 >> 7 | w.1 << 25) ^ (w.1 >> 18 | w.1 << 14) ^ (w.1 >> 3)
        let s1 = (w.14 >> 17 | w.14 << 15) ^ (w.14 >> 19 | w.14 << 13) ^ (w.14 >> 10)
        word = w.0 &+ s0 &+ w.9 &+ s1
      }
      if t < 16 {
        switch t {
        case 0: w.0 = word
        case 1: w.1 = word
        case 2: w.2 = word
        case 3: w.3 = word
        case 4: w.4 = word
        case 5: w.5 = word
        case 6: w.6 = word
        case 7: w.7 = word
        case 8: w.8 = word
        case 9: w.9 = word
        case 10: w.10 = word
        case 11: w.11 = word
        case 12: w.12 = word
        case 13: w.13 = word
        case 14: w.14 = word
        default: w.15 = word
        }
      } else {
        w = (
          w.1, w.2, w.3, w.4, w.5, w.6, w.7, w.8, w.9, w.10, w.11, w.12, w.13, w.14, w.15, word
        )
      }
      let s1 = (e >> 6 | e << 26) ^ (e >> 11 | e << 21) ^ (e >> 25 | e << 7)
      let choice = (e & f) ^ (~e & g)
      let temp1 = h &+ s1 &+ choice &+ Self.roundConstants[t] &+ word
      let s0 = (a >> 2 | a << 30) ^ (a >> 13 | a << 19) ^ (a >> 22 | a << 10)
      let majority = (a & b) ^ (a & c) ^ (b & c)
      let temp2 = s0 &+ majority
      h = g
      g = f
      f = e
      e = d &+ temp1
      d = c
      c = b
      b = a
      a = temp1 &+ temp2
    }
    state = (
      state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d, state.4 &+ e, state.5 &+ f,
      state.6 &+ g, state.7 &+ h
    )
  }
}
