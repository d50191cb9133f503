import UsnetStack

/// Maps the monotonic wall clock (`ContinuousClock`) onto the stack's `Instant`s: the stack's
/// time is the time since the runtime started.
///
/// A plain value; thread-safe to read. Callers that feed the stack must read ``now`` under the
/// runtime lock, so the times the stack sees never go backwards.
struct RuntimeClock: Sendable {
  /// The wall instant that is the stack's `Instant.zero`.
  let origin: ContinuousClock.Instant

  /// A clock whose origin is now.
  init() { origin = ContinuousClock.now }

  /// The current time as a stack instant.
  var now: Instant { Instant(nanoseconds: (ContinuousClock.now - origin).totalNanoseconds) }

  /// The wall instant of the stack instant `instant`.
  func wall(_ instant: Instant) -> ContinuousClock.Instant {
    origin + .nanoseconds(instant.nanoseconds)
  }
}
