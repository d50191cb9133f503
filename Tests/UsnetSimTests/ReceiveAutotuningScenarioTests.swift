import Testing
import UsnetSim
import UsnetStack

/// Why receive-buffer autotuning matters on a long path: 8 MB over a clean 100 ms round trip,
/// the sender's buffer 4 MiB, the receiver's window fixed at 64 KiB against autotuning from 64 KiB up to 4 MiB. The fixed
/// window caps the transfer at one window per round trip (about 5 Mbit/s); autotuning lets
/// the window follow the sender's slow start. Deterministic (seed 1); prints both results.
@Suite("Receive-buffer autotuning, 8 MB over 100 ms RTT")
struct ReceiveAutotuningScenarioTests {
  static let bytes = 8_000_000

  func run(autotuning: Bool) -> TransferResult {
    var scenario = TransferScenario(bytes: Self.bytes, rtt: .milliseconds(100), seed: 1) {
      $0.tcp.sendBufferSize = 4 * 1024 * 1024
      $0.tcp.receiveBufferAutotuning = autotuning
      $0.tcp.initialReceiveBufferSize = 64 * 1024
      $0.tcp.receiveBufferSize = autotuning ? 4 * 1024 * 1024 : 64 * 1024
    }
    scenario.timeLimit = .seconds(60)
    let result = scenario.run()
    print("autotuning \(autotuning ? "on" : "off"): \(result)")
    #expect(result.completed && result.payloadIntact, "\(result)")
    return result
  }

  @Test("autotuning finishes in less than a quarter of the fixed 64 KiB window's time")
  func autotuningBeatsFixedWindow() {
    let fixed = run(autotuning: false)
    let tuned = run(autotuning: true)
    // One 64 KiB window per 100 ms: 8 MB needs at least 12 s.
    #expect(fixed.completionTime >= .seconds(12))
    #expect(tuned.completionTime * 4 < fixed.completionTime)
    #expect(tuned.receiverCounters.tcpReceiveBufferGrowths >= 2)
    #expect(tuned.retransmissions == 0)
  }
}
