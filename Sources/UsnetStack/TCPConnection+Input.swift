import UsnetWire

/// What processing one segment asks of the stack.
struct TCPInputOutcome {
  /// Set when the segment was (at least partly) rejected; the stack counts it.
  var drop: DropReason?
  /// A RST to send that is not part of the connection's own sequence (RFC 9293 replies to
  /// segments with a bad ACK).
  var resetReply: TCPResetReply?
  /// The handshake completed with this segment.
  var becameEstablished = false
}

/// A RST sent in reply to a segment: `<SEQ=seq><CTL=RST>`, or with an ACK when `ack` is set.
struct TCPResetReply: Equatable {
  var sequence: UInt32
  var acknowledgment: UInt32?
}

extension TCPConnection {
  /// Processes one segment for this connection (RFC 9293 §3.10.7.3 and §3.10.7.4, with the
  /// RFC 5961 mitigations).
  func process(
    _ segment: TCPHeader, buffer: [UInt8], payload: Range<Int>,
    environment: inout TCPEnvironment
  ) -> TCPInputOutcome {
    environment.counters.tcpSegmentsReceived += 1
    if state == .synSent {
      return processInSynSent(segment, buffer: buffer, payload: payload, environment: &environment)
    }
    var outcome = TCPInputOutcome()
    var flags = segment.flags
    var sequence = SequenceNumber(segment.sequenceNumber)
    var payload = payload

    // A retransmitted SYN of the handshake we are answering: send the SYN-ACK again.
    if state == .synReceived, flags.contains(.syn), !flags.contains(.ack),
      sequence == initialReceiveSequence
    {
      sendNext = initialSendSequence
      return outcome
    }
    // Simultaneous open (RFC 9293 Figure 8): the peer's SYN-ACK repeats the SYN we took;
    // what is new is its ACK of ours.
    if state == .synReceived, !isPassive, flags.contains(.syn), flags.contains(.ack),
      sequence == initialReceiveSequence
    {
      flags.remove(.syn)
      sequence = sequence + 1
    }
    let firstSequence = sequence

    // PAWS (RFC 7323 §5.3, R1), before the sequence number test.
    if failsPAWS(segment, now: environment.now) {
      ackNow = true
      outcome.drop = .tcpPAWSRejected
      return outcome
    }

    // First: sequence number acceptability.
    var segmentLength = payload.count
    if flags.contains(.syn) { segmentLength += 1 }
    if flags.contains(.fin) { segmentLength += 1 }
    let window = receiveWindow
    if !isAcceptable(sequence: sequence, length: segmentLength, window: window) {
      if flags.contains(.rst) {
        outcome.drop = .tcpRSTRejected
        return outcome
      }
      if state == .timeWait, flags.contains(.fin) {
        // A retransmitted FIN: ACK it and restart the 2·MSL timer (RFC 9293 §3.10.7.4).
        enterTimeWait(environment)
      }
      if !payload.isEmpty, !(receiveNext < sequence + payload.count) {
        noteDuplicate(from: sequence, length: payload.count)
      }
      ackNow = true
      outcome.drop = .tcpUnacceptable
      return outcome
    }
    // The peer was heard from: the keep-alive idle period starts again.
    if keepAlive { restartKeepAlive(environment) }

    // Second: RST (RFC 5961 §3.2).
    if flags.contains(.rst) {
      guard sequence == receiveNext else {
        sendChallengeACK(&environment)
        outcome.drop = .tcpRSTRejected
        return outcome
      }
      switch state {
      case .synReceived:
        enterClosed(error: isPassive ? nil : .refused)
      case .established, .finWait1, .finWait2, .closeWait:
        enterClosed(error: .reset)
      default:
        enterClosed()
      }
      return outcome
    }

    // Fourth: SYN in a synchronized state (RFC 5961 §4).
    if flags.contains(.syn) {
      if state == .synReceived && isPassive {
        enterClosed()
        return outcome
      }
      sendChallengeACK(&environment)
      outcome.drop = .tcpUnexpectedSYN
      return outcome
    }

    // Fifth: the ACK field.
    guard flags.contains(.ack) else {
      outcome.drop = .tcpInvalidForState
      return outcome
    }
    let ack = SequenceNumber(segment.acknowledgmentNumber)
    if state == .synReceived {
      guard sendUnacknowledged < ack && ack <= sendMaximum else {
        outcome.resetReply = TCPResetReply(sequence: segment.acknowledgmentNumber)
        outcome.drop = .tcpBadACK
        return outcome
      }
      guard environment.acceptQueueHasRoom else {
        // Linux (tcp_abort_on_overflow = 0): ignore the ACK; the SYN-ACK is retransmitted.
        outcome.drop = .tcpListenQueueFull
        return outcome
      }
      state = finQueued ? .finWait1 : .established
      environment.counters.tcpConnectionsEstablished += 1
      outcome.becameEstablished = true
      sendWindow = Int(segment.window) << (segment.flags.contains(.syn) ? 0 : sendWindowShift)
      maximumSendWindow = Swift.max(maximumSendWindow, sendWindow)
      sendWindowUpdateSequence = sequence
      sendWindowUpdateAcknowledgment = ack
    }
    if ack > sendMaximum {
      ackNow = true
      outcome.drop = .tcpBadACK
      return outcome
    }
    if ack < sendUnacknowledged - maximumSendWindow {
      sendChallengeACK(&environment)
      outcome.drop = .tcpBadACK
      return outcome
    }
    noteTimestamp(of: segment, sequence: sequence, now: environment.now)
    processACK(segment, ack: ack, sequence: sequence, payloadLength: payload.count, &environment)
    if state == .closed { return outcome }

    // Seventh: segment text. Trim to the window first.
    if !payload.isEmpty {
      if sequence < receiveNext {
        let skip = Swift.min(receiveNext - sequence, payload.count)
        payload = (payload.lowerBound + skip)..<payload.upperBound
        sequence = sequence + skip
      }
      let roomFromNext = window - (sequence - receiveNext)
      var finTrimmed = false
      if payload.count > roomFromNext {
        payload = payload.lowerBound..<(payload.lowerBound + Swift.max(roomFromNext, 0))
        finTrimmed = true
      }
      if !payload.isEmpty || finTrimmed {
        if state.acceptsData {
          if (applicationClosed || (readShutdown && finQueued)) && !payload.isEmpty {
            // New data for a socket that can no longer read it (closed, or shut down both
            // ways with our FIN sent): Linux resets the connection (TCPAbortOnData).
            resetPending = true
            enterClosed(error: applicationClosed ? .aborted : .reset)
            return outcome
          }
          receiveData(buffer: buffer, payload: payload, sequence: sequence, &environment)
        }
        if finTrimmed {
          // Data beyond the window (a zero-window probe): ACK at once (RFC 9293 §3.10.7.4).
          ackNow = true
          return outcome
        }
      }
    }

    // Eighth: FIN.
    if flags.contains(.fin) {
      let finSequenceNumber = firstSequence + (segmentLength - 1)
      if finSequenceNumber == receiveNext {
        processFIN(&environment)
      } else if receiveNext < finSequenceNumber {
        pendingFINSequence = finSequenceNumber
        ackNow = true
      }
    }
    return outcome
  }

