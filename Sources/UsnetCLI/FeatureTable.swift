import UsnetSim

/// The feature comparison of `usnet sim-table --features`: one bulk transfer per path
/// condition (0.1, 1 and 5 % loss, 5 % reordering) and ``TCPFeatureVariant``, with the same
/// seed and byte count, rendered as a Markdown table of goodput.
public enum FeatureTable {
  /// One row: a path condition.
  public struct Condition: Sendable {
    /// The row heading.
    public var name: String
    /// Loss on each direction (Bernoulli).
    public var loss: Double
    /// Share of frames held back 5 ms on each direction.
    public var reorder: Double
  }

  /// The rows.
  public static let conditions: [Condition] = [
    Condition(name: "0.1 % loss", loss: 0.001, reorder: 0),
    Condition(name: "1 % loss", loss: 0.01, reorder: 0),
    Condition(name: "5 % loss", loss: 0.05, reorder: 0),
    Condition(name: "5 % reordering", loss: 0, reorder: 0.05),
  ]

  /// The round-trip time of every transfer.
  public static let roundTripTime: Duration = .milliseconds(20)

  /// One transfer.
  public struct Cell: Sendable {
    /// The row.
    public var condition: Int
    /// The column.
    public var variant: Int
    /// What happened.
    public var result: TransferResult
  }

  /// The scenario of one cell.
  public static func scenario(
    _ condition: Condition, _ variant: TCPFeatureVariant, bytes: Int, seed: UInt64
  ) -> TransferScenario {
    var settings = SimSettings()
    settings.bytes = bytes
    settings.rtt = roundTripTime
    settings.loss = condition.loss > 0 ? .bernoulli(condition.loss) : .none
    settings.reorder = condition.reorder
    settings.seed = seed
    settings.timeLimit = GoodputTable.timeLimit
    var scenario = settings.scenario()
    let apply = variant.apply
    scenario.configure = { apply(&$0.tcp) }
    return scenario
  }

  /// Runs every cell, `jobs` at a time; `progress` is called after each, from the thread that
  /// ran it.
  public static func run(
    bytes: Int, seed: UInt64, jobs: Int,
    variants: [TCPFeatureVariant] = TCPFeatureVariant.comparison,
    progress: @escaping @Sendable (Cell) -> Void = { _ in }
  ) -> [Cell] {
    let grid = conditions.indices.flatMap { row in variants.indices.map { (row, $0) } }
    return ParallelRuns.map(
      count: grid.count, jobs: jobs,
      { index in
        let (row, column) = grid[index]
        let result = scenario(conditions[row], variants[column], bytes: bytes, seed: seed).run()
        return Cell(condition: row, variant: column, result: result)
      }, progress: progress)
  }

  /// The Markdown page: provenance, conditions, and goodput in Mbit/s per condition and
  /// variant, with timeouts in parentheses; a failed or damaged transfer says so.
  public static func markdown(
    _ cells: [Cell], bytes: Int, seed: UInt64, provenance: GoodputTable.Provenance,
    variants: [TCPFeatureVariant] = TCPFeatureVariant.comparison
  ) -> String {
    var lines: [String] = []
    lines.append("# TCP loss features on and off (usnet sim)")
    lines.append("")
    lines += provenance.markdownLines(measurement: "table", countsJobs: true)
    lines.append("")
    let conditionsText =
      "Each cell is one bulk TCP transfer of \(bytes) bytes (\(Formatting.bytes(bytes)))"
      + " between two usnet stacks through the virtual switch, RTT"
      + " \(Formatting.duration(roundTripTime)), MTU 1500, seed \(seed). Loss is independent"
      + " on each direction, data and ACKs alike; reordering holds 5 % of the frames back"
      + " 5 ms on each direction. Each column changes the TCP configuration of both stacks:"
      + " \"no RACK-TLP\" keeps SACK recovery with RFC 6675's IsLost alone; \"no SACK\""
      + " falls back to NewReno (RACK-TLP needs SACK); \"all off\" is Reno, no SACK, no"
      + " timestamps. Goodput in Mbit/s over virtual time; retransmission timeouts in"
      + " parentheses."
    lines += Formatting.wrap(conditionsText)
    lines.append("")
    lines.append("| Path | " + variants.map(\.name).joined(separator: " | ") + " |")
    lines.append("| --- |" + String(repeating: " ---: |", count: variants.count))
    for (row, condition) in conditions.enumerated() {
      var line = "| \(condition.name) |"
      for column in variants.indices {
        guard let cell = cells.first(where: { $0.condition == row && $0.variant == column })
        else {
          line += " – |"
          continue
        }
        let result = cell.result
        let mark =
          SimReport.succeeded(result) ? "" : (result.completed ? " damaged" : " failed")
        line +=
          " \(Formatting.megabits(result.goodputBitsPerSecond))\(mark) (\(result.timeouts)) |"
      }
      lines.append(line)
    }
    lines.append("")
    if cells.allSatisfy({ SimReport.succeeded($0.result) }) {
      lines.append("Every transfer completed with a matching SHA-256 of the payload.")
    } else {
      lines.append("Some transfers failed or arrived damaged; see the marks above.")
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
