import ArgumentParser

/// The options of `usnet demo`, as text; ``settings()`` parses and validates them all with
/// ``ValueParsers``, so a bad value names the option, the value and the accepted forms.
public struct DemoArguments: ParsableArguments {
  @Option(parsing: .unconditional, help: "Bytes of the page's body (decimal K, M, G suffixes).")
  var bytes = "4M"

  @Option(parsing: .unconditional, help: "Round-trip propagation time (ns, us, ms or s).")
  var rtt = "10ms"

  @Option(
    parsing: .unconditional,
    help: "Independent frame loss on each direction of the client's link, like 1% or 0.")
  var loss = "1%"

  @Option(parsing: .unconditional, help: "Seed of the links' loss.")
  var seed = "1"

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "The pcap file of the client's interface (both directions).", valueName: "path"))
  var pcap = "usnet-demo.pcap"

  @Option(parsing: .unconditional, help: "Most wall time the fetch may take.")
  var timeLimit = "50s"

  @Flag(
    help: ArgumentHelp(
      "Serve the kernel's curl in a network namespace over a TAP instead (root).",
      discussion: "--rtt, --loss and --seed then do not apply."))
  var netns = false

  /// Options with their defaults.
  public init() {}

  /// Rejects a bad value with a message naming the option, the value and what is accepted.
  public func validate() throws {
    try OptionValidation.check { _ = try settings() }
  }

  /// The typed settings, or the first bad value.
  public func settings() throws(OptionValueError) -> DemoSettings {
    var settings = DemoSettings()
    settings.bytes = try ValueParsers.byteCount(
      bytes, option: "--bytes", range: 1...1_000_000_000)
    settings.rtt = try ValueParsers.duration(
      rtt, option: "--rtt", range: .zero...(.seconds(10)))
    let p = try ValueParsers.fraction(loss, option: "--loss")
    settings.loss = p > 0 ? .bernoulli(p) : .none
    settings.seed = try ValueParsers.seed(seed, option: "--seed")
    guard !pcap.isEmpty else {
      throw OptionValueError(option: "--pcap", value: pcap, expected: "a file path")
    }
    settings.pcap = pcap
    settings.timeLimit = try ValueParsers.duration(
      timeLimit, option: "--time-limit", range: .milliseconds(1)...(.seconds(86_400)))
    settings.usesNamespace = netns
    return settings
  }
}