  /// RFC 9293 §3.10.7.3 for SYN-SENT.
  private func processInSynSent(
    _ segment: TCPHeader, buffer: [UInt8], payload: Range<Int>,
    environment: inout TCPEnvironment
  ) -> TCPInputOutcome {
    var outcome = TCPInputOutcome()
    let flags = segment.flags
    let ack = SequenceNumber(segment.acknowledgmentNumber)
    var ackAcceptable = false
    if flags.contains(.ack) {
      guard initialSendSequence < ack && ack <= sendMaximum else {
        if !flags.contains(.rst) {
          outcome.resetReply = TCPResetReply(sequence: segment.acknowledgmentNumber)
        }
        outcome.drop = .tcpBadACK
        return outcome
      }
      ackAcceptable = true
    }
    if flags.contains(.rst) {
      if ackAcceptable {
        enterClosed(error: .refused)
      } else {
        outcome.drop = .tcpRSTRejected
      }
      return outcome
    }
    guard flags.contains(.syn) else {
      outcome.drop = .tcpInvalidForState
      return outcome
    }
    let sequence = SequenceNumber(segment.sequenceNumber)
    initialReceiveSequence = sequence
    receiveNext = sequence + 1
    // Our SYN's window was measured from an RCV.NXT not known yet: the edge it set is
    // meaningless (half the time "ahead", so it never moved and no window update was sent).
    advertisedRightEdge = receiveNext + Swift.min(receiveWindow, 65535)
    adoptOptions(of: segment, environment: environment)
    if ackAcceptable {
      takeRTTSample(
        acknowledging: ack, echoReply: segment.options.timestamp?.echoReply,
        environment: environment)
      sendUnacknowledged = ack
      retransmitDeadline = nil
      retransmitCount = 0
      state = finQueued ? .finWait1 : .established
      environment.counters.tcpConnectionsEstablished += 1
      outcome.becameEstablished = true
      sendWindow = Int(segment.window) << Int(sendWindowShift)
      maximumSendWindow = sendWindow
      sendWindowUpdateSequence = sequence
      sendWindowUpdateAcknowledgment = ack
      ackNow = true
      if !payload.isEmpty {
        receiveData(buffer: buffer, payload: payload, sequence: sequence + 1, &environment)
      }
      if flags.contains(.fin) {
        let finSequenceNumber = sequence + 1 + payload.count
        if finSequenceNumber == receiveNext { processFIN(&environment) }
      }
    } else {
      // Simultaneous open: answer with SYN-ACK (our SYN again, now with an ACK).
      state = .synReceived
      sendNext = initialSendSequence
      sendWindow = Int(segment.window)
      sendWindowUpdateSequence = sequence
      rttTimedSequence = nil
    }
    return outcome
  }

