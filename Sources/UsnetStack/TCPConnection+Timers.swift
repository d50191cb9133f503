extension TCPConnection {
  /// Runs every timer of this connection that is due at `environment.now`.
  func fireTimers(_ environment: inout TCPEnvironment) {
    let now = environment.now
    if let deadline = timeWaitDeadline, deadline <= now {
      enterClosed()
      return
    }
    if let deadline = finWait2Deadline, deadline <= now {
      enterClosed()
      return
    }
    if let deadline = delayedACKDeadline, deadline <= now {
      delayedACKTimerFired()
    }
    // A probe due with the retransmission timer goes first and restarts it (RFC 8985 §7.2).
    if let deadline = tailLossProbeDeadline, deadline <= now {
      tailLossProbeDeadline = nil
      tailLossProbeFired(&environment)
    }
    if let deadline = retransmitDeadline, deadline <= now {
      if userTimeoutExpired(at: now) {
        failUserTimeout(&environment)
        return
      }
      detectPathMTUBlackHole(&environment)
      retransmissionTimeout(&environment)
      if state == .closed { return }
      clampDeadlinesToUserTimeout()
    }
    if let deadline = reorderDeadline, deadline <= now {
      reorderDeadline = nil
      reorderTimerFired(&environment)
    }
    if let deadline = keepAliveDeadline, deadline <= now {
      keepAliveTimerFired(&environment)
      if state == .closed { return }
    }
    if let deadline = persistDeadline, deadline <= now {
      if sendWindow > 0 {
        // Sender SWS avoidance held a small segment back: it goes now (the override).
        smallSegmentOverride = true
        persistDeadline = nil
      } else {
        if persistBackoff == 0 {
          zeroWindowProbedSince = now
        } else if zeroWindowUserTimeoutExpired(at: now) {
          failUserTimeout(&environment)
          return
        }
        windowProbePending = true
        persistBackoff += 1
        persistDeadline = now + persistInterval
        clampDeadlinesToUserTimeout()
      }
    }
  }

  /// RFC 6298 §5.4–5.6: retransmit from SND.UNA with a backed-off timer, or give up when the
  /// state's retry limit is spent.
  private func retransmissionTimeout(_ environment: inout TCPEnvironment) {
    retransmitDeadline = nil
    let configuration = environment.configuration
    let limit =
      switch state {
      case .synSent: configuration.synRetries
      case .synReceived: configuration.synAckRetries
      default: configuration.dataRetries
      }
    if retransmitCount >= limit {
      if state == .synReceived && isPassive {
        environment.counters.tcpHalfOpenExpired += 1
        enterClosed()
      } else {
        enterClosed(error: .timedOut(lastICMP: softError))
      }
      return
    }
    retransmitCount += 1
    // A second timeout in a row: the peer may have reneged on what it SACKed (RFC 2018 §8),
    // so everything from SND.UNA goes out again.
    if retransmitCount > 1 { scoreboard.removeAll() }
    environment.counters.tcpTimeouts += 1
    rto.backOff()
    noteTimeoutForSpuriousCheck(environment)
    if state.isSynchronized {
      congestion.onRetransmissionTimeout(
        flightSize: sendMaximum - sendUnacknowledged, maximumSegmentSize: effectiveSendMSS)
    }
    lossRecovery.onRetransmissionTimeout(sendMaximum: sendMaximum)
    tailLossProbeDeadline = nil
    tailLossProbe = nil
    tailLossProbePending = false
    reorderDeadline = nil
    limitedTransmitAllowance = 0
    rttTimedSequence = nil
    // A window closed with data in flight: the first segment goes out anyway, as a probe that
    // makes the peer report its window (RFC 9293 §3.8.6.1; Linux does the same).
    retransmitFirstPending = sendWindow == 0 && state.isSynchronized
    sendNext = sendUnacknowledged
    retransmitDeadline = environment.now + rto.current
  }

  /// A keep-alive probe is due: give up after the configured number of unanswered probes,
  /// otherwise send one (an ACK for SND.UNA - 1, which the peer must answer) and wait the
  /// interval.
  private func keepAliveTimerFired(_ environment: inout TCPEnvironment) {
    let configuration = environment.configuration
    guard keepAlive, state.isSynchronized, state != .timeWait else {
      keepAliveDeadline = nil
      return
    }
    if userTimeout != nil {
      if keepAliveUserTimeoutExpired(at: environment.now) {
        failUserTimeout(&environment)
        return
      }
    } else if keepAliveProbesSent >= configuration.keepAliveProbes {
      enterClosed(error: .timedOut(lastICMP: softError))
      return
    }
    keepAliveProbesSent += 1
    windowProbePending = true
    keepAliveDeadline = environment.now + configuration.keepAliveInterval
  }

  /// Restarts the keep-alive idle period: the peer was heard from, or keep-alive was turned on.
  func restartKeepAlive(_ environment: TCPEnvironment) {
    keepAliveProbesSent = 0
    keepAliveQuietSince = environment.now
    keepAliveDeadline =
      keepAlive && state.isSynchronized && state != .timeWait
      ? environment.now + environment.configuration.keepAliveIdle : nil
  }
}
