extension TCPConnection {
  /// A retransmission timeout is about to reduce the window: with timestamps, remember the
  /// window, the threshold and the TSval the retransmission carries, so the first ACK after it
  /// can tell whether the timeout was needless (Eifel detection, RFC 3522). Only the first
  /// timeout of a series is checked.
  func noteTimeoutForSpuriousCheck(_ environment: TCPEnvironment) {
    guard timestamps.negotiated, state.isSynchronized, retransmitCount == 1 else {
      spuriousTimeoutCheck = nil
      return
    }
    spuriousTimeoutCheck = (
      timestampClock(at: environment.now), congestion.congestionWindow,
      congestion.slowStartThreshold
    )
  }

  /// The first ACK that advances SND.UNA after a timeout: if it echoes a TSval older than the
  /// retransmission's, it acknowledges the original, which was only late. Then the timeout's
  /// reduction is undone, the data still in flight is not sent again (RFC 4015: SND.NXT goes
  /// back to SND.MAX), and loss recovery may start again from here.
  func checkSpuriousTimeout(echoReply: UInt32?, _ environment: inout TCPEnvironment) {
    guard let check = spuriousTimeoutCheck else { return }
    spuriousTimeoutCheck = nil
    guard let echo = echoReply, echo != 0,
      Int32(bitPattern: echo &- check.retransmittedAt) < 0
    else { return }
    congestion.undoReduction(window: check.window, threshold: check.threshold)
    if sendNext < sendMaximum { sendNext = sendMaximum }
    lossRecovery.allowRecovery(from: sendUnacknowledged)
    environment.counters.tcpSpuriousTimeoutsUndone += 1
  }
}
