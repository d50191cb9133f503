import Testing

@testable import UsnetStack

@Suite struct InstantTests {
  @Test func constructorsScale() {
    #expect(Instant.zero.nanoseconds == 0)
    #expect(Instant.microseconds(3).nanoseconds == 3_000)
    #expect(Instant.milliseconds(3).nanoseconds == 3_000_000)
    #expect(Instant.seconds(3).nanoseconds == 3_000_000_000)
    #expect(Instant.seconds(-2).nanoseconds == -2_000_000_000)
  }

  @Test func constructorsSaturate() {
    #expect(Instant.seconds(.max).nanoseconds == .max)
    #expect(Instant.seconds(.min).nanoseconds == .min)
    #expect(Instant.milliseconds(.max / 2).nanoseconds == .max)
  }

  @Test func addAndSubtractDurations() {
    var t = Instant.milliseconds(100)
    #expect(t + .milliseconds(20) == .milliseconds(120))
    #expect(t - .milliseconds(20) == .milliseconds(80))
    #expect(t + .microseconds(-5) == Instant(nanoseconds: 99_995_000))
    t += .seconds(1)
    #expect(t == .milliseconds(1_100))
    #expect(Instant.seconds(2) - Instant.milliseconds(500) == .milliseconds(1_500))
    #expect(Instant.zero - Instant.seconds(1) == .seconds(-1))
  }

  @Test func arithmeticSaturatesInsteadOfTrapping() {
    let late = Instant(nanoseconds: .max - 10)
    #expect((late + .seconds(1)).nanoseconds == .max)
    #expect((late + .seconds(Int64.max)).nanoseconds == .max)
    let early = Instant(nanoseconds: .min + 10)
    #expect((early - .seconds(1)).nanoseconds == .min)
    #expect((early + .seconds(Int64.min)).nanoseconds == .min)
    #expect((Instant.zero - .nanoseconds(Int64.min)).nanoseconds == .max)
    #expect((Instant.seconds(-1) - .nanoseconds(Int64.min)).nanoseconds == .max - 999_999_999)
  }

  @Test func instantDifferenceIsExactBeyondInt64() {
    let d = Instant(nanoseconds: .max) - Instant(nanoseconds: .min)
    #expect(d == .nanoseconds(Int64.max) + .nanoseconds(Int64.max) + .nanoseconds(1))
    #expect(d.totalNanoseconds == .max)
    #expect((Instant(nanoseconds: .min) - Instant(nanoseconds: .max)).totalNanoseconds == .min)
  }

  @Test func durationTotalNanoseconds() {
    #expect(Duration.seconds(2).totalNanoseconds == 2_000_000_000)
    #expect(Duration.milliseconds(-3).totalNanoseconds == -3_000_000)
    #expect(Duration.nanoseconds(7).totalNanoseconds == 7)
    #expect(Duration.seconds(1.5).totalNanoseconds == 1_500_000_000)
    #expect(Duration.seconds(Int64.max).totalNanoseconds == .max)
    #expect(Duration.seconds(Int64.min).totalNanoseconds == .min)
    // Sub-nanosecond parts truncate toward zero.
    #expect((Duration.nanoseconds(5) / 2).totalNanoseconds == 2)
  }

  @Test func ordering() {
    #expect(Instant.milliseconds(1) < .milliseconds(2))
    #expect(Instant.seconds(-1) < .zero)
    #expect(Swift.max(Instant.seconds(1), .milliseconds(1_500)) == .milliseconds(1_500))
    #expect(Instant.distantFuture > .seconds(1_000_000))
  }

  @Test func description() {
    #expect(Instant.zero.description == "0.000000000s")
    #expect(Instant(nanoseconds: 12_000_345_678).description == "12.000345678s")
    #expect(Instant.milliseconds(-1_500).description == "-1.500000000s")
    #expect(Instant(nanoseconds: .min).description == "-9223372036.854775808s")
  }
}
