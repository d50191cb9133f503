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

  @Test func signalFromAnotherThreadWakesTheWaiter() async throws {
    let event = try WakeUpEvent()
    let other = try WakeUpEvent()
    let waiter = Task.detached { () throws(DeviceError) -> WakeUpEvent.Readiness in
      try event.wait(forReadable: other.fileDescriptor, until: .now + .seconds(10))
    }
    try await Task.sleep(for: .milliseconds(10))
    try event.signal()
    #expect(try await waiter.value == .signalled)
  }
}
