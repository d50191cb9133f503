import Testing
import UsnetCLI

@Suite struct FormattingTests {
  @Test func durations() {
    #expect(Formatting.duration(.milliseconds(20)) == "20ms")
    #expect(Formatting.duration(.milliseconds(1500)) == "1.5s")
    #expect(Formatting.duration(.seconds(600)) == "600s")
    #expect(Formatting.duration(.microseconds(250)) == "250us")
    #expect(Formatting.duration(.nanoseconds(7)) == "7ns")
    #expect(Formatting.duration(.zero) == "0s")
  }

  @Test func numbers() {
    #expect(Formatting.fixed(1.5, places: 2) == "1.50")
    #expect(Formatting.fixed(0.005, places: 3) == "0.005")
    #expect(
      Formatting.fixed(-2.25, places: 1) == "-2.3" || Formatting.fixed(-2.25, places: 1) == "-2.2")
    #expect(Formatting.megabits(93_214_000) == "93.21")
    #expect(Formatting.percent(0.001) == "0.1%")
    #expect(Formatting.percent(0.05) == "5%")
    #expect(Formatting.bytes(20_000_000) == "20M")
    #expect(Formatting.bytes(1514) == "1514")
    #expect(Formatting.bitRate(100_000_000) == "100Mbit")
    #expect(Formatting.seconds(.milliseconds(8412)) == "8.412")
  }
}
