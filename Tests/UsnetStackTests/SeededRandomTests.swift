import Testing

@testable import UsnetStack

@Suite struct SeededRandomTests {
  /// Outputs of the reference C code (splitmix64.c seeding xoshiro256starstar.c, by Vigna).
  @Test(arguments: [
    (
      UInt64(0),
      [
        0x99EC_5F36_CB75_F2B4, 0xBF6E_1F78_4956_452A, 0x1A5F_849D_4933_E6E0,
        0x6AA5_94F1_262D_2D2C, 0xBBA5_AD4A_1F84_2E59,
      ] as [UInt64]
    ),
    (
      UInt64(42),
      [
        0x1578_0B2E_0C2E_C716, 0x6104_D986_6D11_3A7E, 0xAE17_5332_39E4_99A1,
        0xECB8_AD47_03B3_60A1, 0xFDE6_DC7F_E2EC_5E64,
      ]
    ),
    (
      UInt64(0xDEAD_BEEF),
      [
        0xC555_5444_A74D_7E83, 0x65C3_0D37_B4B1_6E38, 0x54F7_7320_0A4E_FA23,
        0x429A_ED75_FB95_8AF7, 0xFB0E_1DD6_9C25_5B2E,
      ]
    ),
  ])
  func matchesReferenceImplementation(seed: UInt64, expected: [UInt64]) {
    var random = SeededRandom(seed: seed)
    let outputs = expected.map { _ in random.next() }
    #expect(outputs == expected)
  }

  @Test func splitMixMatchesReference() {
    var state: UInt64 = 0
    #expect(SeededRandom.splitMix64(&state) == 0xE220_A839_7B1D_CDAF)
  }

  @Test func sameSeedSameSequence() {
    var a = SeededRandom(seed: 7)
    var b = SeededRandom(seed: 7)
    for _ in 0..<100 {
      #expect(a.next() == b.next())
    }
  }

  @Test func differentSeedsDiffer() {
    var a = SeededRandom(seed: 1)
    var b = SeededRandom(seed: 2)
    let first = (0..<8).map { _ in a.next() }
    let second = (0..<8).map { _ in b.next() }
    #expect(first != second)
  }

  @Test func worksWithStandardLibraryRandomAPIs() {
    var random = SeededRandom(seed: 3)
    var counts = [Int](repeating: 0, count: 10)
    for _ in 0..<10_000 {
      counts[Int.random(in: 0..<10, using: &random)] += 1
    }
    // Each bucket expects 1,000; a fair generator stays well within ±200.
    #expect(counts.allSatisfy { (800...1_200).contains($0) })
    var shuffled = Array(0..<20)
    shuffled.shuffle(using: &random)
    #expect(shuffled.sorted() == Array(0..<20))
  }
}
