import Testing

@testable import UsnetStack

@Suite struct InitialSequenceNumbersTests {
  static func generator(seed: UInt64) -> InitialSequenceNumbers {
    var random = SeededRandom(seed: seed)
    return InitialSequenceNumbers(using: &random)
  }

  static let local: UInt32 = 0x0A00_0001  // 10.0.0.1
  static let remote: UInt32 = 0x0A00_0002  // 10.0.0.2

  @Test func differentFourTuplesDiffer() {
    let isn = Self.generator(seed: 1)
    let now = Instant.seconds(5)
    let base = isn.next(
      localAddress: Self.local, localPort: 80, remoteAddress: Self.remote, remotePort: 40_000,
      at: now)
    let variants = [
      isn.next(
        localAddress: Self.local, localPort: 80, remoteAddress: Self.remote, remotePort: 40_001,
        at: now),
      isn.next(
        localAddress: Self.local, localPort: 81, remoteAddress: Self.remote, remotePort: 40_000,
        at: now),
      isn.next(
        localAddress: Self.local, localPort: 80, remoteAddress: Self.remote + 1, remotePort: 40_000,
        at: now),
      isn.next(
        localAddress: Self.local + 1, localPort: 80, remoteAddress: Self.remote, remotePort: 40_000,
        at: now),
      // Swapping the two ends is a different tuple too.
      isn.next(
        localAddress: Self.remote, localPort: 40_000, remoteAddress: Self.local, remotePort: 80,
        at: now),
    ]
    for value in variants {
      #expect(value != base)
    }
    #expect(Set(variants).count == variants.count)
  }

  @Test func manyPortsSpreadOverTheSpace() {
    let isn = Self.generator(seed: 2)
    var seen = Set<UInt32>()
    var highHalf = 0
    for port in UInt16(1_024)..<UInt16(2_048) {
      let value = isn.next(
        localAddress: Self.local, localPort: 443, remoteAddress: Self.remote, remotePort: port,
        at: .zero)
      seen.insert(value)
      if value >= 0x8000_0000 { highHalf += 1 }
    }
    #expect(seen.count == 1_024)
    #expect((412...612).contains(highHalf))
  }

  @Test func sameTupleAdvancesOnePer4Microseconds() {
    let isn = Self.generator(seed: 3)
    func at(_ t: Instant) -> SequenceNumber {
      SequenceNumber(
        isn.next(
          localAddress: Self.local, localPort: 5_000, remoteAddress: Self.remote, remotePort: 6_000,
          at: t))
    }
    let start = Instant.seconds(100)
    #expect(at(start) == at(start))
    #expect(at(start + .nanoseconds(3_999)) - at(start) == 0)
    #expect(at(start + .microseconds(4)) - at(start) == 1)
    #expect(at(start + .microseconds(400)) - at(start) == 100)
    #expect(at(start + .seconds(1)) - at(start) == 250_000)
    // The clock wraps after 2^32 ticks (~4.77 hours) and keeps counting modulo 2^32.
    let wrap = Duration.microseconds(4 * (1 << 32))
    #expect(at(start + wrap) == at(start))
    // Monotonic across a negative clock origin, too.
    #expect(at(Instant(nanoseconds: 1)) - at(Instant(nanoseconds: -1)) == 1)
  }

  @Test func differentSecretsDiffer() {
    let a = Self.generator(seed: 10)
    let b = Self.generator(seed: 11)
    var equal = 0
    for port in UInt16(1)...UInt16(64) {
      let x = a.next(
        localAddress: Self.local, localPort: 22, remoteAddress: Self.remote, remotePort: port,
        at: .milliseconds(7))
      let y = b.next(
        localAddress: Self.local, localPort: 22, remoteAddress: Self.remote, remotePort: port,
        at: .milliseconds(7))
      if x == y { equal += 1 }
    }
    #expect(equal == 0)
  }

  @Test func sameSeedIsReproducible() {
    let a = Self.generator(seed: 99)
    let b = Self.generator(seed: 99)
    #expect(
      a.next(
        localAddress: 1, localPort: 2, remoteAddress: 3, remotePort: 4, at: .seconds(1))
        == b.next(localAddress: 1, localPort: 2, remoteAddress: 3, remotePort: 4, at: .seconds(1)))
  }
}
