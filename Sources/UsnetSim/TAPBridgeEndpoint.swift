import UsnetDevice
import UsnetStack

/// A switch port bridged to a real TAP device: frames the kernel sends on the TAP enter the
/// switch as if the endpoint had sent them, and frames the switch delivers to the port are
/// written to the TAP. The port's link impairments apply as to any other endpoint, so a
/// kernel TCP behind the TAP sees the loss, delay and reordering set on the port.
///
/// The kernel runs in real time, so a simulation with a bridge must be driven by a
/// ``RealTimeDriver``: it waits on the TAP, lets the bridge read up to a batch of frames at
/// the current wall-clock instant, and runs the simulation's events as their times come.
/// Outside the driver the bridge reads nothing (a virtual-time ``Simulation/run(for:until:)``
/// would otherwise mix two clocks); writes happen whenever the switch delivers.
///
/// The TAP's own MAC is the kernel's; give stacks on the switch different MACs.
///
/// Threading: not thread-safe; the thread that drives the simulation owns the bridge and its
/// device.
public final class TAPBridgeEndpoint: SwitchEndpoint {
  /// The TAP.
  public let device: TAPDevice
  /// Frames and errors so far.
  public private(set) var counters = TAPBridgeCounters()
  /// The most recent read or write error, if any.
  public private(set) var lastError: DeviceError?

  /// How many more frames the bridge may read at the current instant; set by the driver.
  var readBudget = 0
  /// Whether the last read found the TAP empty (or failed): nothing more is queued.
  private(set) var drained = true
  private var readBuffer: [UInt8]

  /// Bridges `device`. The bridge keeps the device open; close it through ``device``.
  public init(device: TAPDevice) {
    self.device = device
    readBuffer = [UInt8](repeating: 0, count: TAPDevice.maximumFrameLength)
  }

  /// Writes the frame to the TAP; a failed write drops it and is counted.
  public func deliver(frame: [UInt8], range: Range<Int>, at now: Instant) {
    do {
      try device.writeFrame(frame, range: range)
      counters.framesWritten += 1
      counters.bytesWritten += range.count
    } catch {
      counters.writeErrors += 1
      lastError = error
    }
  }

  /// Reads the next frame from the TAP while the driver's batch allows it.
  public func nextFrame(into frame: inout [UInt8], at now: Instant) -> Bool {
    guard readBudget > 0 else { return false }
    let count: Int?
    do {
      count = try device.readFrame(into: &readBuffer, range: 0..<readBuffer.count)
    } catch {
      counters.readErrors += 1
      lastError = error
      count = nil
    }
    guard let count else {
      readBudget = 0
      drained = true
      return false
    }
    readBudget -= 1
    drained = false
    counters.framesRead += 1
    counters.bytesRead += count
    counters.largestFrameRead = max(counters.largestFrameRead, count)
    frame.removeAll(keepingCapacity: true)
    frame.append(contentsOf: readBuffer[0..<count])
    return true
  }

  /// `nil`: the driver, not a deadline, decides when to read.
  public var nextDeadline: Instant? { nil }
}