  /// Takes MSS, window scale, timestamps and SACK-permitted from the peer's SYN (RFC 9293
  /// §3.7.1, RFC 7323 §2.2 and §3.2, RFC 2018 §2).
  func adoptOptions(of segment: TCPHeader, environment: TCPEnvironment) {
    adoptTimestamps(of: segment, environment: environment)
    sackNegotiated =
      segment.options.sackPermitted && environment.configuration.selectiveAcknowledgments
    let peerMSS = segment.options.maximumSegmentSize.map(Int.init) ?? 536
    negotiatedMSS = Swift.max(64, Swift.min(peerMSS, environment.interfaceMSS))
    sendMSS = pathLimitedMSS
    congestion = environment.configuration.congestionControl.make(
      maximumSegmentSize: effectiveSendMSS,
      initialWindowSegments: environment.configuration.initialWindowSegments)
    if let peerShift = segment.options.windowScale, environment.configuration.windowScaling {
      sendWindowShift = Swift.min(peerShift, 14)
      receiveWindowShift = offeredWindowShift
      windowScalingNegotiated = true
    } else {
      windowScalingNegotiated = false
      sendWindowShift = 0
      receiveWindowShift = 0
    }
  }

  /// RFC 9293's acceptability test for a segment of `length` sequence numbers.
  private func isAcceptable(sequence: SequenceNumber, length: Int, window: Int) -> Bool {
    let offset = sequence - receiveNext
    if length == 0 {
      return window == 0 ? offset == 0 : (offset >= 0 && offset < window)
    }
    if window == 0 {
      // Only the exact next sequence number passes, so its ACK and RST can be processed; its
      // data is trimmed away below.
      return offset == 0
    }
    let lastOffset = offset + length - 1
    return (offset >= 0 && offset < window) || (lastOffset >= 0 && lastOffset < window)
  }

  /// Sends a challenge ACK if the stack-wide budget allows (RFC 5961 §7).
  private func sendChallengeACK(_ environment: inout TCPEnvironment) {
    if environment.challengeACKs.take(at: environment.now) {
      ackNow = true
      environment.counters.tcpChallengeACKs += 1
    } else {
      environment.counters.tcpChallengeACKsSuppressed += 1
    }
  }

