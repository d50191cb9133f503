/// The user timeout's one rule for every backend: whole milliseconds, as TCP_USER_TIMEOUT
/// takes them.
enum UserTimeout {
  /// `timeout` in whole milliseconds (0 for nil, meaning off); `invalidInput` for zero,
  /// negative or sub-millisecond durations and for more than `Int32.max` milliseconds.
  static func milliseconds(_ timeout: Duration?) throws(NetError) -> Int32 {
    guard let timeout else { return 0 }
    let (seconds, attoseconds) = timeout.components
    let total = seconds.multipliedReportingOverflow(by: 1000)
    let milliseconds = total.partialValue + attoseconds / 1_000_000_000_000_000
    guard !total.overflow, milliseconds >= 1, let value = Int32(exactly: milliseconds) else {
      throw NetError(
        .invalidInput,
        message: "user timeout \(timeout) (expected at least 1 ms and at most \(Int32.max) ms)")
    }
    return value
  }
}
