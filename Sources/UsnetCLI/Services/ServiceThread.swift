import Foundation
import Synchronization

/// An OS thread running one closure, joinable for its result. Services block in socket calls,
/// so they run on their own threads, never on Swift concurrency's cooperative pool.
///
/// Threading: thread-safe; ``join()`` may be called from any thread, any number of times.
public final class ServiceThread<Value: Sendable>: Sendable {
  private let result = Mutex<Value?>(nil)
  private let done = DispatchSemaphore(value: 0)

  /// Starts `body` on a new thread named `name`. Does not block.
  public init(name: String, _ body: @escaping @Sendable () -> Value) {
    let thread = Thread { [self] in
      let value = body()
      result.withLock { $0 = value }
      done.signal()
    }
    thread.name = name
    thread.start()
  }

  /// Waits for the closure to return and gives its value. Blocks the calling thread.
  public func join() -> Value {
    while true {
      if let value = join(timeout: .seconds(3600)) { return value }
    }
  }

  /// Waits at most `timeout` for the closure; its value, or nil when it is still running.
  /// Blocks the calling thread up to `timeout`.
  public func join(timeout: Duration) -> Value? {
    let (seconds, attoseconds) = timeout.components
    let wait = Double(seconds) + Double(attoseconds) / 1e18
    guard done.wait(timeout: .now() + wait) == .success else { return nil }
    done.signal()
    return result.withLock { $0 }
  }
}
