import Foundation
import Synchronization

/// An OS thread running a throwing closure, for tests whose peers must block at the same time
/// (never Swift concurrency's cooperative pool). ``join()`` waits and rethrows the error.
final class TestThread: Sendable {
  private let finished = DispatchSemaphore(value: 0)
  private let failure = Mutex<(any Error)?>(nil)

  /// Starts `body` on a new thread.
  init(_ body: @escaping @Sendable () throws -> Void) {
    let thread = Thread { [self] in
      do {
        try body()
      } catch {
        failure.withLock { $0 = error }
      }
      finished.signal()
    }
    thread.start()
  }

  /// Waits for the thread and rethrows what its closure threw.
  func join() throws {
    finished.wait()
    if let error = failure.withLock({ $0 }) { throw error }
  }

  /// Waits at most `seconds`; true when the thread finished (its error is not rethrown).
  func finishes(within seconds: Double) -> Bool {
    let result = finished.wait(timeout: .now() + seconds)
    if result == .success {
      finished.signal()
      return true
    }
    return false
  }
}

/// A thread-safe one-shot box, to hand a value out of a ``TestThread``.
final class TestBox<Value: Sendable>: Sendable {
  private let storage = Mutex<Value?>(nil)

  init() {}

  /// The value stored, if any.
  var value: Value? { storage.withLock { $0 } }

  /// Stores `value`.
  func set(_ value: Value) { storage.withLock { $0 = value } }
}

/// Sleeps the calling thread.
func sleepMilliseconds(_ milliseconds: Int) {
  Thread.sleep(forTimeInterval: Double(milliseconds) / 1000)
}

/// Monotonic time in seconds, for timeout measurements.
func monotonicSeconds() -> Double {
  Double(DispatchTime.now().uptimeNanoseconds) / 1e9
}
