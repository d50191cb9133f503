import Testing

@testable import UsnetStack

@Suite struct TimerQueueTests {
  /// Pops every timer expired at `now`, in order.
  static func drain(_ queue: inout TimerQueue<Int>, at now: Instant) -> [Int] {
    var fired: [Int] = []
    while let id = queue.popExpired(at: now) {
      fired.append(id)
    }
    return fired
  }

  @Test func emptyQueue() {
    var queue = TimerQueue<Int>()
    #expect(queue.isEmpty)
    #expect(queue.count == 0)
    #expect(queue.nextDeadline == nil)
    #expect(queue.popExpired(at: .distantFuture) == nil)
    queue.cancel(3)
    #expect(queue.deadline(of: 3) == nil)
  }

  @Test func expiresInDeadlineOrder() {
    var queue = TimerQueue<Int>()
    queue.schedule(3, at: .milliseconds(30))
    queue.schedule(1, at: .milliseconds(10))
    queue.schedule(2, at: .milliseconds(20))
    #expect(queue.count == 3)
    #expect(queue.nextDeadline == .milliseconds(10))
    #expect(queue.popExpired(at: .milliseconds(9)) == nil)
    #expect(Self.drain(&queue, at: .milliseconds(20)) == [1, 2])
    #expect(queue.nextDeadline == .milliseconds(30))
    #expect(queue.count == 1)
    #expect(Self.drain(&queue, at: .seconds(1)) == [3])
    #expect(queue.nextDeadline == nil)
    #expect(queue.isEmpty)
  }

  @Test func equalDeadlinesExpireInSchedulingOrder() {
    var queue = TimerQueue<String>()
    for name in ["c", "a", "d", "b"] {
      queue.schedule(name, at: .seconds(1))
    }
    var fired: [String] = []
    while let id = queue.popExpired(at: .seconds(1)) {
      fired.append(id)
    }
    #expect(fired == ["c", "a", "d", "b"])
  }

  @Test func rescheduleReplacesThePendingDeadline() {
    var queue = TimerQueue<Int>()
    queue.schedule(1, at: .milliseconds(10))
    queue.schedule(2, at: .milliseconds(20))
    queue.schedule(1, at: .milliseconds(30))
    #expect(queue.count == 2)
    #expect(queue.deadline(of: 1) == .milliseconds(30))
    // The stale entry for 1 at 10 ms was the top: it must not be reported.
    #expect(queue.nextDeadline == .milliseconds(20))
    #expect(Self.drain(&queue, at: .milliseconds(25)) == [2])
    #expect(Self.drain(&queue, at: .milliseconds(30)) == [1])
    #expect(queue.isEmpty)

    // Moving a deadline earlier works too.
    queue.schedule(5, at: .seconds(5))
    queue.schedule(6, at: .seconds(3))
    queue.schedule(5, at: .seconds(1))
    #expect(queue.nextDeadline == .seconds(1))
    #expect(Self.drain(&queue, at: .seconds(10)) == [5, 6])
  }

  @Test func cancelRemovesAndKeepsTopValid() {
    var queue = TimerQueue<Int>()
    queue.schedule(1, at: .milliseconds(10))
    queue.schedule(2, at: .milliseconds(20))
    queue.schedule(3, at: .milliseconds(30))
    queue.cancel(1)
    #expect(queue.deadline(of: 1) == nil)
    #expect(queue.count == 2)
    #expect(queue.nextDeadline == .milliseconds(20))
    queue.cancel(2)
    #expect(queue.nextDeadline == .milliseconds(30))
    queue.cancel(3)
    #expect(queue.nextDeadline == nil)
    #expect(queue.storedEntryCount == 0)
    #expect(queue.popExpired(at: .distantFuture) == nil)
  }

  @Test func staleEntriesNeverFire() {
    var queue = TimerQueue<Int>()
    queue.schedule(1, at: .milliseconds(10))
    queue.schedule(2, at: .milliseconds(50))
    queue.cancel(1)
    queue.schedule(1, at: .milliseconds(40))
    queue.schedule(3, at: .milliseconds(5))
    queue.cancel(3)
    #expect(Self.drain(&queue, at: .milliseconds(39)) == [])
    #expect(Self.drain(&queue, at: .milliseconds(60)) == [1, 2])
    // Re-adding after expiry schedules afresh.
    queue.schedule(1, at: .milliseconds(70))
    #expect(queue.deadline(of: 1) == .milliseconds(70))
    #expect(Self.drain(&queue, at: .milliseconds(70)) == [1])
  }

  @Test func rescheduledTimersDoNotGrowTheHeapWithoutBound() {
    var queue = TimerQueue<Int>()
    queue.schedule(0, at: .seconds(1))  // an early timer that keeps stale entries below the top
    for step in 1...10_000 {
      queue.schedule(1, at: .seconds(2) + .milliseconds(Int64(step)))
    }
    #expect(queue.count == 2)
    #expect(queue.storedEntryCount <= 2 * 2 + 16)
    #expect(Self.drain(&queue, at: .seconds(100)) == [0, 1])
  }

  @Test func removeAll() {
    var queue = TimerQueue<Int>()
    queue.schedule(1, at: .seconds(1))
    queue.schedule(2, at: .seconds(2))
    queue.removeAll()
    #expect(queue.isEmpty)
    #expect(queue.nextDeadline == nil)
    #expect(queue.popExpired(at: .distantFuture) == nil)
  }

  /// Random schedule/cancel/pop sequences against a dictionary that is scanned in full.
  @Test(arguments: [1, 2, 3, 4] as [UInt64])
  func matchesBruteForceModel(seed: UInt64) {
    var random = SeededRandom(seed: seed)
    var queue = TimerQueue<Int>()
    var model: [Int: (deadline: Instant, order: Int)] = [:]
    var order = 0
    var now = Instant.zero
    for _ in 0..<5_000 {
      switch Int.random(in: 0..<10, using: &random) {
      case 0..<5:
        let id = Int.random(in: 0..<40, using: &random)
        let deadline = now + .milliseconds(Int64.random(in: 0..<200, using: &random))
        queue.schedule(id, at: deadline)
        if model[id]?.deadline != deadline {
          model[id] = (deadline, order)
          order += 1
        }
      case 5..<7:
        let id = Int.random(in: 0..<40, using: &random)
        queue.cancel(id)
        model[id] = nil
      default:
        now += .milliseconds(Int64.random(in: 0..<30, using: &random))
        let popped = queue.popExpired(at: now)
        let expected = model.filter { $0.value.deadline <= now }
          .min { ($0.value.deadline, $0.value.order) < ($1.value.deadline, $1.value.order) }?.key
        #expect(popped == expected)
        if let expected { model[expected] = nil }
      }
      #expect(queue.count == model.count)
      #expect(queue.nextDeadline == model.values.map(\.deadline).min())
      #expect(queue.storedEntryCount <= 2 * model.count + 16)
      let probe = Int.random(in: 0..<40, using: &random)
      #expect(queue.deadline(of: probe) == model[probe]?.deadline)
    }
  }
}
