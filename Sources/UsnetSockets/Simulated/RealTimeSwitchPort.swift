import Synchronization
import UsnetSim
import UsnetStack

/// The joint between one ``MemoryDevice`` and its port of a ``RealTimeSwitch``: frames the
/// device sends wait in a bounded ingress queue until the switch thread takes them
/// (``nextFrame(into:at:)``), and frames the switch delivers go into the device's inbox.
///
/// Threading: ``carry(_:)`` runs on the sending runtime's thread, the ``SwitchEndpoint`` calls
/// on the switch thread; the ingress queue is behind its own lock, so neither waits for the
/// other beyond one queue operation.
final class RealTimeSwitchPort: FrameLink, SwitchEndpoint {
  private struct Ingress {
    var frames: [[UInt8]] = []
    var head = 0
    var accepted = 0
    var dropped = 0
    var released = false
  }

  /// The device attached to the port.
  let device: MemoryDevice
  private let ingress = Mutex(Ingress())
  private let queueLimit: Int
  private let switchWakeUp: SocketWaiter

  /// A port for `device` whose ingress queue holds at most `queueLimit` frames; every frame
  /// queued notifies `switchWakeUp`, where the switch thread sleeps.
  init(device: MemoryDevice, queueLimit: Int, switchWakeUp: SocketWaiter) {
    self.device = device
    self.queueLimit = queueLimit
    self.switchWakeUp = switchWakeUp
  }

  /// Frames taken into the ingress queue, and frames dropped because it was full.
  var ingressCounts: (accepted: Int, dropped: Int) {
    ingress.withLock { ($0.accepted, $0.dropped) }
  }

  /// Whether ``nextFrame(into:at:)`` hands out queued frames. The switch thread closes the
  /// queue while the simulation catches up with the wall clock and opens it at the current
  /// instant, so a frame enters the link at the time it is taken, never at an earlier
  /// instant the catch-up passes through.
  var releasesFrames: Bool {
    get { ingress.withLock { $0.released } }
    set { ingress.withLock { $0.released = newValue } }
  }

  /// Whether frames wait in the ingress queue.
  var hasQueuedFrames: Bool {
    ingress.withLock { $0.head < $0.frames.count }
  }

  /// Queues a frame the device sent and wakes the switch thread; drops and counts it when the
  /// queue is full. Never blocks for long.
  func carry(_ frame: [UInt8]) {
    let accepted = ingress.withLock { ingress in
      guard ingress.frames.count - ingress.head < queueLimit else {
        ingress.dropped += 1
        return false
      }
      ingress.frames.append(frame)
      ingress.accepted += 1
      return true
    }
    if accepted { switchWakeUp.notify() }
  }

  /// Puts a frame the switch delivered into the device's inbox (switch thread).
  func deliver(frame: [UInt8], range: Range<Int>, at now: Instant) {
    device.carry(Array(frame[range]))
  }

  /// Takes the oldest queued frame while the queue releases frames (switch thread).
  func nextFrame(into frame: inout [UInt8], at now: Instant) -> Bool {
    let next: [UInt8]? = ingress.withLock { ingress in
      guard ingress.released, ingress.head < ingress.frames.count else { return nil }
      let next = ingress.frames[ingress.head]
      ingress.head += 1
      if ingress.head == ingress.frames.count {
        ingress.frames.removeAll(keepingCapacity: true)
        ingress.head = 0
      }
      return next
    }
    guard let next else { return false }
    frame = next
    return true
  }

  /// None: frames from the device wake the switch thread instead.
  var nextDeadline: Instant? { nil }
}
