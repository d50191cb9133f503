import UsnetStack

/// Receives every frame that crosses a switch port, in each direction, with its virtual time:
/// the frame as the endpoint sent it (``PortDirection/toSwitch``, before any impairment) and as
/// it is delivered to the endpoint (``PortDirection/toEndpoint``, after them). A pcap writer
/// plugs in here.
///
/// Threading: called on the thread that drives the ``Simulation``, in simulation order.
public protocol FrameCapture: AnyObject {
  /// One frame: `frame[range]` crossed `port` in `direction` at `time`. The buffer is reused
  /// after the call returns; copy what you keep.
  func capture(
    frame: [UInt8], range: Range<Int>, port: Int, direction: PortDirection, at time: Instant)
}

/// One frame recorded by an ``InMemoryCapture``.
public struct CapturedFrame: Sendable, Hashable {
  /// The virtual time it crossed the port.
  public var time: Instant
  /// The port's index.
  public var port: Int
  /// Which way it went.
  public var direction: PortDirection
  /// The frame's bytes.
  public var bytes: [UInt8]

  /// Creates a record.
  public init(time: Instant, port: Int, direction: PortDirection, bytes: [UInt8]) {
    self.time = time
    self.port = port
    self.direction = direction
    self.bytes = bytes
  }
}

/// A ``FrameCapture`` that keeps every frame in memory, for tests and small runs.
///
/// Threading: not thread-safe; used from the thread that drives the simulation.
public final class InMemoryCapture: FrameCapture {
  /// The frames in the order they were captured.
  public private(set) var frames: [CapturedFrame] = []

  /// An empty capture.
  public init() {}

  /// Records a copy of the frame.
  public func capture(
    frame: [UInt8], range: Range<Int>, port: Int, direction: PortDirection, at time: Instant
  ) {
    frames.append(
      CapturedFrame(time: time, port: port, direction: direction, bytes: Array(frame[range])))
  }
}
