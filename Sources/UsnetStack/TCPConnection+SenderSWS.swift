/// Sender-side silly window syndrome avoidance (RFC 9293 §3.8.6.2.1).
extension TCPConnection {
  /// How much of `length` new bytes to send when the usable window, not the queued data,
  /// limits the segment (more is queued than fits); `nil` to send nothing now.
  ///
  /// A segment of at least one full-sized segment is cut to whole segments, so a window
  /// that is not a multiple of the MSS leaves no runt behind a super-segment (Linux's
  /// `tcp_mss_split_point`). A smaller one goes only when it is at least half the largest
  /// window the peer has offered (Fs = 1/2), or when the persist timer ran out while it was
  /// held (the override timeout), which is started here when nothing is in flight to bring
  /// an ACK.
  func windowLimitedLength(_ length: Int, _ environment: TCPEnvironment) -> Int? {
    let mss = effectiveSendMSS
    if length >= mss { return length / mss * mss }
    if length > 0 && (smallSegmentOverride || 2 * length >= maximumSendWindow) {
      smallSegmentOverride = false
      return length
    }
    if sendNext == sendUnacknowledged && retransmitDeadline == nil && persistDeadline == nil {
      persistDeadline = environment.now + persistInterval
    }
    return nil
  }
}
