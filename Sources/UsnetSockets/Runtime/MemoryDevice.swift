import Foundation
import Synchronization

/// An in-memory Ethernet device: one end of a ``MemoryDevicePair`` (what one end sends is queued
/// at the other end at once, in real time, and the other end's engine is woken) or a port of a
/// ``RealTimeSwitch`` (what it sends crosses the simulated switch and its impaired links).
///
/// Threading: thread-safe, as ``FrameDevice`` requires. The inbox is bounded
/// (``MemoryDevicePair/queueLimit`` frames); beyond it frames are dropped and counted, as a
/// full NIC ring drops them.
public final class MemoryDevice: FrameDevice, FrameLink {
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
  private let link = Mutex<(any FrameLink)?>(nil)

  init(queueLimit: Int) {
    self.queueLimit = queueLimit
  }

  /// Sends this device's frames into `other` (the pair or the switch does it once).
  func attach(to other: any FrameLink) {
    link.withLock { $0 = other }
  }

  /// Detaches this device from its link, breaking the reference cycle with it.
  func detach() {
    link.withLock { $0 = nil }
  }

  /// Frames dropped at this end because its inbox was full.
  public var framesDropped: Int { inbox.withLock { $0.dropped } }

  /// Frames queued at this end so far.
  public var framesDelivered: Int { inbox.withLock { $0.delivered } }

  /// Hands `frame` to the link (the other end's inbox, or the switch). Never blocks; a frame
  /// sent while detached, or beyond the receiving queue's limit, is dropped.
  public func send(_ frame: [UInt8]) throws(NetError) {
    guard let target = link.withLock({ $0 }) else { return }
    target.carry(frame)
  }

  /// Puts `frame` into this device's inbox (the link's delivery point, after any impairments)
  /// and wakes the engine waiting here; beyond the inbox limit it is dropped and counted.
  func carry(_ frame: [UInt8]) {
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
