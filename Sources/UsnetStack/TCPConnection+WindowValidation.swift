extension TCPConnection {
  /// Whether the congestion window limited what was sent lately, so an ACK may grow it (Linux's
  /// `tcp_is_cwnd_limited`, in the spirit of RFC 7661): in slow start while the window is less
  /// than twice the largest flight of this round trip or the last, in congestion avoidance when
  /// a send filled the window in either. An application that sends less than the window allows
  /// does not inflate it to a size the path never carried.
  var isCongestionWindowLimited: Bool {
    let window = congestion.congestionWindow
    if window < congestion.slowStartThreshold {
      return window < 2 * Swift.max(windowUse.flightHighWater, windowUse.previousFlightHighWater)
    }
    return windowUse.filledWindow || windowUse.previouslyFilledWindow
  }

  /// Bookkeeping after new data left: the flight's high-water mark, and whether it filled the
  /// congestion window.
  func noteWindowUse() {
    let flight = sendMaximum - sendUnacknowledged
    windowUse.flightHighWater = Swift.max(windowUse.flightHighWater, flight)
    if flight + effectiveSendMSS > congestion.congestionWindow { windowUse.filledWindow = true }
  }

  /// An ACK advanced SND.UNA to `ack`: a round trip of window use ends when it passes the SND.MAX
  /// of the round's start.
  func advanceWindowUseRound(acknowledging ack: SequenceNumber) {
    guard !(ack < windowUse.roundEnd) else { return }
    windowUse.previousFlightHighWater = windowUse.flightHighWater
    windowUse.previouslyFilledWindow = windowUse.filledWindow
    windowUse.flightHighWater = sendMaximum - sendUnacknowledged
    windowUse.filledWindow = false
    windowUse.roundEnd = sendMaximum
  }

  /// Slow-start restart (RFC 5681 §4.1, Linux `tcp_slow_start_after_idle`): new data after
  /// nothing was sent for longer than the RTO starts from at most the initial window.
  func restartAfterIdleIfNeeded(_ environment: TCPEnvironment) {
    guard environment.configuration.slowStartAfterIdle, sendUnacknowledged == sendMaximum,
      let last = windowUse.lastSentAt, environment.now - last > rto.current
    else { return }
    congestion.onRestartAfterIdle(
      restartWindow: environment.configuration.initialWindowSegments * effectiveSendMSS)
  }
}

/// How much of its congestion window a connection used lately.
struct CongestionWindowUse: Sendable {
  var flightHighWater = 0
  var previousFlightHighWater = 0
  var filledWindow = false
  var previouslyFilledWindow = false
  /// The round ends when an ACK reaches this.
  var roundEnd = SequenceNumber(0)
  /// When data last left.
  var lastSentAt: Instant?
}
