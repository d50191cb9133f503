import Dispatch
import Synchronization

/// Runs independent jobs (simulated transfers) on up to `jobs` threads at once.
enum ParallelRuns {
  /// Calls `body` for every index in `0..<count`, `jobs` at a time, and returns the results in
  /// index order. `progress` sees each result as it is made, on the thread that made it.
  /// Blocks the calling thread until every job is done.
  static func map<Result: Sendable>(
    count: Int, jobs: Int, _ body: @Sendable (Int) -> Result,
    progress: @Sendable (Result) -> Void
  ) -> [Result] {
    let results = Mutex<[Result?]>(Array(repeating: nil, count: count))
    let next = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: Swift.max(1, Swift.min(jobs, count))) { _ in
      while true {
        let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
        guard index < count else { return }
        let result = body(index)
        results.withLock { $0[index] = result }
        progress(result)
      }
    }
    return results.withLock { $0.compactMap { $0 } }
  }
}
