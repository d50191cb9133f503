import ArgumentParser
import Foundation
import UsnetPcap
import UsnetSim

/// `usnet sim`: one simulated bulk TCP transfer between two stacks across an impaired virtual
/// switch, with a report of goodput, retransmissions, completion time and integrity.
///
/// Exits with status 1 when the transfer fails, the payload is not intact, or a pcap file
/// could not be written.
public struct SimCommand: ParsableCommand {
  /// The subcommand's name, abstract and examples.
  public static let configuration = CommandConfiguration(
    commandName: "sim",
    abstract: "Run a simulated TCP transfer between two usnet stacks and report goodput.",
    discussion: """
      Stack A (port 0) sends --bytes to stack B (port 1) over one TCP connection through a \
      virtual switch on a virtual clock. The impairments act on each direction of the path. \
      The same seed reproduces the run, and the pcap files, byte for byte.

      Examples:
        usnet sim --loss 1% --rtt 20ms --bytes 100M --seed 7 --pcap out.pcap
        usnet sim --gilbert 0.5%,25% --rtt 50ms --bytes 20M
        usnet sim --rate 100Mbit --queue 64K --rtt 10ms --bytes 50M
        usnet sim --mtu-change 1280@2s --mtu-policy icmp --bytes 20M
      """)

  /// The options.
  @OptionGroup public var arguments: SimArguments

  /// The command with default options.
  public init() {}

  /// Runs the transfer and prints the report.
  public func run() throws {
    let settings = try arguments.settings()
    let outcome = SimExecution.perform(settings)
    print(outcome.report)
    for error in outcome.pcapErrors {
      standardError("usnet sim: \(error)")
    }
    if !outcome.succeeded { throw ExitCode(1) }
  }
}

/// One `usnet sim` run: the scenario with its pcap capture, and what to print.
public struct SimExecution {
  /// The transfer's result.
  public var result: TransferResult
  /// The pcap files written.
  public var pcapFiles: [String]
  /// Failures writing them.
  public var pcapErrors: [PcapError]
  /// The report text.
  public var report: String

  /// Whether the transfer succeeded and every pcap file was written.
  public var succeeded: Bool {
    SimReport.succeeded(result) && pcapErrors.isEmpty
  }

  /// Runs `settings`, recording pcap files when they name a path.
  public static func perform(_ settings: SimSettings) -> SimExecution {
    let capture = settings.pcap.map { PcapFrameCapture(basePath: $0) }
    let result = settings.scenario(captures: capture.map { [$0] } ?? []).run()
    let errors = capture?.close() ?? []
    let files = capture?.files ?? []
    return SimExecution(
      result: result, pcapFiles: files, pcapErrors: errors,
      report: SimReport.text(result, settings: settings, pcapFiles: files))
  }
}

/// Writes a line to standard error.
func standardError(_ line: String) {
  FileHandle.standardError.write(Data((line + "\n").utf8))
}
