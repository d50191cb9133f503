import Testing
import UsnetSockets
import UsnetStack

/// `BG_THREAD_PIN_CPU_ID`: the engine thread pinned to a CPU, and a CPU it cannot use refused
/// up front.
@Suite("Engine thread pinning")
struct EngineThreadPinningTests {
  @Test("a runtime pinned to CPU 0 starts and carries traffic")
  func pinnedRuntimeWorks() throws {
    let devices = MemoryDevicePair()
    defer { devices.disconnect() }
    let runtime = try UserspaceRuntime(
      configuration: UserspacePair.configuration(mac: 1, ip: UserspacePair.ipA),
      device: devices.a, options: RuntimeOptions(engineThreadCPU: 0))
    defer { runtime.shutdown() }
    let socket = try UserspaceUDPSocket.bind(
      to: UserspacePair.address(UserspacePair.ipA, 0), on: runtime)
    #expect(try socket.send([1], to: socket.localAddress) == 1)
    try socket.setReadTimeout(.seconds(5))
    var buffer = [UInt8](repeating: 0, count: 4)
    #expect(try socket.receiveFrom(into: &buffer).count == 1)
  }

  @Test("a CPU the machine does not have is invalidInput naming BG_THREAD_PIN_CPU_ID")
  func missingCPUIsRefused() {
    let devices = MemoryDevicePair()
    defer { devices.disconnect() }
    let error = expectNetError(.invalidInput) { () throws(NetError) in
      try UserspaceRuntime(
        configuration: UserspacePair.configuration(mac: 1, ip: UserspacePair.ipA),
        device: devices.a, options: RuntimeOptions(engineThreadCPU: 1000))
    }
    #expect(error?.message.contains("BG_THREAD_PIN_CPU_ID") == true)
  }
}
