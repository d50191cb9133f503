import Foundation
import Testing
import UsnetSockets

@Suite("Runtime: the in-memory device pair")
struct RuntimeDeviceTests {
  @Test("a frame sent on one end is received on the other, in order")
  func delivery() throws {
    let pair = MemoryDevicePair()
    defer { pair.disconnect() }
    try pair.a.send([1])
    try pair.a.send([2, 2])
    var frames: [[UInt8]] = []
    #expect(try pair.b.receive(into: &frames, limit: 1) == 1)
    #expect(try pair.b.receive(into: &frames, limit: 8) == 1)
    #expect(frames == [[1], [2, 2]])
    #expect(try pair.b.receive(into: &frames, limit: 8) == 0)
    #expect(try pair.a.receive(into: &frames, limit: 8) == 0)
    #expect(pair.b.framesDelivered == 2)
  }

  @Test("wait returns at once for a queued frame or an earlier wake, else at the deadline")
  func waiting() throws {
    let pair = MemoryDevicePair()
    defer { pair.disconnect() }
    var start = ContinuousClock.now
    try pair.b.wait(until: start + .milliseconds(100))
    #expect(ContinuousClock.now - start >= .milliseconds(95))
    pair.b.wake()
    start = ContinuousClock.now
    try pair.b.wait(until: start + .seconds(5))
    #expect(ContinuousClock.now - start < .seconds(1))
    try pair.a.send([7])
    start = ContinuousClock.now
    try pair.b.wait(until: nil)
    #expect(ContinuousClock.now - start < .seconds(1))
  }

  @Test("a wake from another thread ends a wait without a deadline")
  func wakeFromAnotherThread() throws {
    let pair = MemoryDevicePair()
    defer { pair.disconnect() }
    let device = pair.a
    let start = ContinuousClock.now
    let waiter = JoinableThread { () -> Bool in (try? device.wait(until: nil)) != nil }
    Thread.sleep(forTimeInterval: 0.05)
    device.wake()
    #expect(waiter.join(timeout: .seconds(5)) == true)
    #expect(ContinuousClock.now - start >= .milliseconds(45))
  }

  @Test("a full inbox drops and counts; a disconnected pair drops silently")
  func limits() throws {
    let pair = MemoryDevicePair(queueLimit: 2)
    for byte in 0..<3 { try pair.a.send([UInt8(byte)]) }
    #expect(pair.b.framesDropped == 1)
    pair.disconnect()
    try pair.a.send([9])
    var frames: [[UInt8]] = []
    #expect(try pair.b.receive(into: &frames, limit: 8) == 2)
  }
}
