import ArgumentParser
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// `usnet bridge-compare` (root): kernel→kernel, kernel→usnet and usnet→kernel goodput
/// through the same impaired real-time UsnetSim TAP bridge, in one run, with the ratios to
/// the kernel.
///
/// Exits with status 1 without root, when a transfer fails or arrives damaged, or when the
/// Markdown file cannot be written; on SIGINT or SIGTERM, deletes the namespaces first and
/// exits with 128 plus the signal's number.
public struct BridgeCompareCommand: ParsableCommand {
  /// The subcommand's name, abstract and examples.
  public static let configuration = CommandConfiguration(
    commandName: "bridge-compare",
    abstract: "Compare usnet's goodput with the kernel's through an impaired TAP bridge (root).",
    discussion: """
      Two network namespaces of their own (usnet-bcmp-<pid>-<n>) each get a TAP that this \
      process bridges into a real-time UsnetSim switch, next to a usnet stack. Kernel A's \
      port has --loss on each direction and --rtt/2 of delay each way; the other ports are \
      clean. Each repetition runs three transfers of --bytes through it: kernel A to \
      kernel B, kernel A to usnet, and usnet to kernel A (python3 sockets on the kernel \
      side, kernel defaults), each checked with SHA-256, and reports goodput and the ratios \
      to kernel→kernel. Addresses are 198.18.20.0/24, inside the namespaces and the switch \
      only. The namespaces are deleted at the end, on failure and on SIGINT or SIGTERM. \
      Build in release so that the switch and the stack are not the bottleneck:
        swift run -c release usnet bridge-compare --output docs/interop-loss.md

      Examples:
        sudo usnet bridge-compare
        sudo usnet bridge-compare --bytes 50M --loss 1% --rtt 20ms --repetitions 5 --seed 7
      """)

  /// The options.
  @OptionGroup public var arguments: BridgeCompareArguments

  /// The command with default options.
  public init() {}

  /// Runs the comparison, prints the report and writes the Markdown file.
  public func run() throws {
    let settings = try arguments.settings()
    guard geteuid() == 0 else {
      standardError(
        "usnet bridge-compare: needs root (network namespaces and TAPs: CAP_SYS_ADMIN and"
          + " CAP_NET_ADMIN); run it with sudo")
      throw ExitCode(1)
    }
    let signals = SignalCleanup.install(
      message: "usnet bridge-compare: deleting the network namespaces", DemoNamespace.deleteAll)
    standardError(
      "usnet bridge-compare: \(settings.repetitions) × 3 transfers of"
        + " \(Formatting.bytes(settings.bytes)) B, \(Formatting.percent(settings.loss)) loss,"
        + " \(Formatting.duration(settings.rtt)) RTT")
    let comparison = BridgeCompareRun.perform(settings) { result in
      let goodput = result.goodputBitsPerSecond.map { Formatting.megabits($0) + " Mbit/s" }
      standardError(
        "  repetition \(result.repetition + 1) \(result.kind.label): "
          + (goodput ?? "failed: \(result.failure ?? "damaged")"))
    }
    for source in signals { source.cancel() }
    print(BridgeCompareReport.text(comparison), terminator: "")
    var failed = !comparison.succeeded
    if let output = settings.output {
      let provenance = Provenance.current(wallTime: comparison.wallTime, jobs: 1)
      let text = BridgeCompareReport.markdown(comparison, provenance: provenance)
      if !Provenance.write(text, to: output, by: "bridge-compare") { failed = true }
    }
    if failed { throw ExitCode(1) }
  }
}
