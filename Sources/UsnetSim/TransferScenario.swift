import UsnetStack
import UsnetWire

/// A one-way bulk TCP transfer from stack A to stack B across a ``VirtualSwitch``, with the
/// path's impairments, and a report of goodput, retransmissions and integrity.
///
/// A and B sit on two ports. The round-trip time is split evenly over the four link
/// directions. The path impairments act on B's port: ``forward`` on the way to B (data),
/// ``reverse`` on the way from B (ACKs); their `delay` adds to the RTT. The run stops with
/// ``TransferResult/completed`` false when the virtual ``timeLimit`` passes first.
///
/// Threading: ``run()`` runs the whole simulation on the calling thread.
public struct TransferScenario {
  /// Payload bytes to move from A to B.
  public var bytes: Int
  /// Round-trip propagation time of the path.
  public var rtt: Duration
  /// Impairments from A to B (applied on B's port, towards B).
  public var forward: LinkImpairments
  /// Impairments from B to A (applied on B's port, towards the switch).
  public var reverse: LinkImpairments
  /// The seed of the simulation, the stacks' secrets and the payload.
  public var seed: UInt64
  /// The MTU of both ports at the start.
  public var mtu: Int = 1500
  /// What the ports do with oversized frames.
  public var mtuPolicy: MTUPolicy = .fragmentationNeeded
  /// MTU changes of B's port, at virtual times after the start of the data transfer.
  public var mtuChanges: [(after: Duration, mtu: Int)] = []
  /// The most virtual time the transfer may take after the handshake.
  public var timeLimit: Duration = .seconds(600)
  /// Adjusts both stacks' configurations (buffer sizes, congestion control...).
  public var configure: (inout StackConfiguration) -> Void
  /// Observers of every frame, added to the simulation before it starts.
  public var captures: [any FrameCapture] = []

  /// A's addresses.
  public static let addressA = IPv4Address(198, 18, 0, 1)
  /// B's addresses.
  public static let addressB = IPv4Address(198, 18, 0, 2)
  /// A's MAC.
  public static let macA = MACAddress(0x02, 0, 0, 0, 0, 0x0a)
  /// B's MAC.
  public static let macB = MACAddress(0x02, 0, 0, 0, 0, 0x0b)

  /// A scenario whose impairments act the same in both directions.
  public init(
    bytes: Int, rtt: Duration, impairments: LinkImpairments = LinkImpairments(),
    seed: UInt64 = 1, configure: @escaping (inout StackConfiguration) -> Void = { _ in }
  ) {
    self.init(
      bytes: bytes, rtt: rtt, forward: impairments, reverse: impairments, seed: seed,
      configure: configure)
  }

  /// A scenario with separate impairments per direction.
  public init(
    bytes: Int, rtt: Duration, forward: LinkImpairments, reverse: LinkImpairments,
    seed: UInt64 = 1, configure: @escaping (inout StackConfiguration) -> Void = { _ in }
  ) {
    self.bytes = bytes
    self.rtt = rtt
    self.forward = forward
    self.reverse = reverse
    self.seed = seed
    self.configure = configure
  }

  /// Builds the simulation, connects, transfers, and reports.
  public func run() -> TransferResult {
    let wallStart = ContinuousClock.now
    var state = TransferRun(scenario: self)
    return state.execute(wallStart: wallStart)
  }
}
