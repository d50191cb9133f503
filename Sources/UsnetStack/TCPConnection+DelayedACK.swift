/// When received data is acknowledged: delayed ACKs (RFC 9293 §3.8.6.3, RFC 5681 §4.2) with
/// Linux's quick-ACK and ping-pong (interactive) modes.
struct DelayedACKState {
  /// Segments of data still to be acknowledged at once (Linux's `icsk_ack.quick`).
  var quickACKsRemaining = 0
  /// We answered data with data soon after it arrived (Linux's ping-pong mode): ACKs are
  /// delayed to ride on the answer, quick-ACK mode notwithstanding.
  var interactive = false
  /// When in-order data last arrived; `nil` before the first.
  var lastDataReceivedAt: Instant?
}

extension TCPConnection {
  /// Schedules the ACK for `segmentLength` bytes of in-order data that just arrived: at once
  /// in quick-ACK mode (the first ``TCPConfiguration/quickACKs`` segments, and again after an
  /// idle time longer than the RTO) unless the connection is interactive, at once for every
  /// second segment (a coalesced segment counts as the full-sized segments it stands for),
  /// otherwise within the delayed-ACK timeout.
  func scheduleACK(segmentLength: Int, _ environment: TCPEnvironment) {
    let now = environment.now
    let segment = Swift.max(receiveMSS(environment), 1)
    let segments = Swift.max(1, segmentLength / segment)
    let idle = delayedACK.lastDataReceivedAt.map { now - $0 > rto.current } ?? true
    if idle { enterQuickACKMode(environment) }
    delayedACK.lastDataReceivedAt = now
    unacknowledgedSegments += segments
    if delayedACK.quickACKsRemaining > 0 && !delayedACK.interactive {
      delayedACK.quickACKsRemaining = Swift.max(delayedACK.quickACKsRemaining - segments, 0)
      ackNow = true
      return
    }
    guard let delay = environment.configuration.delayedACKTimeout,
      unacknowledgedSegments < 2
    else {
      ackNow = true
      return
    }
    if delayedACKDeadline == nil { delayedACKDeadline = now + delay }
  }

  /// Quick-ACK mode (Linux `tcp_incr_quickack`): the next segments are acknowledged at once,
  /// as many as configured and at most the receive window over two segments.
  func enterQuickACKMode(_ environment: TCPEnvironment) {
    let perWindow = receiveWindow / (2 * Swift.max(receiveMSS(environment), 1))
    let quick = Swift.min(environment.configuration.quickACKs, Swift.max(perWindow, 1))
    delayedACK.quickACKsRemaining = Swift.max(delayedACK.quickACKsRemaining, quick)
  }

  /// New data goes out: if data arrived less than a delayed-ACK timeout ago, this answers it,
  /// and the connection counts as interactive (Linux `tcp_event_data_sent`).
  func noteAnswerSent(_ environment: TCPEnvironment) {
    guard let received = delayedACK.lastDataReceivedAt,
      let delay = environment.configuration.delayedACKTimeout,
      environment.now - received < delay
    else { return }
    delayedACK.interactive = true
  }

  /// The delayed-ACK timer ran out: the ACK goes out alone, and a connection that waited to
  /// piggyback it is no longer taken for interactive (Linux leaves ping-pong mode).
  func delayedACKTimerFired() {
    delayedACKDeadline = nil
    ackNow = true
    delayedACK.interactive = false
  }
}
