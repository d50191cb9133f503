import ArgumentParser
import Testing
import UsnetCLI

/// `usnet bridge-compare` without root: options become settings, bad values are rejected
/// with the option and the value, and the report's medians, ratios and failures follow the
/// results it is given.
@Suite struct BridgeCompareArgumentsTests {
  /// The settings `usnet bridge-compare <arguments>` would run.
  func settings(_ arguments: [String]) throws -> BridgeCompareSettings {
    let command = try UsnetCommand.parseAsRoot(["bridge-compare"] + arguments)
    let compare = try #require(command as? BridgeCompareCommand)
    return try compare.arguments.settings()
  }

  /// The message `usnet bridge-compare <arguments>` prints, or `nil` if they parse.
  func failure(_ arguments: [String]) -> String? {
    do {
      _ = try UsnetCommand.parseAsRoot(["bridge-compare"] + arguments)
      return nil
    } catch {
      return UsnetCommand.message(for: error)
    }
  }

  @Test func defaults() throws {
    let defaults = try settings([])
    #expect(defaults == BridgeCompareSettings())
    #expect(defaults.bytes == 20_000_000)
    #expect(defaults.loss == 0.01)
    #expect(defaults.rtt == .milliseconds(20))
    #expect(defaults.repetitions == 3)
    #expect(defaults.kernelCongestionControl == nil)
    #expect(defaults.output == nil)
  }

  @Test func options() throws {
    let parsed = try settings([
      "--bytes", "50M", "--loss", "2%", "--rtt", "40ms", "--seed", "7", "--repetitions", "5",
      "--kernel-cc", "cubic", "--time-limit", "60s", "--output", "/tmp/x.md",
    ])
    #expect(parsed.bytes == 50_000_000)
    #expect(parsed.loss == 0.02)
    #expect(parsed.rtt == .milliseconds(40))
    #expect(parsed.seed(ofRepetition: 2) == 9)
    #expect(parsed.repetitions == 5)
    #expect(parsed.kernelCongestionControl == "cubic")
    #expect(parsed.timeLimit == .seconds(60))
    #expect(parsed.output == "/tmp/x.md")
  }

  @Test func badValues() {
    #expect(failure(["--loss", "1"])?.contains("--loss") == true)
    #expect(failure(["--repetitions", "0"])?.contains("--repetitions") == true)
    #expect(failure(["--kernel-cc", "cubic;rm"])?.contains("--kernel-cc") == true)
    #expect(failure(["--bytes", "lots"])?.contains("--bytes") == true)
  }

  @Test func reportShowsMediansRatiosAndFailures() {
    var comparison = BridgeComparison(settings: BridgeCompareSettings())
    comparison.settings.repetitions = 2
    let seconds: [BridgeTransferKind: [Int64]] = [
      .kernelToKernel: [20, 10], .kernelToUsnet: [10, 20], .usnetToKernel: [20, 40],
    ]
    for repetition in 0..<2 {
      for kind in BridgeTransferKind.allCases {
        var result = BridgeTransferResult(
          kind: kind, repetition: repetition, seed: UInt64(repetition + 1), bytes: 20_000_000)
        result.bytesReceived = 20_000_000
        result.intact = true
        result.duration = .seconds(seconds[kind]?[repetition] ?? 1)
        comparison.results.append(result)
      }
    }
    // 8 and 16 Mbit/s each for kernel→kernel and kernel→usnet; 8 and 4 for usnet→kernel.
    #expect(comparison.medianGoodput(.kernelToKernel) == 12_000_000)
    #expect(comparison.medianRatio(.kernelToUsnet) == 1)
    #expect(comparison.ratio(.usnetToKernel, repetition: 1) == 0.25)
    #expect(comparison.succeeded)
    var text = BridgeCompareReport.text(comparison)
    #expect(text.contains("| 2 | 2 | 16.00 | 8.00 | 4.00 | 0.50× | 0.25× |"))
    #expect(
      text.contains("| **median** | | **12.00** | **12.00** | **6.00** | **1.00×** | **0.50×** |"))
    #expect(text.contains("Every transfer completed"))

    comparison.results[2].failure = "not finished within 300s"
    #expect(!comparison.succeeded)
    text = BridgeCompareReport.text(comparison)
    #expect(text.contains("| 1 | 1 | 8.00 | 16.00 | failed | 2.00× | – |"))
    #expect(text.contains("not finished within 300s"))
  }
}
