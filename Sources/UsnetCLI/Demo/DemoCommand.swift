import ArgumentParser

/// `usnet demo`: serves an HTTP page from one userspace stack to another over a real-time
/// simulated link with mild impairment, without root, and reports what happened.
///
/// Exits with status 1 when the fetch fails, the page is not intact or the pcap file could not
/// be written.
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

      Examples:
        usnet demo
        usnet demo --loss 2% --rtt 20ms --bytes 10M --seed 7 --pcap /tmp/demo.pcap
      """)

  /// The options.
  @OptionGroup public var arguments: DemoArguments

  /// The command with default options.
  public init() {}

  /// Runs the demo and prints the report. Blocks until the fetch ends.
  public func run() throws {
    let result = DemoRun.perform(try arguments.settings())
    print(DemoReport.text(result))
    if !result.succeeded { throw ExitCode(1) }
  }
}
