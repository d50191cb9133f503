import ArgumentParser
import UsnetSim

/// The options of `usnet sim`, as text; ``settings()`` parses and validates them all.
///
/// The options are read as strings and parsed by ``ValueParsers``, so every bad value gets the
/// same kind of message: the option, the value and the accepted forms.
public struct SimArguments: ParsableArguments {
  @Option(parsing: .unconditional, help: "Payload bytes to transfer (decimal K, M, G suffixes).")
  var bytes = "10M"

  @Option(parsing: .unconditional, help: "Round-trip propagation time (ns, us, ms or s).")
  var rtt = "20ms"

  @Option(
    parsing: .unconditional,
    help: "Independent (Bernoulli) frame loss on each direction, like 1% or 0.1%.")
  var loss: String?

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "Bursty Gilbert-Elliott loss on each direction: P,R[,BAD[,GOOD]].",
      discussion: """
        P and R are the per-frame probabilities of going from the good to the bad state and \
        back; BAD and GOOD the loss probabilities in each state (defaults 100% and 0%). The \
        order is that of netem's "loss gemodel p r 1-h 1-k". Example: 0.5%,25%.
        """,
      valueName: "p,r[,bad[,good]]"))
  var gilbert: String?

  @Option(
    parsing: .unconditional,
    help: "Share of frames held back by --reorder-delay, so later frames overtake them.")
  var reorder: String?

  @Option(
    parsing: .unconditional,
    help: "Extra delay of a reordered frame (default 5ms; needs --reorder).")
  var reorderDelay: String?

  @Option(parsing: .unconditional, help: "Share of frames delivered twice.")
  var duplicate: String?

  @Option(parsing: .unconditional, help: "Share of frames with one flipped bit.")
  var corrupt: String?

  @Option(
    parsing: .unconditional,
    help: "Delay variation: each frame's one-way delay varies uniformly within ±jitter.")
  var jitter: String?

  @Option(parsing: .unconditional, help: "Link rate on each direction, like 100Mbit or 1Gbit/s.")
  var rate: String?

  @Option(
    parsing: .unconditional,
    help: "Drop-tail queue of the rate limiter in bytes (default 65536; needs --rate).")
  var queue: String?

  @Option(parsing: .unconditional, help: "MTU of both ports (576 to 65535).")
  var mtu = "1500"

  @Option(
    parsing: .unconditionalSingleValue,
    help: ArgumentHelp(
      "Change the receiver port's MTU at a time after the handshake, MTU@TIME (repeatable).",
      valueName: "mtu@time"))
  var mtuChange: [String] = []

  @Option(
    parsing: .unconditional, help: "What a port does with a frame above its MTU: drop or icmp.")
  var mtuPolicy = "icmp"

  @Option(parsing: .unconditional, help: "Seed of the simulation, the stacks and the payload.")
  var seed = "1"

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "Record pcap files, one per switch port and direction, named after this path.",
      discussion: """
        out.pcap gives out-port0-to-switch.pcap, out-port0-to-endpoint.pcap, \
        out-port1-to-switch.pcap and out-port1-to-endpoint.pcap. Port 0 is the sender, \
        port 1 the receiver; to-switch is what the endpoint sent, to-endpoint what it \
        received. Timestamps are virtual time from 0.
        """,
      valueName: "path"))
  var pcap: String?

  @Option(
    parsing: .unconditional, help: "Most virtual time the transfer may take after the handshake.")
  var timeLimit = "600s"

  /// Options with their defaults.
  public init() {}

  /// Rejects a bad value with a message naming the option, the value and what is accepted.
  public func validate() throws {
    try OptionValidation.check { _ = try settings() }
  }

  /// The typed settings, or the first bad value or conflict.
  public func settings() throws -> SimSettings {
    var settings = SimSettings()
    settings.bytes = try ValueParsers.byteCount(bytes, option: "--bytes")
    settings.rtt = try ValueParsers.duration(rtt, option: "--rtt")
    if let loss, gilbert != nil {
      throw OptionConflictError(
        "--loss \(loss) and --gilbert cannot be combined: choose independent or bursty loss")
    }
    if let loss {
      let p = try ValueParsers.fraction(loss, option: "--loss")
      settings.loss = p > 0 ? .bernoulli(p) : .none
    }
    if let gilbert {
      settings.loss = .gilbertElliott(
        try ValueParsers.gilbertElliott(gilbert, option: "--gilbert"))
    }
    if let reorder { settings.reorder = try ValueParsers.fraction(reorder, option: "--reorder") }
    if let reorderDelay {
      guard reorder != nil else {
        throw OptionConflictError("--reorder-delay \(reorderDelay) needs --reorder")
      }
      settings.reorderDelay = try ValueParsers.duration(reorderDelay, option: "--reorder-delay")
    }
    if let duplicate {
      settings.duplicate = try ValueParsers.fraction(duplicate, option: "--duplicate")
    }
    if let corrupt { settings.corrupt = try ValueParsers.fraction(corrupt, option: "--corrupt") }
    if let jitter { settings.jitter = try ValueParsers.duration(jitter, option: "--jitter") }
    settings.mtu = try ValueParsers.integer(mtu, option: "--mtu", range: 576...65535)
    if let rate { settings.rate = try ValueParsers.bitRate(rate, option: "--rate") }
    if let queue {
      guard rate != nil else {
        throw OptionConflictError("--queue \(queue) needs --rate (the queue is the rate's)")
      }
      let frame = settings.mtu + 14
      settings.queue = try ValueParsers.byteCount(
        queue, option: "--queue", range: frame...Int.max)
    }
    settings.mtuChanges = try mtuChange.map { text throws(OptionValueError) in
      try ValueParsers.mtuChange(text, option: "--mtu-change")
    }
    settings.mtuPolicy = try ValueParsers.mtuPolicy(mtuPolicy, option: "--mtu-policy")
    settings.seed = try ValueParsers.seed(seed, option: "--seed")
    if let pcap {
      guard !pcap.isEmpty else {
        throw OptionValueError(option: "--pcap", value: pcap, expected: "a file path")
      }
      settings.pcap = pcap
    }
    settings.timeLimit = try ValueParsers.duration(
      timeLimit, option: "--time-limit", range: .nanoseconds(1)...(.seconds(86_400 * 365)))
    return settings
  }
}
