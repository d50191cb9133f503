import ArgumentParser
import UsnetSim

/// The options of `usnet sim-flows`, as text; ``settings()`` parses and validates them all
/// with ``ValueParsers``, so a bad value gets a message naming the option, the value and the
/// accepted forms.
public struct SimFlowsArguments: ParsableArguments {
  @Option(
    parsing: .unconditional,
    help: "Concurrent TCP flows, each from its own sender stack (1 to 200).")
  var flows = "8"

  @Option(parsing: .unconditional, help: "Bottleneck rate, like 100Mbit or 1Gbit/s.")
  var rate = "100Mbit"

  @Option(
    parsing: .unconditional,
    help: "Bottleneck drop-tail queue in bytes (decimal: 64K is 64000; the default is 64 KiB).")
  var queue = "65536"

  @Option(parsing: .unconditional, help: "Round-trip propagation time of every flow's path.")
  var rtt = "20ms"

  @Option(parsing: .unconditional, help: "Virtual length of the run from the first flow's start.")
  var duration = "30s"

  @Option(parsing: .unconditional, help: "Time between the starts of consecutive flows.")
  var stagger = "100ms"

  @Option(
    parsing: .unconditional,
    help: "Time after the last flow's start before the fairness interval begins.")
  var warmup = "5s"

  @Option(
    parsing: .unconditional,
    help: "Independent (Bernoulli) frame loss on each direction of the shared link, like 0.1%.")
  var loss: String?

  @Option(parsing: .unconditional, help: "Seed of the simulation, the stacks and the payloads.")
  var seed = "1"

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

  /// The typed settings, or the first bad value or conflict.
  public func settings() throws -> SimFlowsSettings {
    var settings = SimFlowsSettings()
    settings.flows = try ValueParsers.integer(
      flows, option: "--flows", range: 1...MultiFlowScenario.maximumFlows)
    settings.rate = try ValueParsers.bitRate(rate, option: "--rate")
    settings.queue = try ValueParsers.byteCount(queue, option: "--queue", range: 1514...Int.max)
    settings.rtt = try ValueParsers.duration(rtt, option: "--rtt")
    settings.duration = try ValueParsers.duration(
      duration, option: "--duration", range: .milliseconds(1)...(.seconds(86_400)))
    settings.stagger = try ValueParsers.duration(stagger, option: "--stagger")
    settings.warmup = try ValueParsers.duration(warmup, option: "--warmup")
    if let loss {
      let p = try ValueParsers.fraction(loss, option: "--loss")
      settings.loss = p > 0 ? .bernoulli(p) : .none
    }
    settings.seed = try ValueParsers.seed(seed, option: "--seed")
    if let output {
      guard !output.isEmpty else {
        throw OptionValueError(option: "--output", value: output, expected: "a file path")
      }
      settings.output = output
    }
    let measurementStart = settings.scenario.measurementStart
    guard measurementStart < settings.duration else {
      throw OptionConflictError(
        "--duration \(duration) leaves no fairness interval: it must exceed (--flows − 1) ×"
          + " --stagger + --warmup = \(Formatting.duration(measurementStart))")
    }
    return settings
  }
}
