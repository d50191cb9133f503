/// The outcome of a ``MultiFlowScenario``: per-flow and aggregate goodput over the fairness
/// interval, Jain's fairness index, and what happened at the bottleneck.
public struct MultiFlowResult: Sendable, CustomStringConvertible {
  /// Every flow, by index.
  public var flows: [FlowResult]
  /// The bottleneck's rate in bits per second, or `nil` for none.
  public var rateBitsPerSecond: Int?
  /// The bottleneck's drop-tail queue in bytes.
  public var queueBytes: Int
  /// The round-trip propagation time of every path.
  public var rtt: Duration
  /// The virtual length of the run.
  public var duration: Duration
  /// When the fairness interval began, after the start of the run.
  public var measurementStart: Duration
  /// When it ended (the end of the run).
  public var measurementEnd: Duration
  /// The length of each flow's sample intervals.
  public var sampleInterval: Duration
  /// Frame fates on the bottleneck (the receiver's port towards the receiver: all data).
  public var bottleneckLink: LinkCounters
  /// Frame fates on the way back (the receiver's port towards the switch: all ACKs).
  public var reverseLink: LinkCounters
  /// Why the run could not be set up, if it could not.
  public var failure: String?
  /// Wall-clock time the run took.
  public var wallTime: Duration

  /// Creates a result.
  public init(
    flows: [FlowResult], rateBitsPerSecond: Int?, queueBytes: Int, rtt: Duration,
    duration: Duration, measurementStart: Duration, measurementEnd: Duration,
    sampleInterval: Duration, bottleneckLink: LinkCounters, reverseLink: LinkCounters,
    failure: String?, wallTime: Duration
  ) {
    self.flows = flows
    self.rateBitsPerSecond = rateBitsPerSecond
    self.queueBytes = queueBytes
    self.rtt = rtt
    self.duration = duration
    self.measurementStart = measurementStart
    self.measurementEnd = measurementEnd
    self.sampleInterval = sampleInterval
    self.bottleneckLink = bottleneckLink
    self.reverseLink = reverseLink
    self.failure = failure
    self.wallTime = wallTime
  }

  /// The sum of the flows' goodputs over the fairness interval, in bits per second.
  public var aggregateGoodputBitsPerSecond: Double {
    flows.reduce(0) { $0 + $1.goodputBitsPerSecond }
  }

  /// The aggregate goodput as a share of the bottleneck rate, or `nil` without a rate.
  /// Payload only: with 1460-byte segments in 1514-byte frames a saturated link shows about
  /// 0.964.
  public var utilization: Double? {
    rateBitsPerSecond.map { aggregateGoodputBitsPerSecond / Double($0) }
  }

  /// Jain's fairness index of the flows' goodputs over the fairness interval.
  public var jainIndex: Double {
    JainFairness.index(flows.map(\.goodputBitsPerSecond))
  }

  /// Segments retransmitted by all senders.
  public var retransmissions: Int { flows.reduce(0) { $0 + $1.retransmissions } }
  /// Retransmission timeouts at all senders.
  public var timeouts: Int { flows.reduce(0) { $0 + $1.timeouts } }
  /// Fast retransmits at all senders.
  public var fastRetransmits: Int { flows.reduce(0) { $0 + $1.fastRetransmits } }

  /// Whether the run was set up and every flow's data arrived undamaged.
  public var intact: Bool {
    failure == nil && !flows.isEmpty && flows.allSatisfy(\.intact)
  }

  /// A table of the flows (goodput over the fairness interval, bytes, retransmissions,
  /// timeouts, final congestion window and smoothed RTT, integrity) and summary lines with
  /// the aggregate, the Jain index and the bottleneck's drops.
  public var description: String {
    var lines: [String] = []
    let interval =
      "\(measurementStart.seconds)–\(measurementEnd.seconds) s of \(duration.seconds) s virtual"
    lines.append("fairness interval \(interval) (\(wallTime.seconds) s wall)")
    let header = ["flow", "Mbit/s", "bytes", "retx", "fast", "RTO", "cwnd", "sRTT ms", "data"]
    var rows: [[String]] = [header]
    for flow in flows {
      let rtt = flow.smoothedRTT.map { "\(Self.decimal(Double($0.totalNanoseconds) / 1e6, 1))" }
      rows.append([
        "\(flow.index)", Self.decimal(flow.goodputBitsPerSecond / 1e6, 2), "\(flow.bytes)",
        "\(flow.retransmissions)", "\(flow.fastRetransmits)", "\(flow.timeouts)",
        "\(flow.congestionWindow)", rtt ?? "-",
        flow.intact ? "intact" : (flow.firstMismatch != nil ? "DAMAGED" : "FAILED"),
      ])
    }
    let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
    for row in rows {
      lines.append(
        row.indices.map { column in
          let cell = row[column]
          let pad = String(repeating: " ", count: widths[column] - cell.count)
          return column == row.count - 1 ? cell : pad + cell
        }.joined(separator: "  "))
    }
    var aggregate = "aggregate \(Self.decimal(aggregateGoodputBitsPerSecond / 1e6, 2)) Mbit/s"
    if let utilization { aggregate += " (\(Self.decimal(utilization * 100, 1)) % of the rate)" }
    lines.append(aggregate + ", Jain index \(Self.decimal(jainIndex, 4))")
    lines.append(
      "bottleneck: \(bottleneckLink.queueDrops) queue drops, \(bottleneckLink.lost) lost;"
        + " ACK path: \(reverseLink.queueDrops) queue drops, \(reverseLink.lost) lost;"
        + " \(retransmissions) retransmissions (\(fastRetransmits) fast, \(timeouts) timeouts)")
    for flow in flows {
      if let failure = flow.failure { lines.append("flow \(flow.index) failed: \(failure)") }
      if let offset = flow.firstMismatch {
        lines.append("flow \(flow.index) data damaged at byte \(offset)")
      }
    }
    if let failure { lines.append("FAILED: \(failure)") }
    return lines.joined(separator: "\n")
  }

  /// `value` with `places` decimals.
  private static func decimal(_ value: Double, _ places: Int) -> String {
    guard value.isFinite else { return "\(value)" }
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    let text = "\((value * scale).rounded() / scale)"
    guard let point = text.firstIndex(of: ".") else { return text }
    let decimals = text.distance(from: point, to: text.endIndex) - 1
    return text + String(repeating: "0", count: Swift.max(0, places - decimals))
  }
}
