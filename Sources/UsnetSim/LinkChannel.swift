import UsnetStack

/// The changing state of one direction of a port's link: its random stream, the Gilbert–Elliott
/// state, the rate limiter's queue and the last in-order delivery time.
///
/// A plain value; not thread-safe.
struct LinkChannel: Sendable {
  var random: SeededRandom
  var inBadState = false
  var busyUntil = Instant.zero
  var lastDelivery = Instant.zero
  var queuedBytes = 0
  private var departures: [(time: Instant, bytes: Int)] = []
  private var departuresHead = 0

  init(seed: UInt64) {
    random = SeededRandom(seed: seed)
  }

  /// A uniform draw in [0, 1).
  @inline(__always)
  mutating func unit() -> Double {
    Double(random.next() >> 11) * 0x1p-53
  }

  /// Whether an event of probability `p` happens; draws nothing when `p <= 0`.
  @inline(__always)
  mutating func chance(_ p: Double) -> Bool {
    p > 0 && unit() < p
  }

  /// Whether the loss model drops the next frame.
  mutating func loses(_ model: LossModel) -> Bool {
    switch model {
    case .none:
      return false
    case .bernoulli(let p):
      return chance(p)
    case .gilbertElliott(let ge):
      inBadState = inBadState ? !chance(ge.badToGood) : chance(ge.goodToBad)
      return chance(inBadState ? ge.lossInBad : ge.lossInGood)
    }
  }

  /// Frees the queue space of frames fully serialized by `now`.
  mutating func drainQueue(at now: Instant) {
    while departuresHead < departures.count && departures[departuresHead].time <= now {
      queuedBytes -= departures[departuresHead].bytes
      departuresHead += 1
    }
    if departuresHead == departures.count {
      departures.removeAll(keepingCapacity: true)
      departuresHead = 0
    } else if departuresHead > 1024 && departuresHead * 2 > departures.count {
      departures.removeFirst(departuresHead)
      departuresHead = 0
    }
  }

  /// Queues `bytes` for serialization at `rate`; returns when the last bit leaves, or `nil`
  /// when the queue has no room for it.
  mutating func serialize(bytes: Int, at now: Instant, rate: Int, queueLimit: Int) -> Instant? {
    drainQueue(at: now)
    guard queuedBytes + bytes <= queueLimit else { return nil }
    let start = Swift.max(now, busyUntil)
    let bits = Int64(bytes) * 8
    let nanoseconds = (bits * 1_000_000_000 + Int64(rate) - 1) / Int64(Swift.max(rate, 1))
    busyUntil = start + .nanoseconds(nanoseconds)
    queuedBytes += bytes
    departures.append((busyUntil, bytes))
    return busyUntil
  }

  /// A uniform offset in `-jitter...jitter`.
  mutating func jitterOffset(_ jitter: Duration) -> Duration {
    let span = jitter.totalNanoseconds
    guard span > 0 else { return .zero }
    let width = UInt64(span) * 2 + 1
    return .nanoseconds(Int64(random.next() % width) - span)
  }
}
