import UsnetStack

/// What a scheduled event does.
enum EventKind: Sendable, Hashable {
  /// The frame in a store slot reaches the switch from a port's endpoint.
  case arriveAtSwitch(slot: Int, port: Int)
  /// The frame in a store slot reaches a port's endpoint.
  case deliverToEndpoint(slot: Int, port: Int)
  /// A scheduled action runs.
  case action(Int)
}

/// One entry of the ``EventQueue``.
struct ScheduledEvent: Sendable {
  var time: Instant
  var sequence: UInt64
  var kind: EventKind

  /// Earlier time first; ties in scheduling order, so runs are deterministic.
  @inline(__always)
  func precedes(_ other: ScheduledEvent) -> Bool {
    time < other.time || (time == other.time && sequence < other.sequence)
  }
}

/// A binary min-heap of events on the virtual clock. Ties leave in the order they were
/// scheduled. Keeps its capacity, so steady-state scheduling does not allocate.
///
/// A plain value; not thread-safe.
struct EventQueue: Sendable {
  private var heap: [ScheduledEvent] = []
  private var nextSequence: UInt64 = 0

  init() {
    heap.reserveCapacity(1024)
  }

  var isEmpty: Bool { heap.isEmpty }
  var count: Int { heap.count }

  /// The time of the earliest event.
  var nextTime: Instant? { heap.first?.time }

  mutating func schedule(_ kind: EventKind, at time: Instant) {
    heap.append(ScheduledEvent(time: time, sequence: nextSequence, kind: kind))
    nextSequence &+= 1
    var child = heap.count - 1
    while child > 0 {
      let parent = (child - 1) / 2
      guard heap[child].precedes(heap[parent]) else { break }
      heap.swapAt(child, parent)
      child = parent
    }
  }

  /// Removes and returns the earliest event if it is due at `now`.
  mutating func popDue(at now: Instant) -> EventKind? {
    guard let first = heap.first, first.time <= now else { return nil }
    let last = heap.removeLast()
    if !heap.isEmpty {
      heap[0] = last
      var parent = 0
      let count = heap.count
      while true {
        let left = 2 * parent + 1
        guard left < count else { break }
        let right = left + 1
        var best = left
        if right < count && heap[right].precedes(heap[left]) { best = right }
        guard heap[best].precedes(heap[parent]) else { break }
        heap.swapAt(best, parent)
        parent = best
      }
    }
    return first.kind
  }
}
