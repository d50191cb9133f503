import UsnetSim
import UsnetStack

/// The validated settings of one `usnet sim` run: a ``TransferScenario`` described in the
/// command line's terms.
///
/// The path impairments (loss, reordering, duplication, corruption, jitter, rate and queue)
/// act on each direction of the path, data and ACKs alike; the MTU changes act on the
/// receiver's port.
public struct SimSettings: Sendable, Hashable {
  /// Payload bytes to transfer.
  public var bytes = 10_000_000
  /// Round-trip propagation time.
  public var rtt: Duration = .milliseconds(20)
  /// How frames are lost, each way.
  public var loss: LossModel = .none
  /// Probability a frame is held back by ``reorderDelay``.
  public var reorder = 0.0
  /// The extra delay of a reordered frame.
  public var reorderDelay: Duration = .milliseconds(5)
  /// Probability a frame is delivered twice.
  public var duplicate = 0.0
  /// Probability a frame gets one flipped bit.
  public var corrupt = 0.0
  /// Uniform delay variation, `±jitter` per link direction.
  public var jitter: Duration = .zero
  /// Link rate in bits per second, or `nil` for none.
  public var rate: Int? = nil
  /// The rate limiter's queue in bytes (drop-tail).
  public var queue = 64 * 1024
  /// MTU of both ports at the start.
  public var mtu = 1500
  /// Changes of the receiver port's MTU.
  public var mtuChanges: [MTUChange] = []
  /// What the ports do with frames above their MTU.
  public var mtuPolicy: MTUPolicy = .fragmentationNeeded
  /// The simulation's seed.
  public var seed: UInt64 = 1
  /// Base path of the pcap files, or `nil` for none.
  public var pcap: String? = nil
  /// Most virtual time the transfer may take after the handshake.
  public var timeLimit: Duration = .seconds(600)

  /// The defaults: 10 MB over a clean 20 ms RTT path, MTU 1500, seed 1.
  public init() {}

  /// The impairments of each direction of the path.
  public var impairments: LinkImpairments {
    LinkImpairments(
      loss: loss, jitter: jitter, reorderProbability: reorder, reorderDelay: reorderDelay,
      duplicationProbability: duplicate, corruptionProbability: corrupt,
      rateBitsPerSecond: rate, queueBytes: queue)
  }

  /// The scenario these settings describe, reporting every frame to `captures`.
  public func scenario(captures: [any FrameCapture] = []) -> TransferScenario {
    var scenario = TransferScenario(
      bytes: bytes, rtt: rtt, impairments: impairments, seed: seed)
    scenario.mtu = mtu
    scenario.mtuPolicy = mtuPolicy
    scenario.mtuChanges = mtuChanges.map { (after: $0.after, mtu: $0.mtu) }
    scenario.timeLimit = timeLimit
    scenario.captures = captures
    return scenario
  }

  /// One line naming the transfer and every setting that is not off: `10M bytes, RTT 20ms,
  /// loss 1%, MTU 1500, seed 1`.
  public var summary: String {
    var parts = ["\(Formatting.bytes(bytes)) bytes", "RTT \(Formatting.duration(rtt))"]
    switch loss {
    case .none: break
    case .bernoulli(let p): parts.append("loss \(Formatting.percent(p))")
    case .gilbertElliott(let ge):
      parts.append(
        "Gilbert-Elliott loss p \(Formatting.percent(ge.goodToBad))"
          + " r \(Formatting.percent(ge.badToGood))"
          + " bad \(Formatting.percent(ge.lossInBad)) good \(Formatting.percent(ge.lossInGood))"
          + " (average \(Formatting.percent(ge.averageLoss)))")
    }
    if reorder > 0 {
      parts.append(
        "reorder \(Formatting.percent(reorder)) by \(Formatting.duration(reorderDelay))")
    }
    if duplicate > 0 { parts.append("duplicate \(Formatting.percent(duplicate))") }
    if corrupt > 0 { parts.append("corrupt \(Formatting.percent(corrupt))") }
    if jitter > .zero { parts.append("jitter ±\(Formatting.duration(jitter))") }
    if let rate {
      parts.append("rate \(Formatting.bitRate(rate)), queue \(queue) bytes")
    }
    parts.append("MTU \(mtu)")
    for change in mtuChanges {
      parts.append("MTU \(change.mtu) at \(Formatting.duration(change.after))")
    }
    if !mtuChanges.isEmpty {
      parts.append("policy \(mtuPolicy == .drop ? "drop" : "icmp")")
    }
    parts.append("seed \(seed)")
    return parts.joined(separator: ", ")
  }
}
