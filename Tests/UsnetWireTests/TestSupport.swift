import UsnetWire

/// Decodes a hex string; whitespace is ignored. Invalid input yields an empty array, which
/// makes any test using it fail visibly.
func hexBytes(_ hex: String) -> [UInt8] {
  var result: [UInt8] = []
  var high: UInt8?
  for character in hex.unicodeScalars where !character.properties.isWhitespace {
    guard let nibble = UInt8(String(character), radix: 16) else { return [] }
    if let value = high {
      result.append(value << 4 | nibble)
      high = nil
    } else {
      high = nibble
    }
  }
  return high == nil ? result : []
}

/// Lower-case hex of `bytes`.
func hexString(_ bytes: some Sequence<UInt8>) -> String {
  bytes.map { byte in
    let digits = String(byte, radix: 16)
    return digits.count == 1 ? "0" + digits : digits
  }.joined()
}

/// A small deterministic generator (SplitMix64) for property tests.
struct SeededGenerator: RandomNumberGenerator {
  var state: UInt64

  init(seed: UInt64) {
    state = seed
  }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  mutating func bytes(_ count: Int) -> [UInt8] {
    (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) }
  }
}

/// Straightforward RFC 1071 reference: sums 16-bit words one at a time, folding as it goes.
func referenceOnesComplementSum(_ bytes: [UInt8]) -> UInt16 {
  var sum: UInt32 = 0
  var index = 0
  while index < bytes.count {
    let high = UInt32(bytes[index]) << 8
    let low = index + 1 < bytes.count ? UInt32(bytes[index + 1]) : 0
    sum += high | low
    sum = (sum & 0xFFFF) + (sum >> 16)
    index += 2
  }
  return UInt16(sum)
}

/// Addresses used by the hand-built tests (the same ones as in the Linux captures).
enum TestAddresses {
  static let hostA = IPv4Address(198, 18, 0, 1)
  static let hostB = IPv4Address(198, 18, 0, 2)
  static let macA = MACAddress(0x02, 0, 0, 0, 0, 0x0A)
  static let macB = MACAddress(0x02, 0, 0, 0, 0, 0x0B)
}
