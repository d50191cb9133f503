import Testing

@testable import UsnetSim

/// The multi-flow receiver's byte check: a pattern checks what another with the same seed
/// produced, however both are chunked, and names the first damaged byte.
@Suite struct PayloadPatternTests {
  func stream(seed: UInt64, count: Int, chunk: Int) -> [UInt8] {
    var pattern = PayloadPattern(seed: seed)
    var bytes = [UInt8](repeating: 0, count: count)
    var offset = 0
    while offset < count {
      let end = Swift.min(offset + chunk, count)
      pattern.fill(&bytes, range: offset..<end)
      offset = end
    }
    return bytes
  }

  @Test func chunkingDoesNotChangeTheStream() {
    let whole = stream(seed: 3, count: 10_000, chunk: 10_000)
    #expect(stream(seed: 3, count: 10_000, chunk: 1) == whole)
    #expect(stream(seed: 3, count: 10_000, chunk: 7) == whole)
    #expect(stream(seed: 3, count: 10_000, chunk: 1448) == whole)
    #expect(stream(seed: 4, count: 10_000, chunk: 1448) != whole)
  }

  @Test func anIntactStreamHasNoMismatch() {
    let bytes = stream(seed: 9, count: 5000, chunk: 5000)
    var check = PayloadPattern(seed: 9)
    #expect(check.firstMismatch(in: bytes, range: 0..<1234) == nil)
    #expect(check.firstMismatch(in: bytes, range: 1234..<5000) == nil)
    #expect(check.position == 5000)
  }

  @Test func theFirstDamagedByteIsNamed() {
    var bytes = stream(seed: 9, count: 5000, chunk: 5000)
    bytes[3001] ^= 0x10
    bytes[4000] ^= 0x01
    var check = PayloadPattern(seed: 9)
    #expect(check.firstMismatch(in: bytes, range: 0..<3000) == nil)
    #expect(check.firstMismatch(in: bytes, range: 3000..<5000) == 3001)
    #expect(check.position == 5000)
  }
}
