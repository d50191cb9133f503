/// The user timeout (`TCP_USER_TIMEOUT`, RFC 5482's UTO as Linux applies it locally): how long
/// the connection may go without progress before it fails with `timedOut`, however many
/// retries remain.
///
/// Three clocks, each checked when its timer fires: data sent and not acknowledged since
/// ``unacknowledgedSince`` (checked at the retransmission timeout, whose next deadline is
/// clamped to the user timeout, like Linux's `tcp_clamp_rto_to_user_timeout`), a window
/// closed since the first zero-window probe (checked at the next probe, even if the peer
/// answers them: Linux since 5.11), and a quiet peer under keep-alive (where the user timeout
/// replaces the probe count, as in Linux's `tcp_keepalive_timer`).
extension TCPConnection {
  /// Whether data has waited for an acknowledgment longer than the user timeout at `now`.
  func userTimeoutExpired(at now: Instant) -> Bool {
    guard let limit = userTimeout, let since = unacknowledgedSince,
      sendUnacknowledged != sendMaximum
    else { return false }
    return now - since >= limit
  }

  /// Whether the window has stayed closed under probes longer than the user timeout.
  func zeroWindowUserTimeoutExpired(at now: Instant) -> Bool {
    guard let limit = userTimeout, let since = zeroWindowProbedSince else { return false }
    return now - since >= limit
  }

  /// Whether a peer probed by keep-alive has been quiet longer than the user timeout.
  func keepAliveUserTimeoutExpired(at now: Instant) -> Bool {
    guard let limit = userTimeout, keepAliveProbesSent > 0, let since = keepAliveQuietSince
    else { return false }
    return now - since >= limit
  }

  /// Fails the connection for its user timeout.
  func failUserTimeout(_ environment: inout TCPEnvironment) {
    environment.counters.tcpUserTimeouts += 1
    enterClosed(error: .timedOut(lastICMP: softError))
  }

  /// Moves the retransmission and persist deadlines no later than the moment the user
  /// timeout runs out, so the failure comes on time rather than one backed-off RTO late.
  func clampDeadlinesToUserTimeout() {
    guard let limit = userTimeout else { return }
    if let deadline = retransmitDeadline, let since = unacknowledgedSince,
      since + limit < deadline
    {
      retransmitDeadline = since + limit
    }
    if let deadline = persistDeadline, let since = zeroWindowProbedSince,
      since + limit < deadline
    {
      persistDeadline = since + limit
    }
  }
}
