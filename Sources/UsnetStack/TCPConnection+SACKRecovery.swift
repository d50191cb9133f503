import UsnetWire

extension TCPConnection {
  /// Adds the valid blocks of a received ACK to the scoreboard and returns the bytes they
  /// newly SACKed. A first block below the cumulative ACK, or inside the second block, is a
  /// D-SACK (RFC 2883 §4) and only counted; blocks that are empty, wholly acknowledged or
  /// beyond SND.MAX are ignored and counted.
  func takeSACKBlocks(
    _ blocks: SACKBlockList, ack: SequenceNumber, _ environment: inout TCPEnvironment
  ) -> Int {
    var newlySACKed = 0
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
          continue
        }
      }
      guard start < end, ack < end, !(sendMaximum < end) else {
        environment.counters.tcpInvalidSACKBlocks += 1
        continue
      }
      newlySACKed += scoreboard.add(start: SequenceNumber.max(start, ack), end: end)
    }
    return newlySACKed
  }

  /// The next segment of a SACK-based recovery episode, RFC 6675's NextSeg within PRR's
  /// quota: (1) the first hole deemed lost above HighRxt, (2) new data, (3) any hole below
  /// the highest SACKed byte, (4) once per episode, a rescue retransmission of the last
  /// outstanding segment. A segment goes out only while the quota holds a whole MSS
  /// (RFC 6675's `cwnd - pipe >= 1 SMSS` with PRR's `cwnd = pipe + sndcnt`). `nil` when the
  /// quota is spent or nothing qualifies.
  func writeRecoverySegment(
    into frame: inout [UInt8], at offset: Int, _ environment: inout TCPEnvironment
  ) -> Int? {
    guard lossRecovery.sendQuota >= sendMSS else { return nil }
    let mss = sendMSS
    let from = SequenceNumber.max(lossRecovery.highestRetransmitted, sendUnacknowledged)
    // Rule 1.
    if let boundary = scoreboard.lossBoundary(
      duplicateThreshold: LossRecovery.duplicateThreshold, maximumSegmentSize: mss),
      let hole = scoreboard.firstHole(from: from, below: boundary)
    {
      return retransmitHole(hole, into: &frame, at: offset, &environment)
    }
    // Rule 2.
    if let length = writeNewDataInRecovery(into: &frame, at: offset, &environment) {
      return length
    }
    // Rule 3.
    if let highest = scoreboard.highestSACKed,
      let hole = scoreboard.firstHole(from: from, below: highest)
    {
      return retransmitHole(hole, into: &frame, at: offset, &environment)
    }
    // Rule 4.
    if let highest = scoreboard.highestSACKed, highest < sendMaximum,
      lossRecovery.rescueRetransmitted.map({ $0 < sendUnacknowledged }) ?? true
    {
      let start = SequenceNumber.max(sendMaximum - mss, highest)
      if let length = writeData(
        from: start, limit: sendMaximum - start, into: &frame, at: offset, &environment)
      {
        lossRecovery.noteRescueRetransmission()
        lossRecovery.noteSentInRecovery(bytes: lastSentEnd - start, retransmittedEnd: nil)
        return length
      }
    }
    return nil
  }

  private func retransmitHole(
    _ hole: (start: SequenceNumber, length: Int), into frame: inout [UInt8], at offset: Int,
    _ environment: inout TCPEnvironment
  ) -> Int? {
    guard
      let length = writeData(
        from: hole.start, limit: Swift.min(hole.length, sendMSS), into: &frame, at: offset,
        &environment)
    else { return nil }
    lossRecovery.noteSentInRecovery(
      bytes: lastSentEnd - hole.start, retransmittedEnd: lastSentEnd)
    return length
  }

  /// New data during recovery: as much as one MSS, the quota and the peer's window allow.
  private func writeNewDataInRecovery(
    into frame: inout [UInt8], at offset: Int, _ environment: inout TCPEnvironment
  ) -> Int? {
    guard sendNext == sendMaximum else { return nil }
    let available = sendBuffer.count - (sendNext - sendBufferSequence)
    let finToSend = finQueued && sendNext == finSequence
    let windowRoom = sendWindow - (sendNext - sendUnacknowledged)
    guard (available > 0 && windowRoom > 0) || finToSend else { return nil }
    let start = sendNext
    guard
      let length = writeData(
        from: start, limit: Swift.min(available, sendMSS, Swift.max(windowRoom, 0)),
        into: &frame, at: offset, &environment)
    else { return nil }
    lossRecovery.noteSentInRecovery(bytes: lastSentEnd - start, retransmittedEnd: nil)
    return length
  }
}
