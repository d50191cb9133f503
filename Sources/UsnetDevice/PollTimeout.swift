import CUsnetDevice

/// Converts waits into the nanosecond timeouts the C shim's `ppoll` wrappers take.
enum PollTimeout {
  /// `timeout` in nanoseconds; -1 (forever) for a negative duration, clamped to `Int64.max`.
  static func nanoseconds(_ timeout: Duration) -> Int64 {
    let (seconds, attoseconds) = timeout.components
    if seconds < 0 || attoseconds < 0 { return -1 }
    if seconds >= Int64.max / 1_000_000_000 { return .max }
    return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
  }

  /// The nanoseconds left until `deadline` (0 once it passed), or -1 (forever) for nil.
  static func nanoseconds(until deadline: ContinuousClock.Instant?) -> Int64 {
    guard let deadline else { return -1 }
    let remaining = deadline - ContinuousClock.now
    return remaining <= .zero ? 0 : nanoseconds(remaining)
  }

  /// ppoll(2) for POLLIN on `descriptor` for at most `timeout` (negative: forever); whether it
  /// is readable (error conditions count, so the next read reports them). May return `false`
  /// early (a signal).
  ///
  /// - Throws: ``DeviceError`` for `ppoll` (EBADF for a closed descriptor).
  static func waitReadable(_ descriptor: Int32, timeout: Duration) throws(DeviceError) -> Bool {
    let result = usnet_fd_wait_readable(descriptor, nanoseconds(timeout))
    guard result >= 0 else { throw DeviceError(call: "ppoll", errno: -result) }
    return result == 1
  }
}
