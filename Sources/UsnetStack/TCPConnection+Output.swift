import UsnetWire

extension TCPConnection {
  /// Writes the next segment this connection wants to send into `frame` at `offset` (header,
  /// options and payload; the checksum is left to the stack) and returns its length, or `nil`
  /// when there is nothing to send now. The frame must have room for a header of 60 bytes plus
  /// ``sendMSS`` bytes of payload after `offset`, or, with segmentation offload, plus
  /// ``superSegmentLimit`` bytes or the send buffer's length, whichever is less.
  func writeSegment(
    into frame: inout [UInt8], at offset: Int, environment: inout TCPEnvironment
  ) -> Int? {
    if resetPending {
      resetPending = false
      environment.counters.tcpResetsSent += 1
      let header = TCPHeader(
        sourcePort: tuple.localPort, destinationPort: tuple.remotePort,
        sequenceNumber: sendMaximum.rawValue, acknowledgmentNumber: receiveNext.rawValue,
        flags: [.rst, .ack], window: 0)
      return finish(header, payloadLength: 0, into: &frame, at: offset, &environment)
    }
    switch state {
    case .closed, .listen:
      return nil
    case .synSent:
      guard sendNext == initialSendSequence else { return nil }
      return writeSYN(into: &frame, at: offset, &environment)
    case .synReceived:
      if sendNext == initialSendSequence {
        return writeSYN(into: &frame, at: offset, &environment)
      }
    default:
      break
    }
    if duplicateACKsOwed > 0 {
      duplicateACKsOwed -= 1
      let length = writePureACK(into: &frame, at: offset, &environment)
      ackNow = duplicateACKsOwed > 0
      return length
    }
    if retransmitFirstPending {
      retransmitFirstPending = false
      let start = sendUnacknowledged
      var limit = effectiveSendMSS
      if let sacked = scoreboard.nextSACKedStart(after: start) {
        limit = Swift.min(limit, sacked - start)
      }
      if let length = writeData(
        from: start, limit: limit, into: &frame, at: offset, &environment)
      {
        return length
      }
    }
    if windowProbePending {
      windowProbePending = false
      let header = TCPHeader(
        sourcePort: tuple.localPort, destinationPort: tuple.remotePort,
        sequenceNumber: (sendUnacknowledged - 1).rawValue,
        acknowledgmentNumber: receiveNext.rawValue, flags: [.ack], window: 0)
      return finish(header, payloadLength: 0, into: &frame, at: offset, &environment)
    }
    if tailLossProbePending,
      let length = writeTailLossProbe(into: &frame, at: offset, &environment)
    {
      return length
    }
    if lossRecovery.isSACKRecovery {
      if let length = writeRecoverySegment(into: &frame, at: offset, &environment) {
        return length
      }
    } else if let length = writeNewData(into: &frame, at: offset, &environment) {
      return length
    }
    if ackNow {
      return writePureACK(into: &frame, at: offset, &environment)
    }
    return nil
  }

  /// A segment with only an ACK. It carries SND.MAX, not SND.NXT: after a timeout SND.NXT
  /// moves back, and a pure ACK with an old sequence number would be unacceptable to the peer
  /// (and its acknowledgment lost with it).
  private func writePureACK(
    into frame: inout [UInt8], at offset: Int, _ environment: inout TCPEnvironment
  ) -> Int {
    let header = TCPHeader(
      sourcePort: tuple.localPort, destinationPort: tuple.remotePort,
      sequenceNumber: sendMaximum.rawValue, acknowledgmentNumber: receiveNext.rawValue,
      flags: [.ack], window: 0, options: acknowledgmentOptions())
    return finish(header, payloadLength: 0, into: &frame, at: offset, &environment)
  }

  /// Our SYN (active open) or SYN-ACK (passive or simultaneous open).
  private func writeSYN(
    into frame: inout [UInt8], at offset: Int, _ environment: inout TCPEnvironment
  ) -> Int {
    let withACK = state == .synReceived
    var options = TCPOptions(maximumSegmentSize: UInt16(clamping: environment.interfaceMSS))
    if withACK ? windowScalingNegotiated : environment.configuration.windowScaling {
      options.windowScale = offeredWindowShift
    }
    options.sackPermitted =
      withACK ? sackNegotiated : environment.configuration.selectiveAcknowledgments
    if !withACK && environment.configuration.timestamps {
      // Offered with TSecr 0; a SYN-ACK gets its option in `finish` once negotiated.
      options.timestamp = TCPTimestamp(value: timestampClock(at: environment.now), echoReply: 0)
    }
    let header = TCPHeader(
      sourcePort: tuple.localPort, destinationPort: tuple.remotePort,
      sequenceNumber: initialSendSequence.rawValue,
      acknowledgmentNumber: withACK ? receiveNext.rawValue : 0,
      flags: withACK ? [.syn, .ack] : [.syn], window: 0, options: options)
    let isRetransmission = sendMaximum != initialSendSequence
    noteSent(
      from: initialSendSequence, length: 1, isRetransmission: isRetransmission, &environment)
    return finish(header, payloadLength: 0, into: &frame, at: offset, &environment)
  }

