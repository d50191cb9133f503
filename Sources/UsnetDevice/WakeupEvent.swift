import CUsnetDevice

/// An eventfd(2) that one thread signals and another waits on next to other descriptors: how a
/// thread blocked in ``ReadinessWait`` on a kernel socket is woken by userspace events.
///
/// The counter is sticky: a ``signal()`` before the wait still makes the wait return, so a
/// wake-up is never lost between a check and the wait. ``drain()`` resets it.
///
/// **Threading:** `Sendable`; every method may be called from any thread (the kernel
/// serialises them). Nothing blocks. The descriptor is closed when the value is released.
public final class WakeupEvent: Sendable {
  /// The eventfd, for ``ReadinessWait``.
  public let descriptor: Int32

  /// Opens a nonblocking, close-on-exec eventfd.
  ///
  /// - Throws: ``DeviceError`` for `eventfd` (EMFILE when out of descriptors).
  public init() throws(DeviceError) {
    let result = usnet_eventfd_open()
    guard result >= 0 else { throw DeviceError(call: "eventfd", errno: -result) }
    descriptor = result
  }

  deinit {
    _ = usnet_fd_close(descriptor)
  }

  /// Makes the current or next wait on ``descriptor`` return. Never blocks; cannot fail on a
  /// valid eventfd (a saturated counter is already signalled).
  public func signal() {
    _ = usnet_eventfd_signal(descriptor)
  }

  /// Resets the counter; returns whether it had been signalled. Never blocks.
  @discardableResult
  public func drain() -> Bool {
    usnet_eventfd_drain(descriptor) == 1
  }
}
