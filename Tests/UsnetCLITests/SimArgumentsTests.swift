import ArgumentParser
import Testing
import UsnetCLI
import UsnetSim

/// `usnet sim` as the command line sees it: options become settings, and bad values or
/// combinations are rejected before anything runs, with the option, the value and the forms.
@Suite struct SimArgumentsTests {
  /// The settings `usnet sim <arguments>` would run.
  func settings(_ arguments: [String]) throws -> SimSettings {
    let command = try UsnetCommand.parseAsRoot(["sim"] + arguments)
    let sim = try #require(command as? SimCommand)
    return try sim.arguments.settings()
  }

  /// The message `usnet sim <arguments>` prints, or `nil` if they parse.
  func failure(_ arguments: [String]) -> String? {
    do {
      _ = try UsnetCommand.parseAsRoot(["sim"] + arguments)
      return nil
    } catch {
      return UsnetCommand.message(for: error)
    }
  }

  @Test func defaults() throws {
    let defaults = try settings([])
    #expect(defaults == SimSettings())
    #expect(defaults.bytes == 10_000_000)
    #expect(defaults.rtt == .milliseconds(20))
    #expect(defaults.loss == .none)
    #expect(defaults.mtuPolicy == .fragmentationNeeded)
  }

  @Test func theIssueExample() throws {
    let parsed = try settings(
      ["--loss", "1%", "--rtt", "20ms", "--bytes", "100M", "--seed", "7", "--pcap", "out.pcap"])
    #expect(parsed.loss == .bernoulli(0.01))
    #expect(parsed.rtt == .milliseconds(20))
    #expect(parsed.bytes == 100_000_000)
    #expect(parsed.seed == 7)
    #expect(parsed.pcap == "out.pcap")
  }

  @Test func everyImpairment() throws {
    let parsed = try settings([
      "--gilbert", "0.5%,25%", "--reorder", "5%", "--reorder-delay", "3ms", "--duplicate", "2%",
      "--corrupt", "1%", "--jitter", "1ms", "--rate", "100Mbit", "--queue", "64K", "--mtu",
      "9000", "--mtu-change", "1280@2s", "--mtu-change", "1500@4s", "--mtu-policy", "drop",
      "--time-limit", "30s",
    ])
    #expect(parsed.loss == .gilbertElliott(GilbertElliott(goodToBad: 0.005, badToGood: 0.25)))
    #expect(parsed.reorder == 0.05)
    #expect(parsed.reorderDelay == .milliseconds(3))
    #expect(parsed.duplicate == 0.02)
    #expect(parsed.corrupt == 0.01)
    #expect(parsed.jitter == .milliseconds(1))
    #expect(parsed.rate == 100_000_000)
    #expect(parsed.queue == 64_000)
    #expect(parsed.mtu == 9000)
    #expect(
      parsed.mtuChanges == [
        MTUChange(mtu: 1280, after: .seconds(2)), MTUChange(mtu: 1500, after: .seconds(4)),
      ])
    #expect(parsed.mtuPolicy == .drop)
    #expect(parsed.timeLimit == .seconds(30))
    let impairments = parsed.impairments
    #expect(impairments.rateBitsPerSecond == 100_000_000)
    #expect(impairments.queueBytes == 64_000)
    #expect(impairments.reorderProbability == 0.05)
    let scenario = parsed.scenario()
    #expect(scenario.mtu == 9000)
    #expect(scenario.mtuChanges.map(\.mtu) == [1280, 1500])
    #expect(scenario.timeLimit == .seconds(30))
  }

  @Test func zeroLossIsNoLoss() throws {
    #expect(try settings(["--loss", "0"]).loss == .none)
    #expect(try settings(["--loss", "0%"]).loss == .none)
  }

  @Test(arguments: [
    (["--loss", "1"], "--loss", "1"),
    (["--bytes", "100Q"], "--bytes", "100Q"),
    (["--rtt", "20"], "--rtt", "20"),
    (["--reorder", "5"], "--reorder", "5"),
    (["--reorder", "5%", "--reorder-delay", "fast"], "--reorder-delay", "fast"),
    (["--duplicate", "200%"], "--duplicate", "200%"),
    (["--corrupt", "x"], "--corrupt", "x"),
    (["--jitter", "-1ms"], "--jitter", "-1ms"),
    (["--rate", "100M"], "--rate", "100M"),
    (["--rate", "1Mbit", "--queue", "1K"], "--queue", "1K"),
    (["--mtu", "100"], "--mtu", "100"),
    (["--mtu-change", "1280"], "--mtu-change", "1280"),
    (["--mtu-policy", "reject"], "--mtu-policy", "reject"),
    (["--seed", "-7"], "--seed", "-7"),
    (["--gilbert", "1%"], "--gilbert", "1%"),
    (["--time-limit", "0s"], "--time-limit", "0s"),
  ])
  func badValuesNameOptionAndValue(arguments: [String], option: String, value: String) throws {
    let message = try #require(failure(arguments), "\(arguments) parsed")
    #expect(
      message.hasPrefix("invalid value \"\(value)\" for \(option): expected "), "\(message)")
  }

  @Test func queueSmallerThanAFrameSaysTheMinimum() throws {
    let message = try #require(failure(["--rate", "1Mbit", "--queue", "1K"]))
    #expect(message.hasSuffix("(at least 1514 bytes)"), "\(message)")
  }

  @Test func conflictsAndDependencies() throws {
    #expect(
      failure(["--loss", "1%", "--gilbert", "1%,25%"])
        == "--loss 1% and --gilbert cannot be combined: choose independent or bursty loss")
    #expect(failure(["--reorder-delay", "3ms"]) == "--reorder-delay 3ms needs --reorder")
    #expect(
      failure(["--queue", "64K"]) == "--queue 64K needs --rate (the queue is the rate's)")
  }

  @Test func unknownOptionsAreRejected() throws {
    let message = try #require(failure(["--los", "1%"]))
    #expect(message.contains("--los"), "\(message)")
  }

  @Test func summaryNamesTheSettings() throws {
    let parsed = try settings(["--loss", "0.1%", "--rtt", "50ms", "--bytes", "20M"])
    #expect(parsed.summary == "20M bytes, RTT 50ms, loss 0.1%, MTU 1500, seed 1")
  }

  @Test func tableOptions() throws {
    #expect(throws: Never.self) {
      _ = try UsnetCommand.parseAsRoot(["sim-table", "--bytes", "1M", "--jobs", "2"])
    }
    do {
      _ = try UsnetCommand.parseAsRoot(["sim-table", "--jobs", "0"])
      Issue.record("--jobs 0 parsed")
    } catch {
      #expect(
        UsnetCommand.message(for: error)
          == "invalid value \"0\" for --jobs: expected an integer from 1 to 1024")
    }
  }
}
