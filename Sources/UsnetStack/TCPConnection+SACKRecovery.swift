import UsnetWire

extension TCPConnection {
  /// Adds the valid blocks of a received ACK to the scoreboard and returns the bytes they
  /// newly SACKed, and whether a D-SACK came with them. A first block below the cumulative
  /// ACK, or inside the second block, is a D-SACK (RFC 2883 §4) and only counted; blocks that
  /// are empty, wholly acknowledged or beyond SND.MAX are ignored and counted.
  func takeSACKBlocks(
    _ blocks: SACKBlockList, ack: SequenceNumber, _ environment: inout TCPEnvironment
  ) -> (newlySACKed: Int, duplicateReported: Bool) {
    var newlySACKed = 0
    var duplicateReported = false
    for index in blocks.indices {
      let start = SequenceNumber(blocks[index].start)
      let end = SequenceNumber(blocks[index].end)
      if index == 0 {
        let second = blocks.count > 1 ? blocks[1] : nil
        let insideSecond = second.map {
          !(start < SequenceNumber($0.start)) && !(SequenceNumber($0.end) < end)
        }
        if start < ack || insideSecond == true {
          environment.counters.tcpDuplicateSACKsReceived += 1
          duplicateReported = true
          continue
        }
      }
      guard start < end, ack < end, !(sendMaximum < end) else {
        environment.counters.tcpInvalidSACKBlocks += 1
        continue
      }
      newlySACKed += scoreboard.add(start: SequenceNumber.max(start, ack), end: end)
    }
    return (newlySACKed, duplicateReported)
  }

  /// Marks what is lost now: RACK's time-based test (RFC 8985 §6.2) and RFC 6675's IsLost,
  /// and (re)arms the reordering timer for segments that may still turn up. Returns whether
  /// any outstanding segment is deemed lost and not yet sent again.
  func detectLosses(_ environment: inout TCPEnvironment) -> Bool {
    let now = environment.now
    if environment.configuration.rackTLP {
      let window = recentACK.reorderWindow(
        inRecovery: lossRecovery.inRecovery,
        sackedSegments: scoreboard.sackedBytes / Swift.max(effectiveSendMSS, 1),
        smoothedRTT: rto.smoothedRTT.map { .nanoseconds($0) })
      let (newlyLost, wait) = recentACK.detectLosses(now: now, reorderWindow: window)
      if newlyLost { environment.counters.tcpLossesDetectedByRACK += 1 }
      reorderDeadline = wait.map { now + $0 }
    }
    if let boundary = scoreboard.lossBoundary(
      duplicateThreshold: LossRecovery.duplicateThreshold, maximumSegmentSize: effectiveSendMSS)
    {
      _ = recentACK.markLost(below: boundary)
    }
    return recentACK.hasLostSegments
  }

  /// Hands one ACK's news (or the reordering timer's) to SACK-based loss recovery and acts on
  /// its answer.
  func runSACKRecovery(_ report: LossRecovery.SACKedACK, _ environment: inout TCPEnvironment) {
    let mss = effectiveSendMSS
    let wasInRecovery = lossRecovery.inRecovery
    defer { if wasInRecovery && !lossRecovery.inRecovery { recentACK.noteRecoveryEnded() } }
    let action = lossRecovery.onSACKedACK(
      report, sendUnacknowledged: sendUnacknowledged, sendMaximum: sendMaximum,
      congestion: &congestion, maximumSegmentSize: mss, now: environment.now,
      smoothedRTT: rto.smoothedRTT.map { .nanoseconds($0) },
      pipe: { recentACK.pipe(scoreboard: scoreboard) })
    switch action {
    case .retransmitFirst:
      // Recovery starts with the first lost segment; three duplicate ACKs without SACK
      // blocks name none, and then it is the one at SND.UNA.
      if !recentACK.hasLostSegments { _ = recentACK.markLost(below: sendUnacknowledged + 1) }
      tailLossProbeDeadline = nil
      rttTimedSequence = nil
      limitedTransmitAllowance = 0
      environment.counters.tcpFastRetransmits += 1
      environment.counters.tcpSACKRecoveries += 1
    case .sendNewSegment:
      limitedTransmitAllowance += mss
    case .none:
      break
    }
  }

  /// The reordering timer fired: segments RACK was waiting on may now be lost.
  func reorderTimerFired(_ environment: inout TCPEnvironment) {
    guard sackNegotiated, state.isSynchronized, sendUnacknowledged != sendMaximum else { return }
    let lossDetected = detectLosses(&environment)
    runSACKRecovery(
      LossRecovery.SACKedACK(
        advanced: false, isDuplicate: false, acknowledgedBytes: 0, growsWindow: false,
        flightBefore: sendMaximum - sendUnacknowledged, deliveredBytes: 0,
        lossDetected: lossDetected), &environment)
  }

  /// The next segment of a SACK-based recovery episode, RFC 6675's NextSeg within PRR's
  /// quota: (1) the first lost segment not yet sent again, (2) new data. A segment goes out
  /// only while the quota holds a whole MSS (RFC 6675's `cwnd - pipe >= 1 SMSS` with PRR's
  /// `cwnd = pipe + sndcnt`). `nil` when the quota is spent or nothing qualifies. A lost
  /// retransmission is found by RACK (a later segment gets delivered) or the timeout.
  func writeRecoverySegment(
    into frame: inout [UInt8], at offset: Int, _ environment: inout TCPEnvironment
  ) -> Int? {
    guard lossRecovery.sendQuota >= effectiveSendMSS else { return nil }
    if let hole = recentACK.firstLostHole(scoreboard: scoreboard) {
      guard
        let length = writeData(
          from: hole.start, limit: Swift.min(hole.length, effectiveSendMSS), into: &frame,
          at: offset,
          &environment)
      else { return nil }
      lossRecovery.noteSentInRecovery(bytes: lastSentEnd - hole.start, isRetransmission: true)
      return length
    }
    guard sendNext == sendMaximum else { return nil }
    let available = sendBuffer.count - (sendNext - sendBufferSequence)
    let finToSend = finQueued && sendNext == finSequence
    let windowRoom = sendWindow - (sendNext - sendUnacknowledged)
    guard (available > 0 && windowRoom > 0) || finToSend else { return nil }
    let start = sendNext
    guard
      let length = writeData(
        from: start, limit: Swift.min(available, effectiveSendMSS, Swift.max(windowRoom, 0)),
        into: &frame, at: offset, &environment)
    else { return nil }
    lossRecovery.noteSentInRecovery(bytes: lastSentEnd - start, isRetransmission: false)
    return length
  }
}
