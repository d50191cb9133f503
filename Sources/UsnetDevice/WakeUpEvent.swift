// Unsafe sites in this file: none. Every C call takes and returns integers only.

import CUsnetDevice

/// An `eventfd` that wakes a thread sleeping in ``wait(forReadable:until:)``: one thread
/// waits on a device fd plus this event, any other thread calls ``signal()``.
///
/// Signals are counted by the kernel until ``wait(forReadable:until:)`` (or ``drain()``)
/// consumes them, so a signal sent before the wait starts is not lost.
///
/// **Threading:** `Sendable` and thread-safe: the fd never changes and is closed only when
/// the event is deinitialized, when no thread can be using it. **Blocking:** only
/// ``wait(forReadable:until:)`` blocks.
public final class WakeUpEvent: Sendable {
  /// What ``WakeUpEvent/wait(forReadable:until:)`` found ready.
  public struct Readiness: OptionSet, Hashable, Sendable {
    /// The raw bits.
    public var rawValue: UInt8

    /// Creates readiness from raw bits.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// The device fd is readable (or has an error that its next read reports).
    public static let device = Readiness(rawValue: 1)
    /// The event was signalled (the signal has been consumed).
    public static let signalled = Readiness(rawValue: 2)
  }

  /// The eventfd, for diagnostics.
  public let fileDescriptor: Int32

  /// Creates an eventfd (nonblocking, close-on-exec, counter 0).
  ///
  /// - Throws: ``DeviceError`` for `eventfd` (EMFILE, ENFILE, ENOMEM).
  public init() throws(DeviceError) {
    let opened = usnet_eventfd_open()
    guard opened >= 0 else { throw DeviceError(call: "eventfd", errno: -opened) }
    fileDescriptor = opened
  }

  deinit {
    _ = usnet_fd_close(fileDescriptor)
  }

  /// Makes the current or next ``wait(forReadable:until:)`` return. Never blocks; callable
  /// from any thread.
  ///
  /// - Throws: ``DeviceError`` for `write` on the eventfd (not expected once it is open).
  public func signal() throws(DeviceError) {
    let result = usnet_eventfd_signal(fileDescriptor)
    guard result == 0 else { throw DeviceError(call: "write(eventfd)", errno: -result) }
  }

  /// Consumes pending signals without waiting; returns whether there were any.
  ///
  /// - Throws: ``DeviceError`` for `read` on the eventfd.
  public func drain() throws(DeviceError) -> Bool {
    let result = usnet_eventfd_drain(fileDescriptor)
    guard result >= 0 else { throw DeviceError(call: "read(eventfd)", errno: -result) }
    return result == 1
  }

  /// Blocks in `ppoll` until `descriptor` is readable, the event is signalled, or `deadline`
  /// (on `ContinuousClock`; nil waits without one) passes, and returns what was ready (empty
  /// after the deadline or a signal handler). A signal is consumed.
  ///
  /// - Parameter descriptor: a device fd the caller keeps open during the wait, like
  ///   ``TAPDevice/fileDescriptor``.
  /// - Throws: ``DeviceError`` for `ppoll` (EBADF when either fd is closed) or for reading
  ///   the eventfd.
  public func wait(
    forReadable descriptor: Int32, until deadline: ContinuousClock.Instant?
  ) throws(DeviceError) -> Readiness {
    let timeout = PollTimeout.nanoseconds(until: deadline)
    let result = usnet_fd_wait_readable2(descriptor, fileDescriptor, timeout)
    guard result >= 0 else { throw DeviceError(call: "ppoll", errno: -result) }
    var readiness = Readiness(rawValue: UInt8(truncatingIfNeeded: result) & 1)
    if result & 2 != 0, try drain() { readiness.insert(.signalled) }
    return readiness
  }
}
