import ArgumentParser
import Foundation

/// `usnet sim-table`: the goodput table for loss rates of 0, 0.1, 1, 2, 5 and 10 % at 10 ms and
/// 50 ms RTT, as Markdown, printed or written to a file (`docs/goodput.md`).
///
/// Exits with status 1 when a transfer fails or arrives damaged (the table is still written).
public struct SimTableCommand: ParsableCommand {
  /// The subcommand's name and abstract.
  public static let configuration = CommandConfiguration(
    commandName: "sim-table",
    abstract: "Measure goodput over the loss × RTT grid and print a Markdown table.",
    discussion: """
      Runs one simulated transfer per loss rate (0, 0.1, 1, 2, 5, 10 % on each direction) and \
      RTT (10 ms, 50 ms), all with the same seed and byte count. Build in release for speed:
        swift run -c release usnet sim-table --output docs/goodput.md
      """)

  @Option(parsing: .unconditional, help: "Payload bytes per transfer (decimal K, M, G suffixes).")
  var bytes = "20M"

  @Option(parsing: .unconditional, help: "Seed of every transfer.")
  var seed = "1"

  @Flag(help: "Compare the TCP loss features on and off instead of the loss × RTT grid.")
  var features = false

  @Option(parsing: .unconditional, help: "Transfers to run at once (default: the number of CPUs).")
  var jobs: String?

  @Option(parsing: .unconditional, help: "Write the table to this file instead of standard output.")
  var output: String?

  /// The command with default options.
  public init() {}

  /// Rejects bad values up front.
  public func validate() throws {
    try OptionValidation.check { _ = try parsed() }
  }

  private func parsed() throws(OptionValueError) -> (bytes: Int, seed: UInt64, jobs: Int) {
    let bytes = try ValueParsers.byteCount(bytes, option: "--bytes")
    let seed = try ValueParsers.seed(seed, option: "--seed")
    let cpus = ProcessInfo.processInfo.activeProcessorCount
    let jobs =
      try jobs.map { text throws(OptionValueError) in
        try ValueParsers.integer(text, option: "--jobs", range: 1...1024)
      } ?? Swift.max(1, cpus)
    if let output, output.isEmpty {
      throw OptionValueError(option: "--output", value: output, expected: "a file path")
    }
    return (bytes, seed, jobs)
  }

  /// Runs the grid and prints or writes the table.
  public func run() throws {
    let (bytes, seed, jobs) = try parsed()
    let start = ContinuousClock.now
    if features {
      try runFeatureTable(bytes: bytes, seed: seed, jobs: jobs, start: start)
      return
    }
    let cells = GoodputTable.run(bytes: bytes, seed: seed, jobs: jobs) { cell in
      standardError(
        "loss \(Formatting.percent(cell.loss)), RTT \(Formatting.duration(cell.rtt)): "
          + "\(cell.result)")
    }
    let provenance = Provenance.current(wallTime: ContinuousClock.now - start, jobs: jobs)
    try emit(GoodputTable.markdown(cells, bytes: bytes, seed: seed, provenance: provenance))
    if !cells.allSatisfy({ SimReport.succeeded($0.result) }) { throw ExitCode(1) }
  }

  private func runFeatureTable(
    bytes: Int, seed: UInt64, jobs: Int, start: ContinuousClock.Instant
  )
    throws
  {
    let variants = TCPFeatureVariant.comparison
    let cells = FeatureTable.run(bytes: bytes, seed: seed, jobs: jobs) { cell in
      standardError(
        "\(FeatureTable.conditions[cell.condition].name), \(variants[cell.variant].name): "
          + "\(cell.result)")
    }
    let provenance = Provenance.current(wallTime: ContinuousClock.now - start, jobs: jobs)
    try emit(FeatureTable.markdown(cells, bytes: bytes, seed: seed, provenance: provenance))
    if !cells.allSatisfy({ SimReport.succeeded($0.result) }) { throw ExitCode(1) }
  }

  /// Writes `text` to `--output`, or prints it.
  private func emit(_ text: String) throws {
    guard let output else {
      print(text, terminator: "")
      return
    }
    guard Provenance.write(text, to: output, by: "sim-table") else { throw ExitCode(1) }
  }
}
