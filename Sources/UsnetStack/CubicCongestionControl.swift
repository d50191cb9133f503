/// CUBIC congestion control (RFC 9438): after a reduction the window grows along a cubic
/// function of the time since the reduction, flat around the window where loss last happened
/// (W_max) and steep away from it, so it recovers quickly on long fat paths and probes gently
/// near the last loss point. In the region where Reno would grow faster (short RTTs, small
/// windows) it follows a Reno estimate instead (§4.3), so it is never less aggressive than Reno.
///
/// Slow start is Reno's (byte counting). Loss recovery stays NewReno's (the connection's
/// ``LossRecovery``): on entering it the window is cut to β·cwnd (§4.6) and inflated by three
/// segments, each duplicate ACK adds one, a partial ACK deflates, and the episode ends at
/// ssthresh. Fast convergence (§4.7) lowers W_max when a flow keeps losing below its last
/// maximum, so it yields bandwidth to newer flows.
///
/// A value owned by one connection; windows are kept in bytes, the cubic function is evaluated
/// in segments and seconds as the RFC writes it.
public struct CubicCongestionControl: CongestionControl {
  /// C, the scaling constant (§5.1).
  public static let scaling = 0.4
  /// β_cubic, the multiplicative decrease factor (§4.6).
  public static let decrease = 0.7

  /// The congestion window in bytes.
  public private(set) var congestionWindow: Int
  /// The slow start threshold in bytes.
  public private(set) var slowStartThreshold: Int = Int(Int32.max)

  /// W_max in segments: the window just before the last reduction (after fast convergence);
  /// nil before the first one.
  public private(set) var lastMaximum: Double?
  /// cwnd_prior in bytes: the window when ssthresh was last set; the Reno estimate switches to
  /// Reno's own slope once it reaches it.
  private var priorWindow: Double?
  /// The start of the current congestion avoidance epoch, its K (seconds) and the Reno
  /// estimate W_est (bytes).
  private var epoch: (start: Instant, k: Double, renoEstimate: Double)?
  /// Growth below one byte carried to the next ACK.
  private var pendingGrowth = 0.0

  /// Creates the state for a connection with the given MSS and initial window.
  public init(maximumSegmentSize: Int, initialWindowSegments: Int) {
    congestionWindow = initialWindowSegments * maximumSegmentSize
  }

  /// W_cubic(t) in segments for `t` seconds into the epoch with `k` (§4.2, equation 1).
  public static func cubicWindow(seconds t: Double, k: Double, maximum: Double) -> Double {
    let offset = t - k
    return scaling * offset * offset * offset + maximum
  }

  /// K in seconds: when the cubic function reaches `maximum` again from `start` (segments)
  /// (§4.2, equation 2).
  public static func timeToMaximum(from start: Double, maximum: Double) -> Double {
    guard maximum > start else { return 0 }
    return ((maximum - start) / scaling).cubeRoot
  }

  /// Slow start grows by the bytes acknowledged (up to ssthresh); congestion avoidance moves
  /// towards the cubic target one RTT ahead, or follows the Reno estimate where that is larger
  /// (§4.2–4.4).
  public mutating func onAcknowledged(
    bytes: Int, flightSize: Int, maximumSegmentSize mss: Int, now: Instant,
    smoothedRTT: Duration?
  ) {
    guard bytes > 0 else { return }
    if congestionWindow < slowStartThreshold {
      congestionWindow = Swift.min(
        congestionWindow + bytes, Swift.max(slowStartThreshold, congestionWindow))
      return
    }
    let segment = Double(mss)
    let window = Double(congestionWindow)
    let current = epoch ?? startEpoch(at: now, segment: segment)
    // §4.3: the Reno estimate grows by α per window of bytes acknowledged; α is Reno's own 1
    // once the estimate is back at the window of the last reduction.
    var alpha = 1.0
    if let priorWindow, current.renoEstimate < priorWindow {
      alpha = 3 * (1 - Self.decrease) / (1 + Self.decrease)
    }
    let renoEstimate = current.renoEstimate + alpha * Double(bytes) * segment / window
    epoch = (current.start, current.k, renoEstimate)
    let elapsed = (now - current.start).seconds
    let rtt = smoothedRTT?.seconds ?? 0
    let maximum = lastMaximum ?? window / segment
    let cubicNow = Self.cubicWindow(seconds: elapsed, k: current.k, maximum: maximum) * segment
    if cubicNow < renoEstimate {
      // §4.3: the Reno-friendly region.
      pendingGrowth = 0
      congestionWindow = Swift.max(congestionWindow, Int(renoEstimate))
      return
    }
    // §4.4: move towards W_cubic(t + RTT), at most to 1.5·cwnd.
    let target = Swift.min(
      Swift.max(
        Self.cubicWindow(seconds: elapsed + rtt, k: current.k, maximum: maximum) * segment,
        window),
      1.5 * window)
    pendingGrowth += (target - window) / window * Double(bytes)
    let whole = Int(pendingGrowth)
    congestionWindow += whole
    pendingGrowth -= Double(whole)
  }

