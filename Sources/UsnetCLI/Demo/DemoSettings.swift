import UsnetSim

/// What `usnet demo` runs: the page size, the path's impairments, the seed, the pcap file and
/// the time limit. A plain value; ``DemoArguments`` builds it from the command line.
public struct DemoSettings: Sendable, Hashable {
  /// Bytes of the page's body.
  public var bytes = 4_000_000
  /// Round-trip propagation time, split evenly over the four link directions.
  public var rtt: Duration = .milliseconds(10)
  /// Frame loss on each direction of the client's link.
  public var loss: LossModel = .bernoulli(0.01)
  /// The seed of the switch's links.
  public var seed: UInt64 = 1
  /// The pcap file of the client's interface.
  public var pcap = "usnet-demo.pcap"
  /// The most wall time the fetch may take, handshake included.
  public var timeLimit: Duration = .seconds(50)
  /// Whether the page goes to the kernel's curl in a network namespace of its own over a TAP
  /// (`--netns`, root) instead of to a second stack over the simulated switch.
  public var usesNamespace = false

  /// The defaults: a 4 MB page, 10 ms RTT, 1 % loss, seed 1, `usnet-demo.pcap`, 50 s.
  public init() {}

  /// The link impairments of the server's port: a quarter of the RTT each way.
  public var serverLink: LinkImpairments {
    LinkImpairments(delay: rtt / 4)
  }

  /// The link impairments of the client's port: a quarter of the RTT and the loss, each way.
  public var clientLink: LinkImpairments {
    LinkImpairments(loss: loss, delay: rtt / 4)
  }

  /// `4M body, RTT 10ms, loss 1% each way on the client's link, seed 1`.
  public var summary: String {
    if usesNamespace {
      return "\(Formatting.bytes(bytes)) body, a TAP to the kernel of a network namespace"
    }
    var parts = ["\(Formatting.bytes(bytes)) body", "RTT \(Formatting.duration(rtt))"]
    if case .bernoulli(let p) = loss, p > 0 {
      parts.append("loss \(Formatting.percent(p)) each way on the client's link")
    }
    parts.append("seed \(seed)")
    return parts.joined(separator: ", ")
  }
}
