import ArgumentParser
import Dispatch

#if canImport(Glibc)
  import Glibc
#endif

/// `usnet demo`: serves an HTTP page from one userspace stack to another over a real-time
/// simulated link with mild impairment, without root, and reports what happened; with
/// `--netns` (root), serves it to the kernel's curl in a network namespace over a TAP.
///
/// Exits with status 1 when the fetch fails, the page is not intact or the pcap file could not
/// be written; on SIGINT or SIGTERM during a `--netns` run, deletes the namespace first and
/// exits with 128 plus the signal's number.
public struct DemoCommand: ParsableCommand {
  /// The subcommand's name, abstract and examples.
  public static let configuration = CommandConfiguration(
    commandName: "demo",
    abstract: "Serve an HTTP page between two usnet stacks over a simulated link (no root).",
    discussion: """
      Two userspace stacks, 198.18.0.1 (server) and 198.18.0.2 (client), sit on a UsnetSim \
      switch that runs in real time with the given delay and loss. The server answers one \
      HTTP/1.0 GET with a page of --bytes through the public TCPListener API; the client \
      fetches it through TCPStream, checks its length and SHA-256, and the report shows bytes \
      each way, segments, retransmissions, elapsed time and goodput. The client's interface \
      is captured into --pcap (readable by tshark and Wireshark).

      With --netns (root, needs ip and curl), a network namespace of its own gets a TAP whose \
      kernel side is 198.18.5.1; a usnet stack on the TAP (198.18.5.2) serves the page and \
      the kernel's curl, run inside the namespace, fetches it. --pcap then records the \
      stack's TAP. The namespace is deleted at the end, on failure and on SIGINT or SIGTERM.

      Examples:
        usnet demo
        usnet demo --loss 2% --rtt 20ms --bytes 10M --seed 7 --pcap /tmp/demo.pcap
        sudo usnet demo --netns --bytes 10M
      """)

  /// The options.
  @OptionGroup public var arguments: DemoArguments

  /// The command with default options.
  public init() {}

  /// Runs the demo and prints the report. Blocks until the fetch ends.
  public func run() throws {
    let settings = try arguments.settings()
    let result: DemoResult
    if settings.usesNamespace {
      let signals = SignalCleanup.install(
        message: "usnet demo: deleting the network namespace", DemoNamespace.deleteAll)
      result = NamespaceDemoRun.perform(settings)
      for source in signals { source.cancel() }
    } else {
      result = DemoRun.perform(settings)
    }
    print(DemoReport.text(result))
    if !result.succeeded { throw ExitCode(1) }
  }
}