  /// Starts a congestion avoidance epoch at `now` from the current window (§4.2).
  private mutating func startEpoch(
    at now: Instant, segment: Double
  ) -> (start: Instant, k: Double, renoEstimate: Double) {
    let window = Double(congestionWindow)
    let k: Double
    if let maximum = lastMaximum, window / segment < maximum {
      k = Self.timeToMaximum(from: window / segment, maximum: maximum)
    } else {
      k = 0
      lastMaximum = window / segment
    }
    let started = (now, k, window)
    epoch = started
    return started
  }

  /// The multiplicative decrease of a congestion event, with fast convergence (§4.6, §4.7);
  /// returns the reduced window in bytes.
  private mutating func reduce(maximumSegmentSize mss: Int) -> Int {
    let segments = Double(congestionWindow) / Double(mss)
    if let maximum = lastMaximum, segments < maximum {
      lastMaximum = segments * (1 + Self.decrease) / 2
    } else {
      lastMaximum = segments
    }
    priorWindow = Double(congestionWindow)
    epoch = nil
    pendingGrowth = 0
    slowStartThreshold = Swift.max(Int(Double(congestionWindow) * Self.decrease), 2 * mss)
    return slowStartThreshold
  }

  /// ssthresh = max(β·cwnd, 2·MSS); cwnd = ssthresh + 3·MSS (NewReno's inflation).
  public mutating func onEnterRecovery(flightSize: Int, maximumSegmentSize mss: Int) {
    congestionWindow = reduce(maximumSegmentSize: mss) + 3 * mss
  }

  /// cwnd += MSS for each further duplicate ACK.
  public mutating func onDuplicateACKInRecovery(maximumSegmentSize mss: Int) {
    congestionWindow += mss
  }

  /// Deflate by the bytes acknowledged, then add back one MSS if at least one MSS was acked.
  public mutating func onPartialACK(bytes: Int, maximumSegmentSize mss: Int) {
    congestionWindow = Swift.max(congestionWindow - bytes, mss)
    if bytes >= mss { congestionWindow += mss }
  }

  /// cwnd = min(ssthresh, max(FlightSize, MSS) + MSS); the next ACK starts a new epoch.
  public mutating func onExitRecovery(flightSize: Int, maximumSegmentSize mss: Int) {
    congestionWindow = Swift.min(slowStartThreshold, Swift.max(flightSize, mss) + mss)
    epoch = nil
  }

  /// The same reduction as a loss event for ssthresh and W_max; cwnd = 1 MSS (§4.8).
  public mutating func onRetransmissionTimeout(flightSize: Int, maximumSegmentSize mss: Int) {
    _ = reduce(maximumSegmentSize: mss)
    congestionWindow = mss
  }

  /// cwnd and ssthresh back to at least their values before the reduction (W_max keeps the
  /// window the reduction started from); the next ACK in congestion avoidance starts a new
  /// epoch.
  public mutating func undoReduction(window: Int, threshold: Int) {
    congestionWindow = Swift.max(congestionWindow, window)
    slowStartThreshold = Swift.max(slowStartThreshold, threshold)
    epoch = nil
    pendingGrowth = 0
  }

  /// cwnd = min(cwnd, restart window); the next ACK in congestion avoidance starts a new
  /// epoch, so the idle time does not count as time towards W_max (§5.8).
  public mutating func onRestartAfterIdle(restartWindow: Int) {
    congestionWindow = Swift.min(congestionWindow, restartWindow)
    epoch = nil
    pendingGrowth = 0
  }
}

extension Double {
  /// The cube root of a non-negative value (0 for others), by Newton's method: exact to about
  /// 12 digits, plenty for windows and seconds.
  fileprivate var cubeRoot: Double {
    guard self > 0 else { return 0 }
    var x = self > 1 ? self / 3 : 1.0
    for _ in 0..<60 {
      let next = x - (x * x * x - self) / (3 * x * x)
      if abs(next - x) <= 1e-12 * Swift.max(1, abs(x)) { return next }
      x = next
    }
    return x
  }
}

extension Duration {
  /// The duration in seconds as a `Double`.
  fileprivate var seconds: Double {
    let (whole, attoseconds) = components
    return Double(whole) + Double(attoseconds) / 1e18
  }
}
