/// SACK-based loss recovery (RFC 6675) with RACK's loss marks (RFC 8985) and Proportional
/// Rate Reduction (RFC 6937).
extension LossRecovery {
  /// What one ACK (or the reordering timer) told a connection that negotiated SACK.
  struct SACKedACK {
    /// The cumulative ACK moved SND.UNA forward.
    var advanced: Bool
    /// An RFC 6675 duplicate: SND.UNA did not move and the ACK SACKed data not SACKed before
    /// (or, carrying no SACK blocks, it is a classic RFC 5681 duplicate).
    var isDuplicate: Bool
    /// Data bytes newly acknowledged cumulatively (for the congestion window's growth).
    var acknowledgedBytes: Int
    /// The congestion window limited the sender lately, so it may grow.
    var growsWindow: Bool
    /// SND.MAX − SND.UNA before this ACK.
    var flightBefore: Int
    /// Bytes newly delivered: the cumulative advance plus the change in SACKed bytes (PRR's
    /// DeliveredData).
    var deliveredBytes: Int
    /// Some outstanding segment is deemed lost (by RACK or by RFC 6675's IsLost).
    var lossDetected: Bool
  }

  /// Processes an ACK of a SACK connection, after the scoreboard, the RACK records and SND.UNA
  /// were updated; `pipe` computes RFC 6675's estimate of the bytes in the network. Returns
  /// ``Action/retransmitFirst`` when it starts recovery, ``Action/sendNewSegment`` for
  /// limited transmit, ``Action/none`` otherwise; within an episode, ``sendQuota`` says how
  /// much the connection may send now.
  mutating func onSACKedACK(
    _ ack: SACKedACK, sendUnacknowledged una: SequenceNumber, sendMaximum: SequenceNumber,
    congestion: inout any CongestionControl, maximumSegmentSize mss: Int, now: Instant,
    smoothedRTT: Duration?, pipe: () -> Int
  ) -> Action {
    if ack.advanced {
      duplicateACKs = 0
    } else if ack.isDuplicate {
      duplicateACKs += 1
    }
    if inRecovery {
      if ack.advanced && !(una < recoveryPoint) {
        // Every byte outstanding at the start is acknowledged: the episode is over.
        inRecovery = false
        reduction = nil
        sendQuota = 0
        congestion.onExitRecovery(flightSize: sendMaximum - una, maximumSegmentSize: mss)
        return .none
      }
      updateQuota(delivered: ack.deliveredBytes, pipe: pipe(), congestion: congestion, mss: mss)
      return .none
    }
    if ack.advanced && ack.growsWindow {
      congestion.onAcknowledged(
        bytes: ack.acknowledgedBytes, flightSize: ack.flightBefore, maximumSegmentSize: mss,
        now: now, smoothedRTT: smoothedRTT)
    }
    let triggered = duplicateACKs >= Self.duplicateThreshold || ack.lossDetected
    guard triggered, una != sendMaximum, !(una < recoveryPoint) else {
      return ack.isDuplicate && duplicateACKs < Self.duplicateThreshold ? .sendNewSegment : .none
    }
    // RFC 6675 §5 step 4: enter recovery and retransmit the first lost segment at once.
    inRecovery = true
    recoveryPoint = sendMaximum
    undo = (congestion.congestionWindow, congestion.slowStartThreshold, 0)
    congestion.onEnterRecovery(flightSize: sendMaximum - una, maximumSegmentSize: mss)
    let inPipe = pipe()
    reduction = ProportionalRateReduction(recoverFlightSize: inPipe)
    updateQuota(delivered: ack.deliveredBytes, pipe: inPipe, congestion: congestion, mss: mss)
    // The fast retransmit goes out even when the reduction allows nothing yet.
    sendQuota = Swift.max(sendQuota, mss)
    return .retransmitFirst
  }

  /// Bytes of a SACK episode's segment that just left: they count against the quota and PRR;
  /// a retransmission also counts towards what a D-SACK may show was needless.
  mutating func noteSentInRecovery(bytes: Int, isRetransmission: Bool) {
    guard reduction != nil else { return }
    reduction?.noteSent(bytes)
    sendQuota = Swift.max(sendQuota - bytes, 0)
    if isRetransmission { undo?.retransmissions += 1 }
  }

  /// A D-SACK reported data received twice (RFC 3708): one retransmission was needless. When
  /// that accounts for every retransmission of the last episode, the loss was not real (the
  /// path reordered), and the window goes back to where it was; an episode still under way
  /// ends. Returns whether it undid the reduction.
  mutating func onDuplicateSACK(congestion: inout any CongestionControl) -> Bool {
    guard var pending = undo, pending.retransmissions > 0 else { return false }
    pending.retransmissions -= 1
    guard pending.retransmissions == 0 else {
      undo = pending
      return false
    }
    undo = nil
    congestion.undoReduction(window: pending.window, threshold: pending.threshold)
    if inRecovery {
      inRecovery = false
      reduction = nil
      sendQuota = 0
    }
    return true
  }

  private mutating func updateQuota(
    delivered: Int, pipe: Int, congestion: any CongestionControl, mss: Int
  ) {
    sendQuota =
      reduction?.onACK(
        newlyDelivered: delivered, pipe: pipe, slowStartThreshold: congestion.slowStartThreshold,
        maximumSegmentSize: mss) ?? 0
  }
}
