/// What one flow of a ``MultiFlowScenario`` achieved.
public struct FlowResult: Sendable, Hashable {
  /// The flow's index, from 0 (it started at `index × stagger`).
  public var index: Int
  /// When the flow connected, after the start of the run.
  public var start: Duration
  /// When its sender saw the handshake complete, after the start of the run, or `nil` if it
  /// never did.
  public var established: Duration?
  /// Payload bytes the receiver read over the whole run.
  public var bytes: Int
  /// Payload bytes the receiver read during the fairness interval.
  public var intervalBytes: Int
  /// Payload bits per second of virtual time over the fairness interval.
  public var goodputBitsPerSecond: Double
  /// Segments the sender retransmitted.
  public var retransmissions: Int
  /// Retransmission timeouts at the sender.
  public var timeouts: Int
  /// Fast retransmits at the sender.
  public var fastRetransmits: Int
  /// The sender's congestion window at the end, in bytes.
  public var congestionWindow: Int
  /// The sender's smoothed round-trip time at the end, once measured.
  public var smoothedRTT: Duration?
  /// Stream offset of the first byte the receiver read that differs from what was sent, or
  /// `nil` when every byte read matched.
  public var firstMismatch: Int?
  /// Why the flow stopped or never ran (a connection error), if it did.
  public var failure: String?
  /// Payload bytes read in each consecutive sample interval from the start of the run.
  public var samples: [Int]

  /// Whether every byte read matched the sent stream and the connection did not fail.
  public var intact: Bool {
    firstMismatch == nil && failure == nil
  }

  /// Creates a flow's result.
  public init(
    index: Int, start: Duration, established: Duration?, bytes: Int, intervalBytes: Int,
    goodputBitsPerSecond: Double, retransmissions: Int, timeouts: Int, fastRetransmits: Int,
    congestionWindow: Int, smoothedRTT: Duration?, firstMismatch: Int?, failure: String?,
    samples: [Int]
  ) {
    self.index = index
    self.start = start
    self.established = established
    self.bytes = bytes
    self.intervalBytes = intervalBytes
    self.goodputBitsPerSecond = goodputBitsPerSecond
    self.retransmissions = retransmissions
    self.timeouts = timeouts
    self.fastRetransmits = fastRetransmits
    self.congestionWindow = congestionWindow
    self.smoothedRTT = smoothedRTT
    self.firstMismatch = firstMismatch
    self.failure = failure
    self.samples = samples
  }
}
