/// A congestion control algorithm as the TCP connection drives it.
///
/// The connection owns loss detection and recovery (duplicate ACKs, NewReno partial ACKs, RTO);
/// the algorithm owns `cwnd` and `ssthresh` and how they move. Windows are in bytes. Algorithms
/// are value types owned by one connection and never shared across threads.
public protocol CongestionControl: Sendable {
  /// The congestion window in bytes.
  var congestionWindow: Int { get }
  /// The slow start threshold in bytes.
  var slowStartThreshold: Int { get }
  /// New data was cumulatively acknowledged outside of loss recovery, at `now`, with the
  /// connection's smoothed RTT (nil before the first sample).
  mutating func onAcknowledged(
    bytes: Int, flightSize: Int, maximumSegmentSize: Int, now: Instant, smoothedRTT: Duration?)
  /// Loss detected by duplicate ACKs: enter recovery (RFC 5681 §3.2 steps 2 and 3).
  mutating func onEnterRecovery(flightSize: Int, maximumSegmentSize: Int)
  /// A further duplicate ACK during recovery: inflate the window.
  mutating func onDuplicateACKInRecovery(maximumSegmentSize: Int)
  /// A partial ACK during NewReno recovery (RFC 6582 §3.2 step 3).
  mutating func onPartialACK(bytes: Int, maximumSegmentSize: Int)
  /// Recovery finished with a full ACK (RFC 6582 §3.2 step 4).
  mutating func onExitRecovery(flightSize: Int, maximumSegmentSize: Int)
  /// The retransmission timer expired (RFC 5681 §3.1, equation 4).
  mutating func onRetransmissionTimeout(flightSize: Int, maximumSegmentSize: Int)
  /// The connection sends again after an idle period longer than the RTO: the window's
  /// measure of the path is stale, so it falls back to at most `restartWindow` bytes
  /// (RFC 5681 §4.1).
  mutating func onRestartAfterIdle(restartWindow: Int)
  /// The last reduction was a mistake (every retransmission of the episode was reported as a
  /// duplicate, RFC 3708): the window and threshold go back to at least what they were.
  mutating func undoReduction(window: Int, threshold: Int)
}

/// The congestion control algorithms a stack can create for its connections.
public enum CongestionControlAlgorithm: String, Sendable, CaseIterable {
  /// Reno (RFC 5681) with NewReno recovery (RFC 6582).
  case reno
  /// CUBIC (RFC 9438), with the same NewReno recovery.
  case cubic

  func make(maximumSegmentSize: Int, initialWindowSegments: Int) -> any CongestionControl {
    switch self {
    case .reno:
      RenoCongestionControl(
        maximumSegmentSize: maximumSegmentSize, initialWindowSegments: initialWindowSegments)
    case .cubic:
      CubicCongestionControl(
        maximumSegmentSize: maximumSegmentSize, initialWindowSegments: initialWindowSegments)
    }
  }
}

/// Reno congestion control (RFC 5681) with an initial window of IW segments (RFC 6928) and
/// appropriate byte counting in congestion avoidance (RFC 3465, L = 1).
public struct RenoCongestionControl: CongestionControl {
  /// The congestion window in bytes.
  public private(set) var congestionWindow: Int
  /// The slow start threshold in bytes.
  public private(set) var slowStartThreshold: Int = Int(Int32.max)
  private var bytesAckedInAvoidance = 0

  /// Creates the state for a connection with the given MSS.
  public init(maximumSegmentSize: Int, initialWindowSegments: Int) {
    congestionWindow = initialWindowSegments * maximumSegmentSize
  }

  /// Slow start grows by the bytes acknowledged (up to ssthresh), so stretch ACKs from a
  /// receiver that coalesces a batch into one ACK do not slow it down (Linux counts delivered
  /// segments the same way); congestion avoidance adds one MSS per window of bytes acked.
  public mutating func onAcknowledged(
    bytes: Int, flightSize: Int, maximumSegmentSize: Int, now: Instant, smoothedRTT: Duration?
  ) {
    if congestionWindow < slowStartThreshold {
      congestionWindow = Swift.min(
        congestionWindow + bytes, Swift.max(slowStartThreshold, congestionWindow))
    } else {
      bytesAckedInAvoidance += bytes
      if bytesAckedInAvoidance >= congestionWindow {
        bytesAckedInAvoidance -= congestionWindow
        congestionWindow += maximumSegmentSize
      }
    }
  }

  /// ssthresh = max(FlightSize / 2, 2·MSS); cwnd = ssthresh + 3·MSS.
  public mutating func onEnterRecovery(flightSize: Int, maximumSegmentSize: Int) {
    slowStartThreshold = Swift.max(flightSize / 2, 2 * maximumSegmentSize)
    congestionWindow = slowStartThreshold + 3 * maximumSegmentSize
  }

  /// cwnd += MSS for each further duplicate ACK.
  public mutating func onDuplicateACKInRecovery(maximumSegmentSize: Int) {
    congestionWindow += maximumSegmentSize
  }

  /// Deflate by the bytes acknowledged, then add back one MSS if at least one MSS was acked.
  public mutating func onPartialACK(bytes: Int, maximumSegmentSize: Int) {
    congestionWindow = Swift.max(congestionWindow - bytes, maximumSegmentSize)
    if bytes >= maximumSegmentSize { congestionWindow += maximumSegmentSize }
  }

  /// cwnd = min(ssthresh, max(FlightSize, MSS) + MSS) (RFC 6582 §3.2 step 4, option 1).
  public mutating func onExitRecovery(flightSize: Int, maximumSegmentSize: Int) {
    congestionWindow = Swift.min(
      slowStartThreshold, Swift.max(flightSize, maximumSegmentSize) + maximumSegmentSize)
    bytesAckedInAvoidance = 0
  }

  /// ssthresh = max(FlightSize / 2, 2·MSS); cwnd = 1 MSS (the loss window).
  public mutating func onRetransmissionTimeout(flightSize: Int, maximumSegmentSize: Int) {
    slowStartThreshold = Swift.max(flightSize / 2, 2 * maximumSegmentSize)
    congestionWindow = maximumSegmentSize
    bytesAckedInAvoidance = 0
  }

  /// cwnd = min(cwnd, restart window); ssthresh stays.
  public mutating func onRestartAfterIdle(restartWindow: Int) {
    congestionWindow = Swift.min(congestionWindow, restartWindow)
    bytesAckedInAvoidance = 0
  }

  /// cwnd and ssthresh back to at least their values before the reduction.
  public mutating func undoReduction(window: Int, threshold: Int) {
    congestionWindow = Swift.max(congestionWindow, window)
    slowStartThreshold = Swift.max(slowStartThreshold, threshold)
  }
}
