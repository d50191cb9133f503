import ArgumentParser
import Testing
import UsnetCLI
import UsnetSim

/// `usnet sim-flows` as the command line sees it: options become settings, bad values and
/// combinations are rejected with the option, the value and the forms, and the report's
/// verdict and Markdown follow the result.
@Suite struct SimFlowsArgumentsTests {
  /// The settings `usnet sim-flows <arguments>` would run.
  func settings(_ arguments: [String]) throws -> SimFlowsSettings {
    let command = try UsnetCommand.parseAsRoot(["sim-flows"] + arguments)
    let flows = try #require(command as? SimFlowsCommand)
    return try flows.arguments.settings()
  }

  /// The message `usnet sim-flows <arguments>` prints, or `nil` if they parse.
  func failure(_ arguments: [String]) -> String? {
    do {
      _ = try UsnetCommand.parseAsRoot(["sim-flows"] + arguments)
      return nil
    } catch {
      return UsnetCommand.message(for: error)
    }
  }

  @Test func defaults() throws {
    let defaults = try settings([])
    #expect(defaults == SimFlowsSettings())
    #expect(defaults.flows == 8)
    #expect(defaults.rate == 100_000_000)
    #expect(defaults.queue == 65536)
    #expect(defaults.rtt == .milliseconds(20))
    #expect(defaults.duration == .seconds(30))
    #expect(defaults.loss == .none)
    #expect(defaults.seed == 1)
    #expect(defaults.output == nil)
    let scenario = defaults.scenario
    #expect(scenario.flows == 8)
    #expect(scenario.bottleneck.rateBitsPerSecond == 100_000_000)
    #expect(scenario.bottleneck.queueBytes == 65536)
    #expect(scenario.reverse.rateBitsPerSecond == nil)
    #expect(scenario.measurementStart == .milliseconds(5700))
  }

