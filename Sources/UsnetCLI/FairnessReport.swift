import UsnetSim

/// What `usnet sim-flows` prints and writes for a finished ``MultiFlowScenario``: the verdict
/// against ``minimumJainIndex``, a text report and a Markdown page.
public enum FairnessReport {
  /// The Jain index a run must reach to pass (issue 6: "at least 0.9").
  public static let minimumJainIndex = 0.9

  /// Why the run fails, one reason a line: setup failure, failed or damaged flows, a Jain
  /// index below ``minimumJainIndex``. Empty when it passes.
  public static func problems(_ result: MultiFlowResult) -> [String] {
    var problems: [String] = []
    if let failure = result.failure { problems.append("the run failed: \(failure)") }
    for flow in result.flows {
      if let offset = flow.firstMismatch {
        problems.append("flow \(flow.index)'s data is damaged from byte \(offset)")
      }
      if let failure = flow.failure { problems.append("flow \(flow.index) failed: \(failure)") }
    }
    if result.failure == nil && result.jainIndex < minimumJainIndex {
      problems.append(
        "the Jain index \(Formatting.fixed(result.jainIndex, places: 4)) is below"
          + " \(Formatting.trimmed(minimumJainIndex, places: 4))")
    }
    return problems
  }

  /// One line: `PASS: Jain index 0.9876 >= 0.9, every flow's data intact` or `FAIL: ...`.
  public static func verdict(_ result: MultiFlowResult) -> String {
    let problems = problems(result)
    guard problems.isEmpty else { return "FAIL: " + problems.joined(separator: "; ") }
    return
      "PASS: Jain index \(Formatting.fixed(result.jainIndex, places: 4)) >="
      + " \(Formatting.trimmed(minimumJainIndex, places: 4)), every flow's data intact"
  }

  /// The text report: the settings, the result's table and summary, and the verdict.
  public static func text(_ result: MultiFlowResult, settings: SimFlowsSettings) -> String {
    ["flows: " + settings.summary, result.description, verdict(result)].joined(separator: "\n")
  }

  /// The Markdown page: a header naming the command, commit, date and build, the conditions,
  /// a table of the flows, the aggregate, the Jain index, the bottleneck's drops and the
  /// verdict.
  public static func markdown(
    _ result: MultiFlowResult, settings: SimFlowsSettings, provenance: GoodputTable.Provenance
  ) -> String {
    var lines: [String] = []
    lines.append("# Fairness of concurrent flows (usnet sim-flows)")
    lines.append("")
    lines += provenance.markdownLines(measurement: "run", countsJobs: false)
    lines.append("")
    let lossText: String
    if case .bernoulli(let p) = settings.loss {
      lossText = "independent loss of \(Formatting.percent(p)) on each direction of it"
    } else {
      lossText = "no loss"
    }
    let conditions =
      "\(settings.flows) bulk TCP flows, each from its own sender stack on its own switch"
      + " port, send to one receiver stack for \(Formatting.duration(settings.duration)) of"
      + " virtual time. Every flow's data shares the link to the receiver:"
      + " \(Formatting.bitRate(settings.rate))/s with a \(settings.queue)-byte drop-tail"
      + " queue, \(lossText); the round-trip propagation time is"
      + " \(Formatting.duration(settings.rtt)). Flows start"
      + " \(Formatting.duration(settings.stagger)) apart; goodput (payload bits per second of"
      + " virtual time) and Jain's fairness index (Σx)² / (n·Σx²) are measured from"
      + " \(Formatting.seconds(result.measurementStart)) s, \(Formatting.duration(settings.warmup))"
      + " after the last start, to the end. Default stack configuration (CUBIC), seed"
      + " \(settings.seed), MTU 1500. The receiver checks every byte against the sent stream."
    lines += Formatting.wrap(conditions)
    lines.append("")
    lines.append(
      "| Flow | Start (s) | Mbit/s | Share | Bytes | Retransmissions | Timeouts | Data |")
    lines.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | :--- |")
    let aggregate = result.aggregateGoodputBitsPerSecond
    for flow in result.flows {
      let share = aggregate > 0 ? flow.goodputBitsPerSecond / aggregate : 0
      let data = flow.intact ? "intact" : (flow.firstMismatch != nil ? "damaged" : "failed")
      lines.append(
        "| \(flow.index) | \(Formatting.seconds(flow.start)) |"
          + " \(Formatting.megabits(flow.goodputBitsPerSecond)) |"
          + " \(Formatting.fixed(share * 100, places: 1)) % | \(flow.bytes) |"
          + " \(flow.retransmissions) | \(flow.timeouts) | \(data) |")
    }
    lines.append("")
    var aggregateLine = "- Aggregate goodput: \(Formatting.megabits(aggregate)) Mbit/s"
    if let utilization = result.utilization {
      aggregateLine += " (\(Formatting.fixed(utilization * 100, places: 1)) % of the rate)"
    }
    lines.append(aggregateLine)
    lines.append("- Jain's fairness index: \(Formatting.fixed(result.jainIndex, places: 4))")
    lines += Formatting.wrap(
      "- Bottleneck: \(result.bottleneckLink.queueDrops) queue drops,"
        + " \(result.bottleneckLink.lost) frames lost; \(result.retransmissions)"
        + " retransmissions (\(result.fastRetransmits) fast retransmits,"
        + " \(result.timeouts) timeouts)")
    lines += Formatting.wrap("- " + verdict(result))
    lines += windowTable(result)
    return lines.joined(separator: "\n") + "\n"
  }

  /// The fewest samples per column of ``windowTable(_:)`` (more for long runs, so that there
  /// are at most 10 columns).
  static let samplesPerWindow = 5

  /// Each flow's goodput in consecutive windows of samples over the whole run, with the Jain
  /// index of each window: how fair the flows are over short spans.
  static func windowTable(_ result: MultiFlowResult) -> [String] {
    let samples = result.flows.map(\.samples)
    let count = samples.map(\.count).min() ?? 0
    let samplesPerWindow = Swift.max(Self.samplesPerWindow, (count + 9) / 10)
    let windows = stride(from: 0, to: count, by: samplesPerWindow).map {
      $0..<Swift.min($0 + samplesPerWindow, count)
    }
    guard !windows.isEmpty, result.sampleInterval > .zero else { return [] }
    let interval =
      Double(result.sampleInterval.components.seconds)
      + Double(result.sampleInterval.components.attoseconds) / 1e18
    func rates(_ flow: [Int]) -> [Double] {
      windows.map { window in
        Double(flow[window].reduce(0, +)) * 8 / (interval * Double(window.count))
      }
    }
    let perFlow = samples.map(rates)
    var lines = [""]
    lines += Formatting.wrap(
      "Goodput per flow (Mbit/s) in each \(Formatting.duration(result.sampleInterval * samplesPerWindow))"
        + " of the run, and the Jain index of each span:")
    lines.append("")
    var header = "| Flow |"
    var rule = "| ---: |"
    for window in windows {
      let from = Formatting.duration(result.sampleInterval * window.lowerBound)
      let to = Formatting.duration(result.sampleInterval * window.upperBound)
      header += " \(from)–\(to) |"
      rule += " ---: |"
    }
    lines.append(header)
    lines.append(rule)
    for (index, flowRates) in perFlow.enumerated() {
      lines.append(
        "| \(index) |" + flowRates.map { " \(Formatting.megabits($0)) |" }.joined())
    }
    let jain = windows.indices.map { column in JainFairness.index(perFlow.map { $0[column] }) }
    lines.append("| Jain |" + jain.map { " \(Formatting.fixed($0, places: 3)) |" }.joined())
    return lines
  }
}
