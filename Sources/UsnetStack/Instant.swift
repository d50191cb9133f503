/// A point on a monotonic clock (virtual in tests), nanoseconds since an arbitrary origin.
///
/// The stack never reads a clock itself: every entry point takes `now: Instant` from its driver,
/// which makes time explicit and lets the simulator run faster than real time. Arithmetic with
/// `Duration` saturates at the ends of the `Int64` range instead of trapping, so a far-future
/// deadline computed from caller-supplied values cannot crash the stack.
///
/// A plain value type; not tied to any thread.
public struct Instant: Hashable, Comparable, Sendable, CustomStringConvertible {
  /// Nanoseconds since the clock's origin.
  public var nanoseconds: Int64

  /// Creates an instant `nanoseconds` after the clock's origin.
  @inlinable
  public init(nanoseconds: Int64) {
    self.nanoseconds = nanoseconds
  }

  /// The clock's origin.
  public static let zero = Instant(nanoseconds: 0)

  /// The latest representable instant; a deadline that never arrives.
  public static let distantFuture = Instant(nanoseconds: .max)

  /// The instant `ms` milliseconds after the origin (saturating).
  @inlinable
  public static func milliseconds(_ ms: Int64) -> Instant {
    Instant(nanoseconds: nanosecondsMultiplying(ms, 1_000_000))
  }

  /// The instant `us` microseconds after the origin (saturating).
  @inlinable
  public static func microseconds(_ us: Int64) -> Instant {
    Instant(nanoseconds: nanosecondsMultiplying(us, 1_000))
  }

  /// The instant `s` seconds after the origin (saturating).
  @inlinable
  public static func seconds(_ s: Int64) -> Instant {
    Instant(nanoseconds: nanosecondsMultiplying(s, 1_000_000_000))
  }

  /// Orders instants by time.
  @inlinable
  public static func < (lhs: Instant, rhs: Instant) -> Bool {
    lhs.nanoseconds < rhs.nanoseconds
  }

  /// The instant `rhs` after `lhs`, saturating at the ends of the clock.
  @inlinable
  public static func + (lhs: Instant, rhs: Duration) -> Instant {
    Instant(nanoseconds: nanosecondsAdding(lhs.nanoseconds, rhs.totalNanoseconds))
  }

  /// The instant `rhs` before `lhs`, saturating at the ends of the clock.
  @inlinable
  public static func - (lhs: Instant, rhs: Duration) -> Instant {
    let delta = rhs.totalNanoseconds
    if delta == .min {
      // -Int64.min does not exist: subtract it as (Int64.max + 1).
      return Instant(nanoseconds: nanosecondsAdding(nanosecondsAdding(lhs.nanoseconds, .max), 1))
    }
    return Instant(nanoseconds: nanosecondsAdding(lhs.nanoseconds, -delta))
  }

  /// The time from `rhs` to `lhs` (negative if `lhs` is earlier). Exact, never overflows.
  @inlinable
  public static func - (lhs: Instant, rhs: Instant) -> Duration {
    let (difference, overflow) = lhs.nanoseconds.subtractingReportingOverflow(rhs.nanoseconds)
    if !overflow { return .nanoseconds(difference) }
    return .nanoseconds(lhs.nanoseconds) - .nanoseconds(rhs.nanoseconds)
  }

  /// Moves `lhs` forward by `rhs`, saturating at the ends of the clock.
  @inlinable
  public static func += (lhs: inout Instant, rhs: Duration) {
    lhs = lhs + rhs
  }

  /// Seconds with nanosecond precision, like `12.000345678s`.
  public var description: String {
    let sign = nanoseconds < 0 ? "-" : ""
    let magnitude = nanoseconds.magnitude
    let fraction = String(magnitude % 1_000_000_000)
    let padding = String(repeating: "0", count: 9 - fraction.count)
    return "\(sign)\(magnitude / 1_000_000_000).\(padding)\(fraction)s"
  }
}

extension Duration {
  /// The duration in whole nanoseconds, truncated toward zero and saturated to the `Int64` range.
  @inlinable
  public var totalNanoseconds: Int64 {
    let (seconds, attoseconds) = components
    let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
    if overflow { return seconds < 0 ? .min : .max }
    return nanosecondsAdding(scaled, attoseconds / 1_000_000_000)
  }
}

/// `a + b`, clamped to the `Int64` range.
@inlinable
func nanosecondsAdding(_ a: Int64, _ b: Int64) -> Int64 {
  let (sum, overflow) = a.addingReportingOverflow(b)
  if !overflow { return sum }
  return b < 0 ? .min : .max
}

/// `a * b`, clamped to the `Int64` range.
@inlinable
func nanosecondsMultiplying(_ a: Int64, _ b: Int64) -> Int64 {
  let (product, overflow) = a.multipliedReportingOverflow(by: b)
  if !overflow { return product }
  return (a < 0) != (b < 0) ? .min : .max
}
