import Testing
import UsnetCLI
import UsnetSim

/// The typed parsers behind the `usnet sim` options: every documented form, and precise
/// messages for everything else.
@Suite struct ValueParserTests {
  @Test(arguments: [
    ("1500", 1500), ("64K", 64_000), ("64k", 64_000), ("100M", 100_000_000),
    ("20MB", 20_000_000), ("1.5G", 1_500_000_000), ("2.5K", 2_500), ("1B", 1),
  ])
  func byteCounts(text: String, bytes: Int) throws {
    #expect(try ValueParsers.byteCount(text, option: "--bytes") == bytes)
  }

  @Test(arguments: ["", "M", "-5", "1.5", "10X", "10 M", "0", "1e6", "10MiB", "1.2.3"])
  func badByteCounts(text: String) {
    #expect(throws: OptionValueError.self) {
      try ValueParsers.byteCount(text, option: "--bytes")
    }
  }

  @Test func byteCountMessageNamesOptionValueAndForms() {
    #expect {
      try ValueParsers.byteCount("10X", option: "--bytes")
    } throws: { error in
      "\(error)"
        == "invalid value \"10X\" for --bytes: expected a whole number of bytes with an"
        + " optional decimal suffix K, M or G (and optional B), like 1500, 64K, 100M or 1.5G"
        + " (at least 1 byte)"
    }
  }

  @Test(arguments: [
    ("20ms", Duration.milliseconds(20)), ("500us", .microseconds(500)),
    ("1.5s", .milliseconds(1500)),
    ("250ns", .nanoseconds(250)), ("0s", .zero), ("0.1ms", .microseconds(100)),
  ])
  func durations(text: String, duration: Duration) throws {
    #expect(try ValueParsers.duration(text, option: "--rtt") == duration)
  }

  @Test(arguments: ["20", "ms", "-1ms", "20 ms", "1h", "20msec", "1e3ms"])
  func badDurations(text: String) {
    #expect(throws: OptionValueError.self) {
      try ValueParsers.duration(text, option: "--rtt")
    }
  }

  @Test func durationMessage() {
    #expect {
      try ValueParsers.duration("20", option: "--rtt")
    } throws: { error in
      "\(error)"
        == "invalid value \"20\" for --rtt: expected a number with a unit ns, us, ms or s,"
        + " like 20ms, 500us or 1.5s (from 0s to 86400s)"
    }
  }

  @Test(arguments: [("1%", 0.01), ("0.1%", 0.001), ("100%", 1.0), ("0%", 0.0), ("0", 0.0)])
  func percentages(text: String, fraction: Double) throws {
    #expect(abs(try ValueParsers.fraction(text, option: "--loss") - fraction) < 1e-12)
  }

  @Test(arguments: ["1", "0.01", "101%", "-1%", "%", "1%%", "one%", "1 %"])
  func badPercentages(text: String) {
    #expect {
      try ValueParsers.fraction(text, option: "--loss")
    } throws: { error in
      "\(error)"
        == "invalid value \"\(text)\" for --loss: expected a percentage from 0% to 100%,"
        + " like 1%, 0.1% or 0"
    }
  }

  @Test(arguments: [
    ("100Mbit", 100_000_000), ("1Gbit/s", 1_000_000_000), ("10kbit", 10_000),
    ("1.5Mbit", 1_500_000), ("9600bit", 9600), ("2GBIT", 2_000_000_000),
  ])
  func bitRates(text: String, rate: Int) throws {
    #expect(try ValueParsers.bitRate(text, option: "--rate") == rate)
  }

  @Test(arguments: ["100M", "100Mbps", "0bit", "100MB", "Mbit", "100Mbit/h"])
  func badBitRates(text: String) {
    #expect {
      try ValueParsers.bitRate(text, option: "--rate")
    } throws: { error in
      "\(error)".hasPrefix("invalid value \"\(text)\" for --rate: expected a rate with a unit")
    }
  }

  @Test func integers() throws {
    #expect(try ValueParsers.integer("1500", option: "--mtu", range: 576...65535) == 1500)
    #expect {
      try ValueParsers.integer("500", option: "--mtu", range: 576...65535)
    } throws: { error in
      "\(error)" == "invalid value \"500\" for --mtu: expected an integer from 576 to 65535"
    }
    #expect(throws: OptionValueError.self) {
      try ValueParsers.integer("1500.0", option: "--mtu", range: 576...65535)
    }
  }

  @Test func seeds() throws {
    #expect(try ValueParsers.seed("7", option: "--seed") == 7)
    #expect(try ValueParsers.seed("0x2A", option: "--seed") == 42)
    #expect(try ValueParsers.seed("18446744073709551615", option: "--seed") == .max)
    for bad in ["-1", "seven", "18446744073709551616", "0x", ""] {
      #expect {
        try ValueParsers.seed(bad, option: "--seed")
      } throws: { error in
        "\(error)"
          == "invalid value \"\(bad)\" for --seed: expected an unsigned 64-bit integer,"
          + " decimal or 0x hexadecimal, like 7 or 0x2a"
      }
    }
  }

  @Test func gilbertElliott() throws {
    let two = try ValueParsers.gilbertElliott("0.5%,25%", option: "--gilbert")
    #expect(two == GilbertElliott(goodToBad: 0.005, badToGood: 0.25, lossInGood: 0, lossInBad: 1))
    let four = try ValueParsers.gilbertElliott("1%,30%,80%,0.1%", option: "--gilbert")
    #expect(abs(four.goodToBad - 0.01) < 1e-12)
    #expect(abs(four.badToGood - 0.3) < 1e-12)
    #expect(abs(four.lossInBad - 0.8) < 1e-12)
    #expect(abs(four.lossInGood - 0.001) < 1e-12)
    for bad in ["1%", "1%,2%,3%,4%,5%", "1%,0%", "1%,x", "1%,,2%", "0.01,0.25"] {
      #expect {
        try ValueParsers.gilbertElliott(bad, option: "--gilbert")
      } throws: { error in
        "\(error)".hasPrefix("invalid value \"\(bad)\" for --gilbert: expected P,R[,BAD[,GOOD]]")
      }
    }
  }

  @Test func mtuChanges() throws {
    #expect(
      try ValueParsers.mtuChange("1280@2s", option: "--mtu-change")
        == MTUChange(mtu: 1280, after: .seconds(2)))
    #expect(
      try ValueParsers.mtuChange("576@1500ms", option: "--mtu-change")
        == MTUChange(mtu: 576, after: .milliseconds(1500)))
    for bad in ["1280", "1280@", "@2s", "1280@2", "67@1s", "1280@2s@3s", "big@1s"] {
      #expect {
        try ValueParsers.mtuChange(bad, option: "--mtu-change")
      } throws: { error in
        "\(error)"
          == "invalid value \"\(bad)\" for --mtu-change: expected MTU@TIME with an MTU from 68"
          + " to 65535 and a time after the handshake, like 1280@2s"
      }
    }
  }

  @Test func mtuPolicies() throws {
    #expect(try ValueParsers.mtuPolicy("drop", option: "--mtu-policy") == .drop)
    #expect(try ValueParsers.mtuPolicy("icmp", option: "--mtu-policy") == .fragmentationNeeded)
    #expect {
      try ValueParsers.mtuPolicy("reject", option: "--mtu-policy")
    } throws: { error in
      "\(error)"
        == "invalid value \"reject\" for --mtu-policy: expected drop (silently, a PMTUD black"
        + " hole) or icmp (answer fragmentation needed)"
    }
  }
}