  /// The ACK processing of a synchronized connection: send buffer, RTT, the SACK scoreboard,
  /// loss recovery and congestion control, the window update and the FIN-driven transitions.
  private func processACK(
    _ segment: TCPHeader, ack: SequenceNumber, sequence: SequenceNumber, payloadLength: Int,
    _ environment: inout TCPEnvironment
  ) {
    let mss = effectiveSendMSS
    let windowBefore = sendWindow
    let unacknowledgedBefore = sendUnacknowledged
    let flightBefore = sendMaximum - sendUnacknowledged
    let advanced = sendUnacknowledged < ack
    let sackedBefore = scoreboard.sackedBytes
    var newlySACKed = 0
    var duplicateReported = false
    if sackNegotiated {
      (newlySACKed, duplicateReported) = takeSACKBlocks(
        segment.options.sackBlocks, ack: ack, &environment)
    }
    var dataAcked = 0
    // Judged on the round trip this ACK closes, before it starts the next.
    let growsWindow = isCongestionWindowLimited
    if advanced {
      takeRTTSample(
        acknowledging: ack, echoReply: segment.options.timestamp?.echoReply,
        environment: environment)
      // Remove acknowledged bytes from the send buffer (the FIN is not in the buffer).
      dataAcked = Swift.min(Swift.max(ack - sendBufferSequence, 0), sendBuffer.count)
      if dataAcked > 0 {
        sendBuffer.discard(dataAcked)
        sendBufferSequence = sendBufferSequence + dataAcked
      }
      sendUnacknowledged = ack
      advanceWindowUseRound(acknowledging: ack)
      scoreboard.removeAcknowledged(below: ack)
      if sendNext < sendUnacknowledged { sendNext = sendUnacknowledged }
      checkSpuriousTimeout(echoReply: segment.options.timestamp?.echoReply, &environment)
      retransmitCount = 0
      softError = nil
      limitedTransmitAllowance = 0
      unacknowledgedSince = environment.now  // the user timeout restarts on progress
      checkPathMTUProbe(&environment)
      // RFC 6298 §5.2 and §5.3.
      retransmitDeadline = sendUnacknowledged == sendMaximum ? nil : environment.now + rto.current
    }
    let isClassicDuplicate =
      !advanced && ack == sendUnacknowledged && payloadLength == 0
      && !segment.flags.contains(.syn) && !segment.flags.contains(.fin)
      && sendMaximum != sendUnacknowledged
      && Int(segment.window) << Int(sendWindowShift) == windowBefore
    var action = LossRecovery.Action.none
    if sackNegotiated {
      if advanced || newlySACKed > 0 {
        recentACK.onACK(cumulative: ack, scoreboard: scoreboard, now: environment.now)
      }
      if duplicateReported {
        recentACK.noteDuplicateSACK(
          sendUnacknowledged: sendUnacknowledged, sendMaximum: sendMaximum)
        if lossRecovery.onDuplicateSACK(congestion: &congestion) {
          environment.counters.tcpSpuriousRecoveriesUndone += 1
        }
      }
      checkTailLossProbe(
        ack: ack, duplicateReported: duplicateReported, flightBefore: flightBefore,
        &environment)
      if advanced || newlySACKed > 0 || isClassicDuplicate {
        let lossDetected = detectLosses(&environment)
        runSACKRecovery(
          LossRecovery.SACKedACK(
            advanced: advanced,
            isDuplicate: !advanced && sendMaximum != sendUnacknowledged
              && (newlySACKed > 0 || (isClassicDuplicate && segment.options.sackBlocks.isEmpty)),
            acknowledgedBytes: dataAcked, growsWindow: growsWindow, flightBefore: flightBefore,
            deliveredBytes: (ack - unacknowledgedBefore) + scoreboard.sackedBytes - sackedBefore,
            lossDetected: lossDetected), &environment)
        scheduleTailLossProbe(environment)
      }
    } else if advanced {
      action = lossRecovery.onNewACK(
        ack, bytes: dataAcked, growsWindow: growsWindow, flightBefore: flightBefore,
        flightAfter: sendMaximum - sendUnacknowledged, congestion: &congestion,
        maximumSegmentSize: mss, now: environment.now,
        smoothedRTT: rto.smoothedRTT.map { .nanoseconds($0) })
      if action == .retransmitFirst {
        // A NewReno partial ACK: the next hole goes out now.
        retransmitFirstPending = true
        action = .none
      }
    } else if isClassicDuplicate {
      action = lossRecovery.onDuplicateACK(
        ack, sendMaximum: sendMaximum, flightSize: sendMaximum - sendUnacknowledged,
        congestion: &congestion, maximumSegmentSize: mss)
    }
    switch action {
    case .retransmitFirst:
      retransmitFirstPending = true
      rttTimedSequence = nil
      limitedTransmitAllowance = 0
      environment.counters.tcpFastRetransmits += 1
    case .sendNewSegment:
      limitedTransmitAllowance += mss
    case .none:
      break
    }
    // The send window (RFC 9293 §3.10.7.4, fifth, ESTABLISHED).
    if sendWindowUpdateSequence < sequence
      || (sendWindowUpdateSequence == sequence && !(ack < sendWindowUpdateAcknowledgment))
    {
      // A SYN's window is never scaled (RFC 7323 §2.2).
      sendWindow = Int(segment.window) << (segment.flags.contains(.syn) ? 0 : sendWindowShift)
      maximumSendWindow = Swift.max(maximumSendWindow, sendWindow)
      sendWindowUpdateSequence = sequence
      sendWindowUpdateAcknowledgment = ack
      if sendWindow > 0 {
        persistDeadline = nil
        persistBackoff = 0
      } else {
        // The peer answers while its window is closed: it is alive, so probing it does not
        // count toward the retry limit (Linux times out only a silent peer).
        retransmitCount = 0
      }
    }

    let finAcknowledged = finQueued && sendUnacknowledged == finSequence + 1
    switch state {
    case .finWait1 where finAcknowledged:
      state = .finWait2
      if applicationClosed {
        finWait2Deadline = environment.now + environment.configuration.timeWaitDuration
      }
    case .closing where finAcknowledged:
      enterTimeWait(environment)
    case .lastAck where finAcknowledged:
      enterClosed()
    case .timeWait:
      break
    default:
      break
    }
  }

