import Foundation
import Synchronization

/// One end of an in-memory Ethernet link (see ``MemoryDevicePair``): what one end sends is
/// queued at the other end at once, in real time, and the other end's engine is woken.
///
/// Threading: thread-safe, as ``FrameDevice`` requires. The inbox is bounded
/// (``MemoryDevicePair/queueLimit`` frames); beyond it frames are dropped and counted, as a
/// full NIC ring drops them.
public final class MemoryDevice: FrameDevice {
  private struct Inbox {
    var frames: [[UInt8]] = []
    var head = 0
    var woken = false
    var dropped = 0
    var delivered = 0
  }

  private let inbox = Mutex(Inbox())
  private let condition = NSCondition()
  private let queueLimit: Int
  private let peer = Mutex<MemoryDevice?>(nil)

  init(queueLimit: Int) {
    self.queueLimit = queueLimit
  }

  /// Joins this end to `other` (the pair does it once).
  func attach(to other: MemoryDevice) {
    peer.withLock { $0 = other }
  }

  /// Detaches this end, breaking the reference cycle of the pair.
  func detach() {
    peer.withLock { $0 = nil }
  }

  /// Frames dropped at this end because its inbox was full.
  public var framesDropped: Int { inbox.withLock { $0.dropped } }

  /// Frames queued at this end so far.
  public var framesDelivered: Int { inbox.withLock { $0.delivered } }

  /// Queues `frame` at the other end and wakes its engine. Never blocks; a frame sent while
  /// the other end is gone, or beyond its inbox limit, is dropped.
  public func send(_ frame: [UInt8]) throws(NetError) {
    guard let target = peer.withLock({ $0 }) else { return }
    target.deliver(frame)
  }

  /// Puts `frame` into this end's inbox (the link's delivery point; impairments would sit
  /// in front of it) and wakes the engine waiting here.
  func deliver(_ frame: [UInt8]) {
    let accepted = inbox.withLock { inbox in
      guard inbox.frames.count - inbox.head < queueLimit else {
        inbox.dropped += 1
        return false
      }
      inbox.frames.append(frame)
      inbox.delivered += 1
      return true
    }
    if accepted { signal() }
  }

  /// Moves up to `limit` queued frames into `frames`. Never blocks.
  public func receive(into frames: inout [[UInt8]], limit: Int) throws(NetError) -> Int {
    inbox.withLock { inbox in
      let count = Swift.min(limit, inbox.frames.count - inbox.head)
      guard count > 0 else { return 0 }
      frames.append(contentsOf: inbox.frames[inbox.head..<(inbox.head + count)])
      inbox.head += count
      if inbox.head == inbox.frames.count {
        inbox.frames.removeAll(keepingCapacity: true)
        inbox.head = 0
      } else if inbox.head > 1024 {
        inbox.frames.removeFirst(inbox.head)
        inbox.head = 0
      }
      return count
    }
  }

  /// Sleeps until a frame is queued, ``wake()`` was called since the last wait, or
  /// `deadline` passes. Blocks the calling thread.
  public func wait(until deadline: ContinuousClock.Instant?) throws(NetError) {
    condition.lock()
    defer { condition.unlock() }
    while true {
      let ready = inbox.withLock { inbox in
        let ready = inbox.woken || inbox.head < inbox.frames.count
        inbox.woken = false
        return ready
      }
      if ready { return }
      guard let deadline else {
        condition.wait()
        continue
      }
      let remaining = deadline - ContinuousClock.now
      guard remaining > .zero else { return }
      _ = condition.wait(until: Date(timeIntervalSinceNow: remaining.conditionWaitSeconds))
    }
  }

  /// Makes the current or next ``wait(until:)`` return. Never blocks for long.
  public func wake() {
    inbox.withLock { $0.woken = true }
    signal()
  }

  private func signal() {
    condition.lock()
    condition.signal()
    condition.unlock()
  }
}
