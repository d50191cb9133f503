import Foundation
import Synchronization
import UsnetDevice

/// The wake-up point of one socket: threads blocked on the socket sleep here, and the runtime
/// wakes exactly the waiters of the sockets the stack reported in its socket events.
///
/// A waiter counts notifications (an epoch). A blocked call reads the epoch under the runtime
/// lock together with the socket state it found wanting, then sleeps until the epoch moves, so
/// a notification that lands between the check and the sleep is never lost.
///
/// Threading: thread-safe; `notify` and `wait` may be called from any thread.
final class SocketWaiter: Sendable {
  private let epoch = Mutex<UInt64>(0)
  private let condition = NSCondition()
  private let events = Mutex<[ObjectIdentifier: WakeUpEvent]>([:])
  /// How many events are registered, so a wake-up with none (nearly always) takes no lock.
  private let eventCount = Atomic<Int>(0)

  /// Creates a waiter with epoch 0.
  init() {}

  /// The number of notifications so far.
  var currentEpoch: UInt64 { epoch.withLock { $0 } }

  /// Bumps the epoch and wakes every thread sleeping on this socket.
  func notify() {
    advance()
    wakeSleepers()
  }

  /// Bumps the epoch without waking anyone: the runtime does this under its lock for every
  /// socket the stack reported, so a thread that checks the epoch under that lock afterwards
  /// sees the change, and calls ``wakeSleepers()`` after unlocking.
  func advance() {
    epoch.withLock { $0 &+= 1 }
  }

  /// Wakes every thread sleeping in ``wait(whileEpochIs:until:)`` so it rechecks the epoch,
  /// and signals the wake-up event of every thread in ``withWakeUpEvent(_:)``.
  func wakeSleepers() {
    condition.lock()
    condition.broadcast()
    condition.unlock()
    // A thread registers its event before it rechecks the epoch, and the epoch moved before
    // this call, so reading zero here means that thread will see the new epoch.
    guard eventCount.load(ordering: .sequentiallyConsistent) > 0 else { return }
    events.withLock { events in
      for event in events.values { try? event.signal() }
    }
  }

  /// Sleeps until the epoch differs from `observed` or `deadline` passes; returns `false` when
  /// the deadline passed first. Blocks the calling thread.
  func wait(whileEpochIs observed: UInt64, until deadline: ContinuousClock.Instant?) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    while epoch.withLock({ $0 }) == observed {
      guard let deadline else {
        condition.wait()
        continue
      }
      let remaining = deadline - ContinuousClock.now
      guard remaining > .zero else { return false }
      _ = condition.wait(until: Date(timeIntervalSinceNow: remaining.conditionWaitSeconds))
    }
    return true
  }

  /// Runs `body` with an eventfd of the calling thread's own that ``wakeSleepers()`` signals
  /// until `body` returns: for a blocked call that waits in `ppoll` on a kernel descriptor too
  /// (the kernel loopback twin). Each thread gets its own event, so one thread draining it
  /// never swallows another's wake-up; check the epoch inside `body`, before waiting.
  ///
  /// - Throws: `eventfd`'s error (out of descriptors), or what `body` throws.
  func withWakeUpEvent<R>(_ body: (WakeUpEvent) throws(NetError) -> R) throws(NetError) -> R {
    let event: WakeUpEvent
    do throws(DeviceError) {
      event = try WakeUpEvent()
    } catch {
      throw NetError(error)
    }
    let key = ObjectIdentifier(event)
    events.withLock { $0[key] = event }
    eventCount.add(1, ordering: .sequentiallyConsistent)
    defer {
      eventCount.subtract(1, ordering: .sequentiallyConsistent)
      events.withLock { $0[key] = nil }
    }
    return try body(event)
  }
}

extension Duration {
  /// The duration in seconds as a `Double`.
  var conditionWaitSeconds: Double {
    let (whole, attoseconds) = components
    return Double(whole) + Double(attoseconds) / 1e18
  }
}
