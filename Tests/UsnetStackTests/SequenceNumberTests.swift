import Testing

@testable import UsnetStack

@Suite struct SequenceNumberTests {
  @Test func additionWrapsAround() {
    let near = SequenceNumber(UInt32.max - 1)
    #expect((near + 1).rawValue == UInt32.max)
    #expect((near + 2).rawValue == 0)
    #expect((near + 12).rawValue == 10)
    #expect((SequenceNumber(5) - 10).rawValue == UInt32.max - 4)
    #expect((SequenceNumber(5) + -10) == SequenceNumber(5) - 10)
    var s = SequenceNumber(rawValue: UInt32.max)
    s += 1
    #expect(s == SequenceNumber(0))
    s -= 1
    #expect(s.rawValue == UInt32.max)
    // Large Int offsets are taken modulo 2^32 and never trap.
    #expect(SequenceNumber(7) + (1 << 32) == SequenceNumber(7))
    #expect(SequenceNumber(7) + Int.min == SequenceNumber(7))
    #expect(SequenceNumber(7) - Int.min == SequenceNumber(7))
  }

  @Test func signedDistanceAcrossTheWrap() {
    let before = SequenceNumber(UInt32.max - 9)
    let after = SequenceNumber(10)
    #expect(after - before == 20)
    #expect(before - after == -20)
    #expect(after - after == 0)
    #expect(SequenceNumber(0x7FFF_FFFF) - SequenceNumber(0) == Int(Int32.max))
    #expect(SequenceNumber(0x8000_0000) - SequenceNumber(0) == Int(Int32.min))
  }

  @Test func comparisonAcrossTheWrap() {
    let before = SequenceNumber(UInt32.max - 9)
    let after = SequenceNumber(10)
    #expect(before < after)
    #expect(!(after < before))
    #expect(after > before)
    #expect(before <= before)
    #expect(SequenceNumber.max(before, after) == after)
    #expect(SequenceNumber.min(before, after) == before)
    #expect(SequenceNumber.max(after, before) == after)
    #expect(SequenceNumber.min(after, before) == before)
    // Half the circle ahead is still "after"; beyond that it is "before".
    #expect(SequenceNumber(0) < SequenceNumber(0x7FFF_FFFF))
    #expect(SequenceNumber(0x8000_0001) < SequenceNumber(0))
  }

  @Test func orderIsConsistentWithinHalfTheCircle() {
    var random = SeededRandom(seed: 5)
    for _ in 0..<1_000 {
      let a = SequenceNumber(UInt32.random(in: 0...UInt32.max, using: &random))
      let delta = Int.random(in: -0x7FFF_FFFF...0x7FFF_FFFF, using: &random)
      let b = a + delta
      #expect(b - a == delta)
      #expect((a < b) == (delta > 0))
      #expect((b < a) == (delta < 0))
      #expect(b - delta == a)
    }
  }

  @Test func window() {
    let start = SequenceNumber(UInt32.max - 4)
    #expect(start.isInWindow(start: start, length: 1))
    #expect((start + 9).isInWindow(start: start, length: 10))
    #expect(!(start + 10).isInWindow(start: start, length: 10))
    #expect(!(start - 1).isInWindow(start: start, length: 10))
    #expect(!start.isInWindow(start: start, length: 0))
    #expect(!start.isInWindow(start: start, length: -3))
    #expect((start - 1).isInWindow(start: start, length: 1 << 32))
  }

  @Test func hashingAndDescription() {
    #expect(Set([SequenceNumber(1), SequenceNumber(rawValue: 1), SequenceNumber(2)]).count == 2)
    #expect(SequenceNumber(4_294_967_295).description == "4294967295")
    #expect("\(SequenceNumber(0))" == "0")
  }
}
