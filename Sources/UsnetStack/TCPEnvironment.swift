/// What a TCP connection needs from its stack while processing a segment, a timer or a call:
/// the time, the configuration, the stack's counters and the stack-wide challenge ACK budget.
struct TCPEnvironment {
  var now: Instant
  let configuration: TCPConfiguration
  /// The MSS our interface allows: MTU minus IPv4 and TCP headers.
  let interfaceMSS: Int
  /// Whether the device segments TCP (TSO): data segments may then carry up to
  /// `TCPConnection.maximumSuperSegmentPayload` bytes.
  let segmentationOffload: Bool
  var counters: StackCounters
  var challengeACKs: ChallengeACKLimiter
  /// Set by the stack before it feeds a half-open connection: whether its listener can take one
  /// more established connection.
  var acceptQueueHasRoom = true
}

/// A stack-wide token bucket for RFC 5961 challenge ACKs (Linux: 1000 per second).
struct ChallengeACKLimiter {
  let perSecond: Int
  private var windowStart = Instant.zero
  private var sentInWindow = 0

  init(perSecond: Int) { self.perSecond = perSecond }

  /// Takes one challenge ACK from the budget of the current second, if any is left.
  mutating func take(at now: Instant) -> Bool {
    if now - windowStart >= .seconds(1) {
      windowStart = now
      sentInWindow = 0
    }
    guard sentInWindow < perSecond else { return false }
    sentInWindow += 1
    return true
  }
}
