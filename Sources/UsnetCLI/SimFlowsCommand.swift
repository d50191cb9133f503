import ArgumentParser
import Foundation
import UsnetSim

/// `usnet sim-flows`: concurrent bulk TCP flows through one simulated bottleneck, with each
/// flow's goodput, the aggregate and Jain's fairness index.
///
/// Exits with status 1 when the Jain index is below ``FairnessReport/minimumJainIndex``, a
/// flow's data is damaged or a flow fails, or the Markdown file cannot be written.
public struct SimFlowsCommand: ParsableCommand {
  /// The subcommand's name, abstract and examples.
  public static let configuration = CommandConfiguration(
    commandName: "sim-flows",
    abstract: "Run concurrent simulated TCP flows through one bottleneck and report fairness.",
    discussion: """
      Each flow's sender stack has its own switch port; all send to one receiver stack, whose \
      port is the bottleneck (--rate with a --queue drop-tail queue). Flows start --stagger \
      apart and run until --duration; goodput and Jain's fairness index are measured from \
      --warmup after the last start to the end, on a virtual clock. The same seed \
      reproduces the run. Build in release for speed:
        swift run -c release usnet sim-flows --output docs/fairness.md

      Examples:
        usnet sim-flows --flows 8 --rate 100Mbit --rtt 20ms --duration 30s
        usnet sim-flows --flows 4 --loss 0.1% --seed 7
      """)

  /// The options.
  @OptionGroup public var arguments: SimFlowsArguments

  /// The command with default options.
  public init() {}

  /// Runs the flows, prints the report and writes the Markdown file.
  public func run() throws {
    let settings = try arguments.settings()
    let result = settings.scenario.run()
    print(FairnessReport.text(result, settings: settings))
    var failed = !FairnessReport.problems(result).isEmpty
    if let output = settings.output {
      let provenance = Provenance.current(wallTime: result.wallTime, jobs: 1)
      let text = FairnessReport.markdown(result, settings: settings, provenance: provenance)
      if !Provenance.write(text, to: output, by: "sim-flows") { failed = true }
    }
    if failed { throw ExitCode(1) }
  }
}
