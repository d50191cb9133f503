import UsnetSim

/// The goodput grid of `usnet sim-table`: one bulk transfer per loss rate and RTT, with the
/// same seed and byte count, rendered as a Markdown table.
public enum GoodputTable {
  /// The loss rates of the rows (each direction, Bernoulli): 0, 0.1, 1, 2, 5 and 10 %.
  public static let lossRates: [Double] = [0, 0.001, 0.01, 0.02, 0.05, 0.10]
  /// The round-trip times of the column groups.
  public static let roundTripTimes: [Duration] = [.milliseconds(10), .milliseconds(50)]
  /// The virtual time limit of each transfer.
  public static let timeLimit: Duration = .seconds(3600)

  /// One transfer of the grid.
  public struct Cell: Sendable {
    /// The loss rate on each direction.
    public var loss: Double
    /// The round-trip time.
    public var rtt: Duration
    /// What happened.
    public var result: TransferResult
  }

  /// The settings of the cell for `loss` and `rtt`.
  public static func settings(
    loss: Double, rtt: Duration, bytes: Int, seed: UInt64
  ) -> SimSettings {
    var settings = SimSettings()
    settings.bytes = bytes
    settings.rtt = rtt
    settings.loss = loss > 0 ? .bernoulli(loss) : .none
    settings.seed = seed
    settings.timeLimit = timeLimit
    return settings
  }

  /// Runs every cell, `jobs` at a time, and returns them row by row (loss), RTT within a row.
  /// `progress` is called after each cell, from the thread that ran it.
  public static func run(
    bytes: Int, seed: UInt64, jobs: Int, lossRates: [Double] = lossRates,
    roundTripTimes: [Duration] = roundTripTimes,
    progress: @escaping @Sendable (Cell) -> Void = { _ in }
  ) -> [Cell] {
    let grid = lossRates.flatMap { loss in roundTripTimes.map { (loss, $0) } }
    return ParallelRuns.map(
      count: grid.count, jobs: jobs,
      { index in
        let (loss, rtt) = grid[index]
        let scenario = settings(loss: loss, rtt: rtt, bytes: bytes, seed: seed).scenario()
        return Cell(loss: loss, rtt: rtt, result: scenario.run())
      }, progress: progress)
  }

  /// What the table's header says about how it was made.
  public struct Provenance: Sendable {
    /// The command line that made it.
    public var command: String
    /// The commit measured, like `9ae7449` or `9ae7449 (with uncommitted changes)`.
    public var commit: String
    /// The date, `YYYY-MM-DD`.
    public var date: String
    /// `release` or `debug`.
    public var build: String
    /// Wall-clock time of the whole grid.
    public var wallTime: Duration
    /// Transfers run at once.
    public var jobs: Int

    /// Creates a provenance record.
    public init(
      command: String, commit: String, date: String, build: String, wallTime: Duration,
      jobs: Int
    ) {
      self.command = command
      self.commit = commit
      self.date = date
      self.build = build
      self.wallTime = wallTime
      self.jobs = jobs
    }

    /// The Markdown list that opens a report: command, commit, date, and the build with the
    /// wall time `measurement` ("grid", "run"...) took, and how many transfers ran at once when
    /// `countsJobs`.
    public func markdownLines(measurement: String, countsJobs: Bool) -> [String] {
      var build =
        "- Build: \(build); the \(measurement) took \(Formatting.seconds(wallTime)) s of wall time"
      if countsJobs {
        build += jobs == 1 ? ", one transfer at a time" : ", \(jobs) transfers at a time"
      }
      return ["- Command: `\(command)`", "- Commit: \(commit)", "- Date: \(date)", build]
    }
  }

  /// The Markdown page: a header naming the command, commit and date, the conditions, and
  /// the table with goodput (Mbit/s), completion time (s, virtual) and retransmissions per
  /// loss rate and RTT. A cell whose transfer failed or arrived damaged says so.
  public static func markdown(
    _ cells: [Cell], bytes: Int, seed: UInt64, provenance: Provenance
  ) -> String {
    let rtts = unique(cells.map(\.rtt))
    let losses = unique(cells.map(\.loss))
    var lines: [String] = []
    lines.append("# Goodput under loss (usnet sim)")
    lines.append("")
    lines += provenance.markdownLines(measurement: "grid", countsJobs: true)
    lines.append("")
    let conditions =
      "Each cell is one bulk TCP transfer of \(bytes) bytes (\(Formatting.bytes(bytes))) from"
      + " stack A to stack B through the virtual switch, seed \(seed), MTU 1500, default"
      + " stack configuration. The loss is independent (Bernoulli) on each direction of the"
      + " path, data and ACKs alike, with no other impairment. Goodput is payload bits over"
      + " the completion time; times are virtual (simulated), from the first byte sent to"
      + " the last byte read. Retransmissions are the sender's retransmitted segments."
    lines += Formatting.wrap(conditions)
    lines.append("")
    var header = "| Loss |"
    var rule = "| ---: |"
    for rtt in rtts {
      let name = Formatting.duration(rtt)
      header += " \(name) Mbit/s | \(name) time (s) | \(name) retransmissions |"
      rule += " ---: | ---: | ---: |"
    }
    lines.append(header)
    lines.append(rule)
    for loss in losses {
      var row = "| \(Formatting.trimmed(loss * 100, places: 4)) % |"
      for rtt in rtts {
        guard let cell = cells.first(where: { $0.loss == loss && $0.rtt == rtt }) else {
          row += " – | – | – |"
          continue
        }
        let result = cell.result
        let mark =
          SimReport.succeeded(result) ? "" : (result.completed ? " (damaged)" : " (failed)")
        row +=
          " \(Formatting.megabits(result.goodputBitsPerSecond))\(mark) |"
          + " \(Formatting.seconds(result.completionTime)) | \(result.retransmissions) |"
      }
      lines.append(row)
    }
    lines.append("")
    let failures = cells.filter { !SimReport.succeeded($0.result) }
    if failures.isEmpty {
      lines.append("Every transfer completed with a matching SHA-256 of the payload.")
    } else {
      for cell in failures {
        lines += Formatting.wrap(
          "- \(Formatting.percent(cell.loss)) loss, \(Formatting.duration(cell.rtt)) RTT:"
            + " \(cell.result)")
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  private static func unique<T: Equatable>(_ values: [T]) -> [T] {
    var seen: [T] = []
    for value in values where !seen.contains(value) { seen.append(value) }
    return seen
  }
}
