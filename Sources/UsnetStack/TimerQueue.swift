/// Timers keyed by an ID: each ID has at most one pending deadline.
///
/// A binary min-heap with lazy deletion plus a dictionary of current deadlines. Rescheduling or
/// cancelling only updates the dictionary and leaves the old heap entry behind as stale; stale
/// entries are dropped when they reach the top, and the heap is compacted in place when they
/// outnumber the live ones, so memory stays proportional to the number of pending timers.
/// The heap top is always live, which makes ``nextDeadline`` O(1); ``schedule(_:at:)``,
/// ``cancel(_:)`` and ``popExpired(at:)`` are amortized O(log n). Once the heap and dictionary have
/// grown to their working size, no call allocates.
///
/// Timers with equal deadlines expire in the order they were scheduled. A plain value type, not
/// thread-safe: owned by one engine.
public struct TimerQueue<ID: Hashable & Sendable>: Sendable {
  /// One heap entry; live iff `pending[id]?.sequence == sequence`.
  @usableFromInline
  struct Entry: Sendable {
    @usableFromInline var deadline: Instant
    @usableFromInline var sequence: UInt64
    @usableFromInline var id: ID

    @inlinable
    init(deadline: Instant, sequence: UInt64, id: ID) {
      self.deadline = deadline
      self.sequence = sequence
      self.id = id
    }
  }

  /// The current deadline of an ID and the sequence number of its live heap entry.
  @usableFromInline
  struct Pending: Sendable {
    @usableFromInline var deadline: Instant
    @usableFromInline var sequence: UInt64

    @inlinable
    init(deadline: Instant, sequence: UInt64) {
      self.deadline = deadline
      self.sequence = sequence
    }
  }

  // Internal and inlinable so that users in other modules (the simulator, benchmarks) get code
  // specialized for their ID type instead of generic code that looks up metadata on every call.
  @usableFromInline var heap: [Entry] = []
  @usableFromInline var pending: [ID: Pending] = [:]
  @usableFromInline var nextSequence: UInt64 = 0

  /// Creates an empty queue.
  @inlinable
  public init() {}

  /// The number of IDs with a pending deadline.
  @inlinable
  public var count: Int { pending.count }

  /// Whether no timer is pending.
  @inlinable
  public var isEmpty: Bool { pending.isEmpty }

  /// The earliest pending deadline, or `nil` if none. O(1).
  @inlinable
  public var nextDeadline: Instant? { heap.first?.deadline }

  /// The number of heap entries, live and stale (for tests).
  var storedEntryCount: Int { heap.count }

  /// The pending deadline of `id`, or `nil` if it has none.
  @inlinable
  public func deadline(of id: ID) -> Instant? {
    pending[id]?.deadline
  }

  /// Sets the deadline of `id`, replacing any pending one.
  @inlinable
  public mutating func schedule(_ id: ID, at deadline: Instant) {
    let sequence = nextSequence
    nextSequence &+= 1
    let replaced = pending.updateValue(Pending(deadline: deadline, sequence: sequence), forKey: id)
    if let replaced {
      if replaced.deadline == deadline {
        // Unchanged: keep the existing entry (and its place among equal deadlines).
        pending[id] = replaced
        return
      }
      push(Entry(deadline: deadline, sequence: sequence, id: id))
      discardStaleTop()
      compactIfNeeded()
    } else {
      push(Entry(deadline: deadline, sequence: sequence, id: id))
    }
  }

  /// Removes the pending deadline of `id`, if any.
  @inlinable
  public mutating func cancel(_ id: ID) {
    guard pending.removeValue(forKey: id) != nil else { return }
    discardStaleTop()
    compactIfNeeded()
  }

  /// Removes and returns the ID with the earliest deadline if that deadline is `<= now`;
  /// `nil` if no timer has expired. Call repeatedly to drain every expired timer.
  @inlinable
  public mutating func popExpired(at now: Instant) -> ID? {
    guard let top = heap.first, top.deadline <= now else { return nil }
    popTop()
    pending.removeValue(forKey: top.id)
    discardStaleTop()
    compactIfNeeded()
    return top.id
  }

  /// Cancels every timer, keeping the allocated storage.
  @inlinable
  public mutating func removeAll() {
    heap.removeAll(keepingCapacity: true)
    pending.removeAll(keepingCapacity: true)
  }

  // MARK: - Heap

  /// Whether `a` expires before `b`: earlier deadline, then earlier scheduling.
  @inline(__always)
  @inlinable
  static func earlier(_ a: Entry, _ b: Entry) -> Bool {
    a.deadline < b.deadline || (a.deadline == b.deadline && a.sequence < b.sequence)
  }

  @inlinable
  func isStale(_ entry: Entry) -> Bool {
    pending[entry.id]?.sequence != entry.sequence
  }

  /// Restores the invariant that the heap top is live.
  @inlinable
  mutating func discardStaleTop() {
    while let top = heap.first, isStale(top) {
      popTop()
    }
  }

  /// Drops every stale entry and re-heapifies when stale entries dominate.
  @inlinable
  mutating func compactIfNeeded() {
    guard heap.count > 2 &* pending.count &+ 16 else { return }
    let live = pending
    heap.removeAll { live[$0.id]?.sequence != $0.sequence }
    var index = heap.count / 2
    while index > 0 {
      index -= 1
      siftDown(from: index)
    }
  }

  @inlinable
  mutating func push(_ entry: Entry) {
    heap.append(entry)
    var child = heap.count - 1
    while child > 0 {
      let parent = (child - 1) / 2
      guard Self.earlier(entry, heap[parent]) else { break }
      heap[child] = heap[parent]
      child = parent
    }
    heap[child] = entry
  }

  /// Removes the top entry (the heap must not be empty).
  @inlinable
  mutating func popTop() {
    guard let last = heap.popLast() else { return }
    guard !heap.isEmpty else { return }
    heap[0] = last
    siftDown(from: 0)
  }

  @inlinable
  mutating func siftDown(from start: Int) {
    let entry = heap[start]
    let count = heap.count
    var parent = start
    while true {
      var child = 2 &* parent &+ 1
      guard child < count else { break }
      if child &+ 1 < count, Self.earlier(heap[child &+ 1], heap[child]) {
        child &+= 1
      }
      guard Self.earlier(heap[child], entry) else { break }
      heap[parent] = heap[child]
      parent = child
    }
    heap[parent] = entry
  }
}
