import UsnetStack
import UsnetWire

/// Several bulk TCP flows sharing one bottleneck: N sender stacks, each on its own
/// ``VirtualSwitch`` port, send to one receiver stack for a fixed virtual ``duration``, and
/// the report gives each flow's goodput, the aggregate and Jain's fairness index.
///
/// Every flow's data crosses the receiver's port towards the receiver, which is the
/// bottleneck: ``bottleneck`` (by default 100 Mbit/s with a 64 KiB drop-tail queue) acts
/// there, ``reverse`` on the same port towards the switch (every ACK). The round-trip time
/// is split evenly over the four link directions of each path (a sender's port both ways and
/// the receiver's port both ways); the impairments' `delay` adds to it. Flow `i` (from 0)
/// connects at `i × stagger`; every flow sends an endless deterministic byte stream that the
/// receiver checks byte for byte as it reads. The receiver is on switch port 0, flow `i`'s
/// sender on port `i + 1`.
///
/// The fairness interval runs from `(flows − 1) × stagger + warmup`, when every flow has
/// started and had time to settle, to the end of the run; per-flow goodput, the aggregate and
/// the Jain index are measured over it. The run is deterministic for a ``seed``: all times
/// are virtual. (Without loss or jitter the seed changes only initial sequence numbers, ports
/// and payload bytes, so runs with different seeds have the same timing.)
///
/// Threading: ``run()`` builds its own simulation and runs it on the calling thread.
public struct MultiFlowScenario {
  /// The most flows a scenario may have (the senders' addresses are 198.18.0.10 upwards).
  public static let maximumFlows = 200

  /// The number of concurrent flows, 1 to ``maximumFlows``.
  public var flows: Int
  /// Round-trip propagation time of every path.
  public var rtt: Duration
  /// Impairments of the shared link towards the receiver, which carries every flow's data.
  public var bottleneck: LinkImpairments
  /// Impairments of the shared link from the receiver, which carries every flow's ACKs.
  public var reverse: LinkImpairments
  /// Virtual time from the first flow's start to the end of the run.
  public var duration: Duration
  /// The time between the starts of consecutive flows.
  public var stagger: Duration
  /// Time after the last flow's start before the fairness interval begins.
  public var warmup: Duration
  /// The seed of the simulation, the stacks' secrets and the payloads.
  public var seed: UInt64
  /// The MTU of every port.
  public var mtu: Int = 1500
  /// The length of the intervals of ``FlowResult/samples``.
  public var sampleInterval: Duration = .seconds(1)
  /// Adjusts every stack's configuration (buffer sizes, congestion control...).
  public var configure: (inout StackConfiguration) -> Void
  /// Observers of every frame, added to the simulation before it starts.
  public var captures: [any FrameCapture] = []

  /// The receiver's address.
  public static let receiverAddress = IPv4Address(198, 18, 0, 1)
  /// The receiver's MAC.
  public static let receiverMAC = MACAddress(0x02, 0, 0, 0, 0, 0x01)
  /// The TCP port the receiver listens on.
  public static let receiverPort: UInt16 = 5001

  /// The address of the sender of flow `index`: 198.18.0.(10 + index).
  public static func senderAddress(_ index: Int) -> IPv4Address {
    IPv4Address(198, 18, 0, UInt8(truncatingIfNeeded: 10 + index))
  }

  /// The MAC of the sender of flow `index`: 02:00:00:00:01:index.
  public static func senderMAC(_ index: Int) -> MACAddress {
    MACAddress(0x02, 0, 0, 0, 0x01, UInt8(truncatingIfNeeded: index))
  }

  /// A scenario: by default 8 flows over a 20 ms RTT through 100 Mbit/s with a 64 KiB queue,
  /// for 30 s, starting 100 ms apart, measured from 5 s after the last start.
  public init(
    flows: Int = 8, rtt: Duration = .milliseconds(20),
    bottleneck: LinkImpairments = LinkImpairments(
      rateBitsPerSecond: 100_000_000, queueBytes: 64 * 1024),
    reverse: LinkImpairments = LinkImpairments(), duration: Duration = .seconds(30),
    stagger: Duration = .milliseconds(100), warmup: Duration = .seconds(5), seed: UInt64 = 1,
    configure: @escaping (inout StackConfiguration) -> Void = { _ in }
  ) {
    self.flows = flows
    self.rtt = rtt
    self.bottleneck = bottleneck
    self.reverse = reverse
    self.duration = duration
    self.stagger = stagger
    self.warmup = warmup
    self.seed = seed
    self.configure = configure
  }

  /// When the fairness interval begins, after the start of the run.
  public var measurementStart: Duration {
    stagger * (flows - 1) + warmup
  }

  /// Builds the simulation, starts the flows, runs for ``duration`` and reports.
  public func run() -> MultiFlowResult {
    let wallStart = ContinuousClock.now
    var state = MultiFlowRun(scenario: self)
    return state.execute(wallStart: wallStart)
  }
}
