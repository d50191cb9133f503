import UsnetSim
import UsnetStack

/// The validated settings of one `usnet sim-flows` run: a ``MultiFlowScenario`` described in
/// the command line's terms.
///
/// The rate, the queue and the loss act on the shared link: the rate and queue on the way to
/// the receiver (every flow's data), the loss on both directions (data and ACKs).
public struct SimFlowsSettings: Sendable, Hashable {
  /// The number of concurrent flows.
  public var flows = 8
  /// The bottleneck rate in bits per second.
  public var rate = 100_000_000
  /// The bottleneck's drop-tail queue in bytes.
  public var queue = 64 * 1024
  /// Round-trip propagation time of every path.
  public var rtt: Duration = .milliseconds(20)
  /// Virtual length of the run from the first flow's start.
  public var duration: Duration = .seconds(30)
  /// Time between consecutive flows' starts.
  public var stagger: Duration = .milliseconds(100)
  /// Time after the last start before the fairness interval begins.
  public var warmup: Duration = .seconds(5)
  /// Independent frame loss on each direction of the shared link.
  public var loss: LossModel = .none
  /// The simulation's seed.
  public var seed: UInt64 = 1
  /// Where to write the Markdown report, or `nil` for nowhere.
  public var output: String? = nil

  /// The defaults: 8 flows, 100 Mbit/s, a 64 KiB queue, 20 ms RTT, 30 s, seed 1.
  public init() {}

  /// The scenario these settings describe.
  public var scenario: MultiFlowScenario {
    MultiFlowScenario(
      flows: flows, rtt: rtt,
      bottleneck: LinkImpairments(loss: loss, rateBitsPerSecond: rate, queueBytes: queue),
      reverse: LinkImpairments(loss: loss), duration: duration, stagger: stagger,
      warmup: warmup, seed: seed)
  }

  /// One line naming the settings: `8 flows, 100Mbit, queue 65536 bytes, RTT 20ms, ...`.
  public var summary: String {
    var parts = [
      "\(flows) flows", "rate \(Formatting.bitRate(rate))", "queue \(queue) bytes",
      "RTT \(Formatting.duration(rtt))", "duration \(Formatting.duration(duration))",
      "stagger \(Formatting.duration(stagger))", "warmup \(Formatting.duration(warmup))",
    ]
    if case .bernoulli(let p) = loss { parts.append("loss \(Formatting.percent(p))") }
    parts.append("seed \(seed)")
    return parts.joined(separator: ", ")
  }
}
