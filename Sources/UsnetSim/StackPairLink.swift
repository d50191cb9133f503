import UsnetStack
import UsnetWire

/// Two ``NetworkStack``s joined by a point-to-point link on a virtual clock.
///
/// The link delivers frames after a fixed one-way latency (zero delivers within the same
/// step), optionally dropping the frames a filter selects. Time only moves when nothing else
/// can happen: then it jumps to the next frame delivery or the next stack deadline, so a run is
/// deterministic and needs no wall-clock time.
///
/// Threading: not thread-safe; one thread drives the link and both stacks.
public final class StackPairLink {
  /// The first stack.
  public let a: NetworkStack
  /// The second stack.
  public let b: NetworkStack
  /// The virtual time.
  public private(set) var now: Instant
  /// One-way delay of every frame.
  public var latency: Duration
  /// Decides per frame whether the link drops it: gets the direction and the frame's index in
  /// that direction (from 0).
  public var dropFilter: ((LinkDirection, Int, [UInt8]) -> Bool)?
  /// Frames sent per direction (dropped ones included).
  public private(set) var framesSent: (aToB: Int, bToA: Int) = (0, 0)
  /// Frames the filter dropped.
  public private(set) var framesDropped = 0

  private var frame: [UInt8] = []
  private var inFlight: [(deliverAt: Instant, direction: LinkDirection, frame: [UInt8])] = []
  private var inFlightHead = 0
  private var spareBuffers: [[UInt8]] = []

  /// Joins `a` and `b`, starting the clock at `start`.
  public init(
    _ a: NetworkStack, _ b: NetworkStack, latency: Duration = .zero, start: Instant = .zero
  ) {
    self.a = a
    self.b = b
    self.latency = latency
    now = start
    frame.reserveCapacity(65536)
  }

  /// Moves every frame both stacks want to send now, and delivers what is due. Returns whether
  /// anything happened.
  @discardableResult
  public func step() -> Bool {
    var progressed = false
    progressed = pump(from: a, direction: .aToB) || progressed
    progressed = pump(from: b, direction: .bToA) || progressed
    while inFlightHead < inFlight.count && inFlight[inFlightHead].deliverAt <= now {
      let entry = inFlight[inFlightHead]
      inFlightHead += 1
      let target = entry.direction == .aToB ? b : a
      target.receive(frame: entry.frame, at: now)
      spareBuffers.append(entry.frame)
      progressed = true
    }
    if inFlightHead == inFlight.count {
      inFlight.removeAll(keepingCapacity: true)
      inFlightHead = 0
    }
    return progressed
  }

  private func pump(from stack: NetworkStack, direction: LinkDirection) -> Bool {
    var progressed = false
    let target = direction == .aToB ? b : a
    while stack.transmit(into: &frame, at: now) {
      progressed = true
      let index: Int
      switch direction {
      case .aToB:
        index = framesSent.aToB
        framesSent.aToB += 1
      case .bToA:
        index = framesSent.bToA
        framesSent.bToA += 1
      }
      if let dropFilter, dropFilter(direction, index, frame) {
        framesDropped += 1
        continue
      }
      if latency == .zero {
        target.receive(frame: frame, at: now)
      } else {
        var copy = spareBuffers.popLast() ?? []
        copy.removeAll(keepingCapacity: true)
        copy.append(contentsOf: frame)
        inFlight.append((now + latency, direction, copy))
      }
    }
    return progressed
  }

  /// The next moment something is scheduled: a frame delivery or a stack deadline.
  public var nextEvent: Instant? {
    var next: Instant? = inFlightHead < inFlight.count ? inFlight[inFlightHead].deliverAt : nil
    for deadline in [a.nextDeadline, b.nextDeadline] {
      if let deadline, next.map({ deadline < $0 }) ?? true { next = deadline }
    }
    return next
  }

  /// Steps until `done` returns true or the virtual clock passes `limit` from now. Between
  /// steps, `done` may make socket calls. Returns whether `done` became true.
  public func run(for limit: Duration, until done: () -> Bool) -> Bool {
    let end = now + limit
    while true {
      if done() { return true }
      if step() { continue }
      if done() { return true }
      guard let next = nextEvent, next <= end else {
        now = end
        return done()
      }
      // A deadline at or before now was just served; never stall on it.
      now = Swift.max(next, now + .nanoseconds(1))
    }
  }

  /// Advances the clock by `duration`, processing everything that happens on the way.
  public func advance(by duration: Duration) {
    _ = run(for: duration) { false }
  }
}