  @Test func theIssueSetting() throws {
    let parsed = try settings([
      "--flows", "8", "--rate", "100Mbit", "--queue", "64K", "--rtt", "20ms", "--duration",
      "30s", "--seed", "1", "--loss", "0.1%", "--stagger", "0s", "--warmup", "2s", "--output",
      "fairness.md",
    ])
    #expect(parsed.flows == 8)
    #expect(parsed.rate == 100_000_000)
    #expect(parsed.queue == 64_000)
    #expect(parsed.loss == .bernoulli(0.001))
    #expect(parsed.stagger == .zero)
    #expect(parsed.warmup == .seconds(2))
    #expect(parsed.output == "fairness.md")
    let scenario = parsed.scenario
    #expect(scenario.bottleneck.loss == .bernoulli(0.001))
    #expect(scenario.reverse.loss == .bernoulli(0.001))
    #expect(scenario.measurementStart == .seconds(2))
    #expect(
      parsed.summary
        == "8 flows, rate 100Mbit, queue 64000 bytes, RTT 20ms, duration 30s, stagger 0s,"
        + " warmup 2s, loss 0.1%, seed 1")
  }

  @Test(arguments: [
    (["--flows", "0"], "--flows", "0"),
    (["--flows", "201"], "--flows", "201"),
    (["--flows", "eight"], "--flows", "eight"),
    (["--rate", "100M"], "--rate", "100M"),
    (["--queue", "1K"], "--queue", "1K"),
    (["--rtt", "20"], "--rtt", "20"),
    (["--duration", "0s"], "--duration", "0s"),
    (["--stagger", "-1s"], "--stagger", "-1s"),
    (["--warmup", "soon"], "--warmup", "soon"),
    (["--loss", "1"], "--loss", "1"),
    (["--seed", "x"], "--seed", "x"),
    (["--output", ""], "--output", ""),
  ])
  func badValuesNameOptionAndValue(arguments: [String], option: String, value: String) throws {
    let message = try #require(failure(arguments), "\(arguments) parsed")
    #expect(
      message.hasPrefix("invalid value \"\(value)\" for \(option): expected "), "\(message)")
  }

  @Test func theRateNeedsItsUnit() throws {
    let message = try #require(failure(["--rate", "100M"]))
    #expect(message.hasSuffix("expected " + ValueParsers.bitRateForms), "\(message)")
  }

  @Test func aDurationWithoutFairnessIntervalIsRejected() throws {
    #expect(
      failure(["--duration", "5s"])
        == "--duration 5s leaves no fairness interval: it must exceed (--flows − 1) × --stagger"
        + " + --warmup = 5.7s")
    #expect(failure(["--duration", "5s", "--warmup", "1s"]) == nil)
  }

  @Test func verdictAndMarkdownFollowTheResult() throws {
    var parsed = try settings([
      "--flows", "2", "--rate", "10Mbit", "--duration", "2s", "--warmup", "500ms",
    ])
    parsed.output = nil
    let result = parsed.scenario.run()
    #expect(result.flows.count == 2)
    let provenance = GoodputTable.Provenance(
      command: "usnet sim-flows --flows 2", commit: "`abc1234`", date: "2026-01-02",
      build: "debug", wallTime: .seconds(1), jobs: 1)
    let markdown = FairnessReport.markdown(result, settings: parsed, provenance: provenance)
    let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(lines.contains("- Command: `usnet sim-flows --flows 2`"))
    #expect(lines.contains("- Commit: `abc1234`"))
    // The flow table (flow, start, ...) and the per-span table (flow, one span) each have
    // a row per flow.
    #expect(
      lines.filter { $0.hasPrefix("| 0 | 0.000 |") || $0.hasPrefix("| 1 | 0.100 |") }.count == 2)
    #expect(lines.filter { $0.hasPrefix("| 0 |") || $0.hasPrefix("| 1 |") }.count == 4)
    #expect(lines.contains { $0.hasPrefix("- Jain's fairness index: ") })
    #expect(lines.contains("| Flow | 0s–2s |"), "\(markdown)")
    #expect(lines.contains { $0.hasPrefix("| Jain | ") })
    #expect(lines.allSatisfy { $0.count <= 100 || $0.hasPrefix("|") }, "\(markdown)")
    let text = FairnessReport.text(result, settings: parsed)
    #expect(text.contains("Jain index"))
    #expect(text.hasSuffix(FairnessReport.verdict(result)))
  }

  @Test func unfairOrDamagedRunsFail() {
    func flow(_ index: Int, _ goodput: Double, mismatch: Int? = nil) -> FlowResult {
      FlowResult(
        index: index, start: .zero, established: .zero, bytes: 1000, intervalBytes: 1000,
        goodputBitsPerSecond: goodput, retransmissions: 0, timeouts: 0, fastRetransmits: 0,
        congestionWindow: 14600, smoothedRTT: .milliseconds(20), firstMismatch: mismatch,
        failure: nil, samples: [])
    }
    func result(_ flows: [FlowResult]) -> MultiFlowResult {
      MultiFlowResult(
        flows: flows, rateBitsPerSecond: 100_000_000, queueBytes: 65536,
        rtt: .milliseconds(20), duration: .seconds(30), measurementStart: .seconds(5),
        measurementEnd: .seconds(30), sampleInterval: .seconds(1), bottleneckLink: LinkCounters(),
        reverseLink: LinkCounters(), failure: nil, wallTime: .seconds(1))
    }
    let fair = result([flow(0, 48e6), flow(1, 48e6)])
    #expect(FairnessReport.problems(fair).isEmpty)
    #expect(FairnessReport.verdict(fair).hasPrefix("PASS: Jain index 1.0000 >= 0.9"))
    let unfair = result([flow(0, 90e6), flow(1, 6e6)])
    #expect(
      FairnessReport.problems(unfair) == ["the Jain index 0.5664 is below 0.9"],
      "\(unfair.jainIndex)")
    let damaged = result([flow(0, 48e6), flow(1, 48e6, mismatch: 4096)])
    #expect(FairnessReport.problems(damaged) == ["flow 1's data is damaged from byte 4096"])
    #expect(FairnessReport.verdict(damaged).hasPrefix("FAIL: "))
  }
}
