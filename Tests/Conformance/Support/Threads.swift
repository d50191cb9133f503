import Dispatch
import Foundation
import Synchronization
import Testing

/// How long a test waits for a thread or a message before it gives up and fails (instead of
/// hanging the whole run).
let conformanceWaitLimit: Duration = .seconds(30)

/// The result of a thread started with ``spawn(_:)``: `join()` waits for it and rethrows
/// what the thread threw (Rust's `JoinHandle`).
final class JoinHandle<T: Sendable>: Sendable {
  private let result = Mutex<Result<T, any Error>?>(nil)
  private let finished = DispatchSemaphore(value: 0)

  fileprivate func finish(_ outcome: Result<T, any Error>) {
    result.withLock { $0 = outcome }
    finished.signal()
  }

  /// Waits for the thread (at most ``conformanceWaitLimit``) and returns its value.
  @discardableResult
  func join(
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> T {
    guard finished.wait(timeout: .now() + conformanceWaitLimit.dispatchInterval) == .success
    else {
      throw ConformanceFailure("thread did not finish in \(conformanceWaitLimit)", sourceLocation)
    }
    finished.signal()
    guard let outcome = result.withLock({ $0 }) else {
      throw ConformanceFailure("thread finished without a result", sourceLocation)
    }
    return try outcome.get()
  }
}

/// Runs `body` on a new OS thread (blocking socket calls must not run on Swift concurrency's
/// cooperative pool).
@discardableResult
func spawn<T: Sendable>(_ body: @escaping @Sendable () throws -> T) -> JoinHandle<T> {
  let handle = JoinHandle<T>()
  let thread = Thread {
    handle.finish(Result { try body() })
  }
  thread.stackSize = 1 << 20
  thread.start()
  return handle
}

/// Runs a test body on its own OS thread and waits for it without blocking a cooperative
/// thread. A body that does not finish within `limit` fails the test (the thread is left
/// behind, blocked).
func onThread(
  limit: Duration = .seconds(120), sourceLocation: SourceLocation = #_sourceLocation,
  _ body: @escaping @Sendable () throws -> Void
) async throws {
  let handle = spawn(body)
  let done = Mutex(false)
  try await withCheckedThrowingContinuation {
    (continuation: CheckedContinuation<Void, any Error>) in
    let resume: @Sendable (Result<Void, any Error>) -> Void = { outcome in
      let first = done.withLock { finished in
        defer { finished = true }
        return !finished
      }
      if first { continuation.resume(with: outcome) }
    }
    Thread {
      resume(Result { try handle.join() })
    }.start()
    DispatchQueue.global().asyncAfter(deadline: .now() + limit.dispatchInterval) {
      resume(.failure(ConformanceFailure("test body did not finish in \(limit)", sourceLocation)))
    }
  }
}

/// A multi-producer, single- or multi-consumer queue (Rust's `mpsc::channel`), with a bounded
/// wait so a lost message fails the test instead of hanging it.
final class Channel<T: Sendable>: Sendable {
  private let items = Mutex<[T]>([])
  private let available = DispatchSemaphore(value: 0)

  func send(_ item: T) {
    items.withLock { $0.append(item) }
    available.signal()
  }

  /// The oldest message; waits up to ``conformanceWaitLimit``.
  @discardableResult
  func receive(sourceLocation: SourceLocation = #_sourceLocation) throws -> T {
    guard available.wait(timeout: .now() + conformanceWaitLimit.dispatchInterval) == .success
    else {
      throw ConformanceFailure("no message in \(conformanceWaitLimit)", sourceLocation)
    }
    return items.withLock { $0.removeFirst() }
  }
}

extension Duration {
  /// The duration as a Dispatch interval (nanoseconds, saturating).
  var dispatchInterval: DispatchTimeInterval {
    let (seconds, attoseconds) = components
    let nanos = seconds.multipliedReportingOverflow(by: 1_000_000_000)
    if nanos.overflow || nanos.partialValue > Int64(Int.max / 2) { return .never }
    return .nanoseconds(Int(nanos.partialValue + attoseconds / 1_000_000_000))
  }
}

/// Sleeps the calling OS thread.
func sleepThread(_ duration: Duration) {
  Thread.sleep(
    forTimeInterval: Double(duration.components.seconds)
      + Double(duration.components.attoseconds) / 1e18)
}
