/// Loss detection from ACKs and the recovery episode that follows.
///
/// Without SACK: fast retransmit on the third duplicate ACK (RFC 5681 §3.2) and NewReno
/// partial-ACK handling (RFC 6582), the window inflated and deflated by the
/// ``CongestionControl``. With SACK (`LossRecovery+SACK.swift`): RFC 6675's conservative
/// recovery, where RACK (``RecentACK``) and the ``SACKScoreboard`` say what is lost, the pipe
/// estimate says what is in flight, and Proportional Rate Reduction (RFC 6937) says how much
/// may go out per ACK.
///
/// The connection feeds it every ACK that moves something, and it answers with what to do.
/// A value owned by one connection.
struct LossRecovery: Sendable {
  /// What the connection must do after an ACK.
  enum Action: Equatable {
    /// Nothing beyond the usual.
    case none
    /// Retransmit the first unacknowledged segment now (with SACK: recovery starts, and the
    /// first segment deemed lost goes first).
    case retransmitFirst
    /// Limited transmit (RFC 3042): the first or second duplicate ACK lets one more new
    /// segment out beyond the congestion window, so a small window still reaches three
    /// duplicates.
    case sendNewSegment
  }

  /// Duplicate ACKs in a row for the current SND.UNA.
  var duplicateACKs = 0
  /// Whether a fast recovery episode is under way.
  var inRecovery = false
  /// SND.MAX when the episode began (RFC 6582 `recover`): ACKs below it are partial.
  var recoveryPoint: SequenceNumber

  // MARK: SACK-based recovery (RFC 6675), in `LossRecovery+SACK.swift`
  /// The rate reduction of a SACK-based episode; `nil` outside one.
  var reduction: ProportionalRateReduction?
  /// Bytes PRR lets out until the next ACK.
  var sendQuota = 0
  /// The window and threshold before the last SACK episode's reduction, and how many of its
  /// retransmissions no D-SACK has yet called needless (RFC 3708); `nil` when there is nothing
  /// to undo.
  var undo: (window: Int, threshold: Int, retransmissions: Int)?

  /// The duplicate ACK that triggers fast retransmit.
  static let duplicateThreshold = 3

  init(initialSendSequence: SequenceNumber) {
    recoveryPoint = initialSendSequence
  }

  /// Whether a SACK-based episode is under way: output follows ``sendQuota`` and
  /// NextSeg instead of the congestion window.
  var isSACKRecovery: Bool { reduction != nil }

  /// A cumulative ACK advanced SND.UNA to `ack`, acknowledging `bytes` of data; outside
  /// recovery the window grows if `growsWindow` (the sender was limited by it).
  mutating func onNewACK(
    _ ack: SequenceNumber, bytes: Int, growsWindow: Bool, flightBefore: Int, flightAfter: Int,
    congestion: inout any CongestionControl, maximumSegmentSize mss: Int, now: Instant,
    smoothedRTT: Duration?
  ) -> Action {
    duplicateACKs = 0
    guard inRecovery else {
      guard growsWindow else { return .none }
      congestion.onAcknowledged(
        bytes: bytes, flightSize: flightBefore, maximumSegmentSize: mss, now: now,
        smoothedRTT: smoothedRTT)
      return .none
    }
    if ack < recoveryPoint {
      // RFC 6582 §3.2 step 3: a partial ACK; the next hole is lost too.
      congestion.onPartialACK(bytes: bytes, maximumSegmentSize: mss)
      return .retransmitFirst
    }
    // Step 4: a full ACK ends the episode.
    inRecovery = false
    congestion.onExitRecovery(flightSize: flightAfter, maximumSegmentSize: mss)
    return .none
  }

  /// A duplicate ACK (RFC 5681's definition: no data, no window change, data outstanding).
  mutating func onDuplicateACK(
    _ ack: SequenceNumber, sendMaximum: SequenceNumber, flightSize: Int,
    congestion: inout any CongestionControl, maximumSegmentSize mss: Int
  ) -> Action {
    duplicateACKs += 1
    if inRecovery {
      congestion.onDuplicateACKInRecovery(maximumSegmentSize: mss)
      return .none
    }
    if duplicateACKs < Self.duplicateThreshold { return .sendNewSegment }
    // RFC 6582 §3.2 step 2: only when the ACK covers the previous recovery point, so that
    // duplicates caused by one episode's retransmissions do not start another.
    guard duplicateACKs == Self.duplicateThreshold, !(ack < recoveryPoint) else { return .none }
    inRecovery = true
    recoveryPoint = sendMaximum
    congestion.onEnterRecovery(flightSize: flightSize, maximumSegmentSize: mss)
    return .retransmitFirst
  }

  /// A timeout turned out spurious: losses from `sendUnacknowledged` on may start an episode
  /// again without waiting for the pre-timeout data to be acknowledged.
  mutating func allowRecovery(from sendUnacknowledged: SequenceNumber) {
    recoveryPoint = sendUnacknowledged
    duplicateACKs = 0
  }

  /// The retransmission timer fired: the episode (if any) ends, and duplicates of what was
  /// sent before the timeout must not start a new one (RFC 6582 §4).
  mutating func onRetransmissionTimeout(sendMaximum: SequenceNumber) {
    inRecovery = false
    recoveryPoint = sendMaximum
    duplicateACKs = 0
    reduction = nil
    sendQuota = 0
    undo = nil
  }
}
