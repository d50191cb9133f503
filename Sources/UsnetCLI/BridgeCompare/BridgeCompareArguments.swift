import ArgumentParser

/// The options of `usnet bridge-compare`, as text; ``settings()`` parses and validates them
/// with ``ValueParsers``, so a bad value gets a message naming the option, the value and the
/// accepted forms.
public struct BridgeCompareArguments: ParsableArguments {
  @Option(parsing: .unconditional, help: "Payload bytes of each transfer, like 20M.")
  var bytes = "20M"

  @Option(
    parsing: .unconditional,
    help: "Independent (Bernoulli) frame loss on each direction of kernel A's port, like 1%.")
  var loss = "1%"

  @Option(
    parsing: .unconditional,
    help: "Round-trip time, as half of it of delay on each direction of kernel A's port.")
  var rtt = "20ms"

  @Option(parsing: .unconditional, help: "Seed of the first repetition (the next add 1).")
  var seed = "1"

  @Option(parsing: .unconditional, help: "How many times to run the three transfers (1 to 100).")
  var repetitions = "3"

  @Option(
    name: .customLong("time-limit"), parsing: .unconditional,
    help: "Wall-clock limit of each transfer.")
  var timeLimit = "300s"

  @Option(
    name: .customLong("kernel-cc"), parsing: .unconditional,
    help: ArgumentHelp(
      "The kernel sender's congestion control, like cubic (default: the host's default).",
      valueName: "name"))
  var kernelCongestionControl: String?

  @Option(
    name: .customLong("usnet-buffer"), parsing: .unconditional,
    help: ArgumentHelp(
      "The usnet stack's send and receive buffer per connection, like 1M (default: 256 KiB).",
      valueName: "bytes"))
  var usnetBuffer: String?

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp("Also write the report as Markdown to this file.", valueName: "path"))
  var output: String?

  /// Options with their defaults.
  public init() {}

  /// Rejects a bad value with a message naming the option, the value and what is accepted.
  public func validate() throws {
    try OptionValidation.check { _ = try settings() }
  }

  /// The typed settings, or the first bad value.
  public func settings() throws(OptionValueError) -> BridgeCompareSettings {
    var settings = BridgeCompareSettings()
    settings.bytes = try ValueParsers.byteCount(bytes, option: "--bytes")
    settings.loss = try ValueParsers.fraction(loss, option: "--loss")
    settings.rtt = try ValueParsers.duration(
      rtt, option: "--rtt", range: .zero...(.seconds(10)))
    settings.seed = try ValueParsers.seed(seed, option: "--seed")
    settings.repetitions = try ValueParsers.integer(
      repetitions, option: "--repetitions", range: 1...100)
    settings.timeLimit = try ValueParsers.duration(
      timeLimit, option: "--time-limit", range: .seconds(1)...(.seconds(86_400)))
    if let kernelCongestionControl {
      guard !kernelCongestionControl.isEmpty,
        kernelCongestionControl.allSatisfy({
          $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_")
        })
      else {
        throw OptionValueError(
          option: "--kernel-cc", value: kernelCongestionControl,
          expected: "the name of a congestion control the kernel has, like cubic or bbr")
      }
      settings.kernelCongestionControl = kernelCongestionControl
    }
    if let usnetBuffer {
      settings.usnetBufferSize = try ValueParsers.byteCount(
        usnetBuffer, option: "--usnet-buffer", range: 1024...(1 << 30))
    }
    if let output {
      guard !output.isEmpty else {
        throw OptionValueError(option: "--output", value: output, expected: "a file path")
      }
      settings.output = output
    }
    return settings
  }
}