  /// New data (and the FIN after it) as far as the send and congestion windows and Nagle allow.
  private func writeNewData(
    into frame: inout [UInt8], at offset: Int, _ environment: inout TCPEnvironment
  ) -> Int? {
    guard state != .synReceived, state != .synSent else { return nil }
    // Going back after a timeout: what the peer SACKed is not sent again.
    var sackedAhead: SequenceNumber?
    if sendNext < sendMaximum && !scoreboard.isEmpty {
      if let sacked = scoreboard.sackedRange(containing: sendNext) {
        sendNext = SequenceNumber.min(sacked.end, sendMaximum)
      }
      sackedAhead = scoreboard.nextSACKedStart(after: sendNext)
    }
    let dataOffset = sendNext - sendBufferSequence
    let available = sendBuffer.count - dataOffset
    let finToSend = finQueued && sendNext == finSequence
    guard available > 0 || finToSend else { return nil }
    if sendUnacknowledged == sendMaximum { restartAfterIdleIfNeeded(environment) }
    let window = Swift.min(
      sendWindow, congestion.congestionWindow + limitedTransmitAllowance)
    let usable = window - (sendNext - sendUnacknowledged)
    if available > 0 {
      guard usable > 0 else {
        if sendWindow == 0 && sendNext == sendUnacknowledged && retransmitDeadline == nil
          && persistDeadline == nil
        {
          persistDeadline = environment.now + persistInterval
        }
        return nil
      }
      let mss = effectiveSendMSS
      if let probe = pathMTUProbeLength(available: available, usable: usable, environment) {
        // The probe's size counts the MSS; its payload leaves room for the timestamps.
        let start = sendNext
        let length = writeData(
          from: start, limit: probe - (sendMSS - mss), into: &frame, at: offset, &environment)
        notePathMTUProbeSent(from: start, &environment)
        return length
      }
      let segmentLimit = environment.segmentationOffload ? superSegmentLimit : mss
      var length = Swift.min(available, segmentLimit, usable)
      if let sackedAhead { length = Swift.min(length, sackedAhead - sendNext) }
      let isRetransmission = sendNext < sendMaximum
      if !isRetransmission && length == usable && length < available {
        guard let allowed = windowLimitedLength(length, environment) else { return nil }
        length = allowed
      }
      if !noDelay && !isRetransmission && length < mss
        && sendNext != sendUnacknowledged && !(finQueued && length == available)
      {
        return nil  // Nagle: a small segment waits while data is in flight.
      }
      return writeData(from: sendNext, limit: length, into: &frame, at: offset, &environment)
    }
    return writeData(from: sendNext, limit: 0, into: &frame, at: offset, &environment)
  }

  /// A segment of at most `limit` data bytes starting at `sequence`, with the FIN when it
  /// reaches the end of a closed stream. The timestamps option, once negotiated, is already
  /// counted in the callers' limits (``effectiveSendMSS``). SACK blocks for data we are missing
  /// ride along, and then the segment carries that many bytes less (one MSS less all options at
  /// most, never a super-segment), so the packet still fits the path.
  func writeData(
    from sequence: SequenceNumber, limit: Int, into frame: inout [UInt8], at offset: Int,
    _ environment: inout TCPEnvironment
  ) -> Int? {
    let dataOffset = sequence - sendBufferSequence
    guard dataOffset >= 0 else { return nil }
    var options = acknowledgmentOptions()
    stampTimestamp(&options, at: environment.now)
    var limit = limit
    if !options.sackBlocks.isEmpty {
      limit = Swift.min(limit, sendMSS - options.encodedLength)
    }
    let available = Swift.max(sendBuffer.count - dataOffset, 0)
    let length = Swift.min(available, limit)
    let withFIN =
      finQueued && dataOffset + length == sendBuffer.count
      && sequence + length == finSequence
    guard length > 0 || withFIN else { return nil }
    var flags: TCPFlags = [.ack]
    if length > 0 && length == available { flags.insert(.psh) }
    if withFIN { flags.insert(.fin) }
    let header = TCPHeader(
      sourcePort: tuple.localPort, destinationPort: tuple.remotePort,
      sequenceNumber: sequence.rawValue, acknowledgmentNumber: receiveNext.rawValue,
      flags: flags, window: 0, options: options)
    let headerLength = header.headerLength
    if length > 0 {
      sendBuffer.copy(
        fromOffset: dataOffset, count: length, into: &frame, at: offset + headerLength)
    }
    let consumed = length + (withFIN ? 1 : 0)
    if length > 0 && sendMaximum < sequence + length { noteAnswerSent(environment) }
    noteSent(
      from: sequence, length: consumed, isRetransmission: sequence < sendMaximum, &environment)
    return finish(header, payloadLength: length, into: &frame, at: offset, &environment)
  }