  /// Feeds an RTT sample for an ACK of new data: from its TSecr when timestamps are
  /// negotiated (every such ACK, retransmitted data included, RFC 7323 §4), otherwise if `ack`
  /// covers the timed segment (Karn's rule: timing is cancelled on any retransmission).
  func takeRTTSample(
    acknowledging ack: SequenceNumber, echoReply: UInt32?, environment: TCPEnvironment
  ) {
    if let rtt = timestampRoundTrip(echoReply: echoReply, now: environment.now) {
      rto.addSample(rtt)
      if let timed = rttTimedSequence, !(ack < timed) { rttTimedSequence = nil }
      return
    }
    guard let timed = rttTimedSequence, !(ack < timed) else { return }
    rto.addSample(environment.now - rttTimedAt)
    rttTimedSequence = nil
  }

  /// Places in-window data: in order into the receive buffer, out of order beyond it.
  private func receiveData(
    buffer: [UInt8], payload: Range<Int>, sequence: SequenceNumber,
    _ environment: inout TCPEnvironment
  ) {
    let offset = sequence - receiveNext
    if readShutdown {
      // Reading is shut down: acknowledge and discard.
      if offset == 0 {
        receiveNext = receiveNext + payload.count
        ackNow = true
      }
      return
    }
    if offset == 0 {
      let written = receiveBuffer.append(buffer, range: payload)
      let delivered = written + reassembly.advance(by: written)
      if delivered > written { receiveBuffer.commit(delivered - written) }
      receiveNext = receiveNext + delivered
      if !reassembly.isEmpty || delivered > written {
        ackNow = true  // filling (part of) a hole: ACK at once (RFC 5681 §4.2)
      } else {
        scheduleACK(segmentLength: payload.count, environment)
      }
      if let fin = pendingFINSequence, fin == receiveNext {
        pendingFINSequence = nil
        processFIN(&environment)
      }
    } else {
      let written = receiveBuffer.write(
        buffer, range: payload, atOffset: receiveBuffer.count + offset)
      if written > 0, reassembly.insert(offset..<(offset + written)) == 0 {
        noteDuplicate(from: sequence, length: written)
      }
      ackNow = true  // out of order: duplicate ACK at once
      duplicateACKsOwed += 1
    }
  }

  /// The peer's FIN, in order (RFC 9293 §3.10.7.4, eighth).
  private func processFIN(_ environment: inout TCPEnvironment) {
    receiveNext = receiveNext + 1
    finReceived = true
    ackNow = true
    switch state {
    case .synReceived, .established:
      state = .closeWait
    case .finWait1:
      if finQueued && sendUnacknowledged == finSequence + 1 {
        enterTimeWait(environment)
      } else {
        state = .closing
      }
    case .finWait2:
      enterTimeWait(environment)
    case .timeWait:
      enterTimeWait(environment)
    default:
      break
    }
  }
}
