import Foundation
import Testing
import UsnetDevice

/// The eventfd wake-up: a signal sent before the wait is not lost, and is consumed.
@Suite struct WakeUpEventTests {
  @Test func signalBeforeWaitIsKeptAndConsumed() throws {
    let event = try WakeUpEvent()
    let other = try WakeUpEvent()
    try event.signal()
    try event.signal()
    let ready = try event.wait(forReadable: other.fileDescriptor, until: nil)
    #expect(ready == .signalled)
    #expect(try event.drain() == false)
  }

  @Test func waitEndsAtTheDeadline() throws {
    let event = try WakeUpEvent()
    let other = try WakeUpEvent()
    let start = ContinuousClock.now
    let ready = try event.wait(
      forReadable: other.fileDescriptor, until: start + .milliseconds(20))
    #expect(ready.isEmpty)
    #expect(ContinuousClock.now - start >= .milliseconds(19))
  }

  @Test func readableDeviceIsReported() throws {
    let event = try WakeUpEvent()
    let device = try WakeUpEvent()
    try device.signal()
    let ready = try event.wait(forReadable: device.fileDescriptor, until: .now)
    #expect(ready == .device)
  }

  @Test func signalFromAnotherThreadWakesTheWaiter() throws {
    let event = try WakeUpEvent()
    let other = try WakeUpEvent()
    // A dedicated thread signals, so a busy test pool cannot delay it.
    let signaller = Thread {
      usleep(10_000)
      try? event.signal()
    }
    signaller.start()
    let ready = try event.wait(forReadable: other.fileDescriptor, until: .now + .seconds(10))
    #expect(ready == .signalled)
  }
}
