/// SACK-based loss recovery (RFC 6675) with Proportional Rate Reduction (RFC 6937).
extension LossRecovery {
  /// What one ACK told a connection that negotiated SACK.
  struct SACKedACK {
    /// The cumulative ACK moved SND.UNA forward.
    var advanced: Bool
    /// An RFC 6675 duplicate: SND.UNA did not move and the ACK SACKed data not SACKed before
    /// (or, carrying no SACK blocks, it is a classic RFC 5681 duplicate).
    var isDuplicate: Bool
    /// Data bytes newly acknowledged cumulatively (for the congestion window's growth).
    var acknowledgedBytes: Int
    /// SND.MAX − SND.UNA before this ACK.
    var flightBefore: Int
    /// Bytes newly delivered: the cumulative advance plus the change in SACKed bytes (PRR's
    /// DeliveredData).
    var deliveredBytes: Int
  }

  /// Processes an ACK of a SACK connection, after the scoreboard and SND.UNA were updated.
  /// Returns ``Action/retransmitFirst`` when it starts recovery (the fast retransmit of the
  /// first hole), ``Action/sendNewSegment`` for limited transmit, ``Action/none`` otherwise;
  /// within an episode, ``sendQuota`` says how much the connection may send now.
  mutating func onSACKedACK(
    _ ack: SACKedACK, scoreboard: SACKScoreboard, sendUnacknowledged una: SequenceNumber,
    sendMaximum: SequenceNumber, congestion: inout any CongestionControl,
    maximumSegmentSize mss: Int, now: Instant, smoothedRTT: Duration?
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
      guard reduction != nil else {
        // A NewReno episode begun before SACK information arrived continues as NewReno.
        return .none
      }
      updateQuota(
        delivered: ack.deliveredBytes, scoreboard: scoreboard, sendUnacknowledged: una,
        sendMaximum: sendMaximum, congestion: congestion, maximumSegmentSize: mss)
      return .none
    }
    if ack.advanced {
      congestion.onAcknowledged(
        bytes: ack.acknowledgedBytes, flightSize: ack.flightBefore,
        maximumSegmentSize: mss, now: now, smoothedRTT: smoothedRTT)
    }
    let firstIsLost =
      scoreboard.lossBoundary(duplicateThreshold: Self.duplicateThreshold, maximumSegmentSize: mss)
      != nil
    let triggered = duplicateACKs >= Self.duplicateThreshold || firstIsLost
    guard triggered, una != sendMaximum, !(una < recoveryPoint) else {
      return ack.isDuplicate && duplicateACKs < Self.duplicateThreshold ? .sendNewSegment : .none
    }
    // RFC 6675 §5 step 4: enter recovery and retransmit the first hole at once.
    inRecovery = true
    recoveryPoint = sendMaximum
    highestRetransmitted = una
    rescueRetransmitted = nil
    congestion.onEnterRecovery(flightSize: sendMaximum - una, maximumSegmentSize: mss)
    reduction = ProportionalRateReduction(
      recoverFlightSize: pipe(
        scoreboard: scoreboard, sendUnacknowledged: una, sendMaximum: sendMaximum,
        maximumSegmentSize: mss))
    updateQuota(
      delivered: ack.deliveredBytes, scoreboard: scoreboard, sendUnacknowledged: una,
      sendMaximum: sendMaximum, congestion: congestion, maximumSegmentSize: mss)
    // The fast retransmit goes out even when the reduction allows nothing yet.
    sendQuota = Swift.max(sendQuota, mss)
    return .retransmitFirst
  }

  /// RFC 6675's pipe: unSACKed bytes not deemed lost, plus the retransmitted ones.
  func pipe(
    scoreboard: SACKScoreboard, sendUnacknowledged una: SequenceNumber,
    sendMaximum: SequenceNumber, maximumSegmentSize mss: Int
  ) -> Int {
    let boundary =
      scoreboard.lossBoundary(duplicateThreshold: Self.duplicateThreshold, maximumSegmentSize: mss)
      ?? una
    let inFlight = scoreboard.unSACKedBytes(
      from: SequenceNumber.max(boundary, una), to: sendMaximum)
    let retransmitted = scoreboard.unSACKedBytes(
      from: una, to: SequenceNumber.max(highestRetransmitted, una))
    return inFlight + retransmitted
  }

  /// Bytes of a SACK episode's segment that just left: they count against the quota and PRR,
  /// and `retransmittedEnd` (a NextSeg rule 1 or 3 retransmission, not the rescue) moves
  /// HighRxt.
  mutating func noteSentInRecovery(bytes: Int, retransmittedEnd: SequenceNumber?) {
    guard reduction != nil else { return }
    reduction?.noteSent(bytes)
    sendQuota = Swift.max(sendQuota - bytes, 0)
    if let end = retransmittedEnd, highestRetransmitted < end { highestRetransmitted = end }
  }

  /// Marks the episode's one rescue retransmission (RFC 6675 NextSeg rule 4) as sent.
  mutating func noteRescueRetransmission() {
    rescueRetransmitted = recoveryPoint
  }

  private mutating func updateQuota(
    delivered: Int, scoreboard: SACKScoreboard, sendUnacknowledged una: SequenceNumber,
    sendMaximum: SequenceNumber, congestion: any CongestionControl, maximumSegmentSize mss: Int
  ) {
    let inPipe = pipe(
      scoreboard: scoreboard, sendUnacknowledged: una, sendMaximum: sendMaximum,
      maximumSegmentSize: mss)
    sendQuota =
      reduction?.onACK(
        newlyDelivered: delivered, pipe: inPipe, slowStartThreshold: congestion.slowStartThreshold,
        maximumSegmentSize: mss) ?? 0
  }
}
