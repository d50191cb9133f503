/// Deadlines of blocking calls on the monotonic clock.
enum Deadline {
  /// Timeouts this long or longer never expire (about 34,000 years); it keeps deadline
  /// arithmetic far from overflow, so `Duration` values near the maximum are safe.
  static let forever = Duration.seconds(Int64(1) << 40)

  /// The instant `timeout` from now, or nil for no timeout (nil, or one beyond ``forever``).
  static func after(_ timeout: Duration?) -> ContinuousClock.Instant? {
    guard let timeout, timeout < forever else { return nil }
    return ContinuousClock.now + Swift.max(timeout, .zero)
  }
}
