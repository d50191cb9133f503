import CUsnetDevice

/// ppoll(2) on two descriptors at once: a kernel socket and a ``WakeupEvent``, so a thread can
/// sleep until either the kernel or the userspace side has something for it.
public enum ReadinessWait {
  /// Which of the two descriptors became readable.
  public struct Readiness: Hashable, Sendable {
    /// The first descriptor is readable (or in an error state the next call reports).
    public var first: Bool
    /// The second descriptor is readable (or in an error state).
    public var second: Bool
  }

  /// Waits until `first` or `second` is readable or `timeout` passes (nil waits without a
  /// limit). Blocks the calling thread. May return with neither ready (a timeout, or a
  /// signal), so callers loop on their own deadline.
  ///
  /// - Throws: ``DeviceError`` for `ppoll` (EBADF for a closed descriptor).
  public static func waitReadable(
    _ first: Int32, _ second: Int32, timeout: Duration?
  ) throws(DeviceError) -> Readiness {
    var nanoseconds: Int64 = -1
    if let timeout {
      let (seconds, attoseconds) = timeout.components
      if seconds < 0 || attoseconds < 0 {
        nanoseconds = 0
      } else if seconds >= Int64.max / 1_000_000_000 {
        nanoseconds = .max
      } else {
        nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
      }
    }
    let result = usnet_fds_wait_readable(first, second, nanoseconds)
    guard result >= 0 else { throw DeviceError(call: "ppoll", errno: -result) }
    return Readiness(first: result & 1 != 0, second: result & 2 != 0)
  }
}
