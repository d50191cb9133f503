import UsnetStack

/// Something attached to a ``SwitchPort``: a simulated stack, or a bridge to a real device.
///
/// The ``Simulation`` asks every endpoint for frames whenever it processes an instant (after
/// delivering what is due and after the caller's step callback), hands it frames at their
/// delivery time, and moves its clock no later than ``nextDeadline``. An endpoint that gets
/// frames from outside (a TAP bridge driven in real time) returns them from
/// ``nextFrame(into:at:)`` and reports a deadline when it has some waiting.
///
/// Threading: every call comes from the one thread that drives the simulation.
public protocol SwitchEndpoint: AnyObject {
  /// A frame arrived: `frame[range]`, delivered at `now`. The buffer is reused afterwards.
  func deliver(frame: [UInt8], range: Range<Int>, at now: Instant)

  /// Writes the next frame to send into `frame` (replacing its contents) and returns `true`,
  /// or returns `false` when nothing is to be sent at `now`.
  func nextFrame(into frame: inout [UInt8], at now: Instant) -> Bool

  /// The next time the endpoint must be asked for frames even if nothing arrives, or `nil`.
  var nextDeadline: Instant? { get }
}

/// A ``NetworkStack`` attached to a switch port.
///
/// Threading: not thread-safe; the simulation's thread owns it and the stack.
public final class StackEndpoint: SwitchEndpoint {
  /// The stack.
  public let stack: NetworkStack

  /// Wraps `stack`.
  public init(_ stack: NetworkStack) {
    self.stack = stack
  }

  /// Hands the frame to ``NetworkStack/receive(frame:range:at:)``.
  public func deliver(frame: [UInt8], range: Range<Int>, at now: Instant) {
    stack.receive(frame: frame, range: range, at: now)
  }

  /// Takes a frame from ``NetworkStack/transmit(into:at:)``.
  public func nextFrame(into frame: inout [UInt8], at now: Instant) -> Bool {
    stack.transmit(into: &frame, at: now)
  }

  /// The stack's ``NetworkStack/nextDeadline``.
  public var nextDeadline: Instant? { stack.nextDeadline }
}
