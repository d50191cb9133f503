/// The window we advertise: receiver-side silly window syndrome avoidance (RFC 9293
/// §3.8.6.2.2) and the window update after the application reads.
extension TCPConnection {
  /// The payload of a full-sized segment the peer sends us: our MSS (the interface's), less
  /// the timestamps option when negotiated (Linux's `advmss` and `rcv_mss`).
  func receiveMSS(_ environment: TCPEnvironment) -> Int {
    let mss = environment.interfaceMSS
    return timestamps.negotiated ? mss - TCPTimestampState.optionLength : mss
  }

  /// The window (from RCV.NXT) to advertise in a segment that is not a SYN, with receiver SWS
  /// avoidance as Linux's `__tcp_select_window` does it. Without window scaling (windows of
  /// at most 64 KiB), RFC 9293's rule: the right edge moves right only when the free buffer
  /// exceeds what is already offered by at least min(half the buffer, one segment). With
  /// scaling, a small window is what is silly, not a small step of a large one: free space
  /// below both half the buffer and one segment is not offered, otherwise all of it is. Either
  /// way the edge never moves left (RFC 7323 §2.4): what is left of the last offer stands.
  func windowToAdvertise(_ environment: TCPEnvironment) -> Int {
    let free = receiveWindow
    let offered = Swift.max(advertisedRightEdge - receiveNext, 0)
    let segment = receiveMSS(environment)
    if receiveWindowShift > 0 {
      if free < receiveBuffer.capacity / 2 && free < segment { return offered }
      return Swift.max(free, offered)
    }
    let step = Swift.min(receiveBuffer.capacity / 2, segment)
    return free >= offered + step ? free : offered
  }

  /// The window field for a non-SYN segment: ``windowToAdvertise(_:)`` scaled down, rounded up
  /// instead only where rounding down would move the right edge left.
  func scaledWindowField(_ environment: TCPEnvironment) -> UInt16 {
    let window = windowToAdvertise(environment)
    let shift = Int(receiveWindowShift)
    var scaled = window >> shift
    if receiveNext + (scaled << shift) < advertisedRightEdge {
      scaled = (window + (1 << shift) - 1) >> shift
    }
    return UInt16(Swift.min(scaled, 65535))
  }

  /// After the application read, announce the window if it grew enough to matter (at least
  /// half the buffer or two segments beyond what the peer last saw; a segment's payload, as
  /// Linux's `rcv_mss`, excludes the timestamps option). The growth counts what receiver SWS
  /// avoidance lets us advertise, so no update goes out that would not move the edge.
  func noteWindowOpened(_ environment: TCPEnvironment) {
    guard state.acceptsData else { return }
    let growth = windowToAdvertise(environment) - (advertisedRightEdge - receiveNext)
    if growth >= Swift.min(receiveBuffer.capacity / 2, 2 * effectiveSendMSS) { ackNow = true }
  }
}
