import UsnetWire

extension TCPConnection {
  /// The worst-case delayed ACK RFC 8985 §7.2 allows for when one segment is in flight.
  static let worstCaseDelayedACK = Duration.milliseconds(200)
  /// The shortest probe timeout (Linux's floor), so a LAN's tiny RTT does not probe at once.
  static let minimumProbeTimeout = Duration.milliseconds(10)

  /// (Re)arms the probe timeout (RFC 8985 §7.2): two smoothed RTTs after the last ACK or new
  /// transmission (plus a delayed ACK's worth when one segment is out), never later than the
  /// retransmission timer. Only with SACK, outside recovery, with no probe already out.
  func scheduleTailLossProbe(_ environment: TCPEnvironment) {
    guard sackNegotiated, environment.configuration.rackTLP, state.isSynchronized,
      state != .timeWait,
      !lossRecovery.inRecovery, tailLossProbe == nil, sendUnacknowledged != sendMaximum,
      let smoothed = rto.smoothedRTT
    else {
      tailLossProbeDeadline = nil
      return
    }
    var timeout = Swift.max(Duration.nanoseconds(2 * smoothed), Self.minimumProbeTimeout)
    if sendMaximum - sendUnacknowledged <= effectiveSendMSS {
      timeout += Self.worstCaseDelayedACK
    }
    let deadline = environment.now + timeout
    if let retransmit = retransmitDeadline, retransmit < deadline {
      tailLossProbeDeadline = retransmit  // the probe goes first, and the RTO restarts
    } else {
      tailLossProbeDeadline = deadline
    }
  }

  /// The probe timeout fired: one segment goes out (new data if the peer's window takes it,
  /// else the last segment again) so that a loss at the tail is reported by SACK instead of
  /// waiting for the retransmission timer, which restarts.
  func tailLossProbeFired(_ environment: inout TCPEnvironment) {
    guard sackNegotiated, state.isSynchronized, sendUnacknowledged != sendMaximum,
      !lossRecovery.inRecovery
    else { return }
    environment.counters.tcpTailLossProbes += 1
    tailLossProbePending = true
    retransmitDeadline = environment.now + rto.current
  }

  /// Writes the pending probe.
  func writeTailLossProbe(
    into frame: inout [UInt8], at offset: Int, _ environment: inout TCPEnvironment
  ) -> Int? {
    tailLossProbePending = false
    let available = sendBuffer.count - (sendNext - sendBufferSequence)
    let length = Swift.min(available, effectiveSendMSS)
    if sendNext == sendMaximum, length > 0,
      sendWindow - (sendNext - sendUnacknowledged) >= length,
      let written = writeData(
        from: sendNext, limit: length, into: &frame, at: offset, &environment)
    {
      tailLossProbe = (lastSentEnd, false)
      tailLossProbeDeadline = nil
      return written
    }
    var start = SequenceNumber.max(sendMaximum - effectiveSendMSS, sendUnacknowledged)
    if let highest = scoreboard.highestSACKed, start < highest { start = highest }
    guard start < sendMaximum,
      let written = writeData(
        from: start, limit: sendMaximum - start, into: &frame, at: offset, &environment)
    else { return nil }
    tailLossProbe = (sendMaximum, true)
    tailLossProbeWasDuplicate = false
    tailLossProbeDeadline = nil
    return written
  }

  /// The end of a probe episode (RFC 8985 §7.4): once the ACK covers the probe, a
  /// retransmitted probe that no D-SACK called a duplicate repaired a real loss, and the
  /// congestion window answers it as one.
  func checkTailLossProbe(
    ack: SequenceNumber, duplicateReported: Bool, flightBefore: Int,
    _ environment: inout TCPEnvironment
  ) {
    guard let probe = tailLossProbe else { return }
    if duplicateReported { tailLossProbeWasDuplicate = true }
    guard !(ack < probe.end) else { return }
    if probe.isRetransmission && !tailLossProbeWasDuplicate && !lossRecovery.inRecovery {
      congestion.onEnterRecovery(flightSize: flightBefore, maximumSegmentSize: effectiveSendMSS)
      congestion.onExitRecovery(
        flightSize: sendMaximum - sendUnacknowledged, maximumSegmentSize: effectiveSendMSS)
      environment.counters.tcpTailLossProbeRepairs += 1
    }
    tailLossProbe = nil
    tailLossProbeWasDuplicate = false
  }
}