  /// Sequence bookkeeping for a segment that occupies `length` sequence numbers: SND.NXT,
  /// SND.MAX, Karn's rule for RTT timing, and the retransmission timer.
  private func noteSent(
    from sequence: SequenceNumber, length: Int, isRetransmission: Bool,
    _ environment: inout TCPEnvironment
  ) {
    let end = sequence + length
    lastSentEnd = end
    if sackNegotiated && state.isSynchronized {
      recentACK.noteSent(start: sequence, end: end, sendMaximum: sendMaximum, at: environment.now)
    }
    // Nothing was outstanding: the user timeout's clock starts with this segment.
    if sendUnacknowledged == sendMaximum { unacknowledgedSince = environment.now }
    if sendNext < end { sendNext = end }
    let isNewData = sendMaximum < end
    if isNewData { sendMaximum = end }
    if state.isSynchronized {
      windowUse.lastSentAt = environment.now
      if isNewData { noteWindowUse() }
    }
    if isRetransmission {
      environment.counters.tcpRetransmissions += 1
      notePathMTURetransmission(from: sequence, to: end, &environment)
      rttTimedSequence = nil
      timestamps.lastRetransmissionValue = timestampClock(at: environment.now)
    } else if rttTimedSequence == nil {
      rttTimedSequence = end
      rttTimedAt = environment.now
    }
    if retransmitDeadline == nil {
      retransmitDeadline = environment.now + rto.current
    }
    if isNewData && tailLossProbe == nil { scheduleTailLossProbe(environment) }
    persistDeadline = nil
  }

  /// Fills in the window, emits the header and clears the pending-ACK state every segment
  /// satisfies.
  private func finish(
    _ header: TCPHeader, payloadLength: Int, into frame: inout [UInt8], at offset: Int,
    _ environment: inout TCPEnvironment
  ) -> Int {
    var header = header
    if !header.flags.contains(.rst) {
      // Segments with payload were stamped before it was placed (`writeData`).
      assert(payloadLength == 0 || !timestamps.negotiated || header.options.timestamp != nil)
      stampTimestamp(&header.options, at: environment.now)
      if header.flags.contains(.syn) {
        header.window = UInt16(clamping: receiveWindow)
        advertisedRightEdge = receiveNext + Int(header.window)
      } else {
        header.window = scaledWindowField(environment)
        let edge = receiveNext + (Int(header.window) << Int(receiveWindowShift))
        if advertisedRightEdge < edge { advertisedRightEdge = edge }
      }
    }
    if header.flags.contains(.ack) {
      timestamps.lastACKSent = SequenceNumber(header.acknowledgmentNumber)
      if !header.options.sackBlocks.isEmpty { duplicateSACK = nil }
      ackNow = false
      delayedACKDeadline = nil
      unacknowledgedSegments = 0
    }
    environment.counters.tcpSegmentsSent += 1
    let headerLength = header.emit(into: &frame, at: offset)
    return headerLength + payloadLength
  }

  /// The most payload one segment carries when the device segments TCP (TSO): that many
  /// whole segments of ``effectiveSendMSS`` as fit an IPv4 packet with a 60-byte TCP header.
  var superSegmentLimit: Int {
    let mss = effectiveSendMSS
    return Swift.max(mss, TCPConnection.maximumSuperSegmentPayload / mss * mss)
  }

  /// The payload of the largest IPv4 TCP packet with a full 60-byte header: 65,535 - 20 - 60.
  static let maximumSuperSegmentPayload = 65_535 - 20 - 60

  /// The persist timer's interval: the RTO, doubled per unanswered probe, at most 60 s.
  var persistInterval: Duration {
    let base = rto.current
    var interval = base
    for _ in 0..<persistBackoff where interval < .seconds(60) { interval = interval * 2 }
    return Swift.min(interval, .seconds(60))
  }
}
