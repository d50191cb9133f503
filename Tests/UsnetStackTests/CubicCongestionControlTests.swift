import Testing
import UsnetSim
import UsnetStack

/// CUBIC (RFC 9438) on its own, with an ACK clock in the test: the cubic function and K, the
/// shape of growth after a reduction, the Reno-friendly region, fast convergence and the
/// timeout; then Reno against CUBIC on a simulated long path.
@Suite("CUBIC congestion control")
struct CubicCongestionControlTests {
  static let mss = 1000

  /// Acknowledges the whole window once per `rtt`, in `segments`-sized ACKs, `rounds` times,
  /// starting at `start`; returns the window in segments after each round and the time.
  static func run(
    _ cubic: inout CubicCongestionControl, rounds: Int, rtt: Duration,
    from start: Instant = .zero
  ) -> (windows: [Double], end: Instant) {
    var now = start
    var windows: [Double] = []
    for _ in 0..<rounds {
      let segments = cubic.congestionWindow / mss
      for index in 0..<segments {
        let at = now + rtt * (Double(index + 1) / Double(segments))
        cubic.onAcknowledged(
          bytes: mss, flightSize: cubic.congestionWindow, maximumSegmentSize: mss, now: at,
          smoothedRTT: rtt)
      }
      now += rtt
      windows.append(Double(cubic.congestionWindow) / Double(mss))
    }
    return (windows, now)
  }

  /// A CUBIC state in congestion avoidance right after one loss at `segments`.
  static func afterLoss(at segments: Int) -> CubicCongestionControl {
    var cubic = CubicCongestionControl(maximumSegmentSize: mss, initialWindowSegments: segments)
    cubic.onEnterRecovery(flightSize: segments * mss, maximumSegmentSize: mss)
    cubic.onExitRecovery(flightSize: segments * mss, maximumSegmentSize: mss)
    return cubic
  }

  @Test("K and W_cubic follow equations 1 and 2")
  func cubicFunction() {
    let k = CubicCongestionControl.timeToMaximum(from: 70, maximum: 100)
    // K = cbrt((100 - 70) / 0.4) = cbrt(75)
    #expect(abs(k - 4.217163326508746) < 1e-9)
    #expect(abs(CubicCongestionControl.cubicWindow(seconds: 0, k: k, maximum: 100) - 70) < 1e-9)
    #expect(abs(CubicCongestionControl.cubicWindow(seconds: k, k: k, maximum: 100) - 100) < 1e-9)
    #expect(
      abs(CubicCongestionControl.cubicWindow(seconds: k + 1, k: k, maximum: 100) - 100.4) < 1e-9)
    #expect(CubicCongestionControl.timeToMaximum(from: 120, maximum: 100) == 0)
  }

  @Test("a loss cuts the window to 0.7 of itself and remembers W_max")
  func multiplicativeDecrease() {
    let cubic = Self.afterLoss(at: 100)
    #expect(cubic.slowStartThreshold == 70 * Self.mss)
    #expect(cubic.congestionWindow == 70 * Self.mss)
    #expect(cubic.lastMaximum == 100)
  }

  @Test("on a long path the window is concave up to W_max, flat near it, convex beyond")
  func concaveThenConvex() {
    var cubic = Self.afterLoss(at: 100)
    // 100 ms RTT: K = 4.2 s, far more than Reno-friendly growth needs.
    let (windows, _) = Self.run(&cubic, rounds: 90, rtt: .milliseconds(100))
    let growth = zip(windows.dropFirst(), windows).map { $0 - $1 }
    // Concave: the first second grows faster than the second before K.
    #expect(growth[0..<10].reduce(0, +) > growth[20..<30].reduce(0, +))
    // Near K (4.2 s = round 42) the window sits at W_max.
    #expect(abs(windows[41] - 100) < 3, "\(windows[41])")
    // Convex beyond: the last second grows faster than the one at K.
    #expect(growth[80..<89].reduce(0, +) > growth[40..<49].reduce(0, +))
    #expect(windows[89] > 105)
  }

  @Test("on a short path it follows the Reno estimate (never slower than Reno)")
  func renoFriendlyRegion() {
    var cubic = Self.afterLoss(at: 20)
    // 1 ms RTT: the cubic function barely moves in 30 ms, the Reno estimate does.
    let (windows, _) = Self.run(&cubic, rounds: 30, rtt: .milliseconds(1))
    // α = 3(1-β)/(1+β) ≈ 0.53 segments per RTT until the window is back at 20 (about 11
    // RTTs from 14), then Reno's 1: about 14 + 10 · 0.53 after 10 RTTs, 20 + 19 after 30.
    #expect(windows[9] > 18 && windows[9] < 20.5, "\(windows[9])")
    #expect(windows[29] > 37 && windows[29] < 41, "\(windows[29])")
  }

  @Test("fast convergence: a loss below the last W_max lowers W_max further")
  func fastConvergence() {
    var cubic = Self.afterLoss(at: 100)
    _ = Self.run(&cubic, rounds: 5, rtt: .milliseconds(100))
    let window = Double(cubic.congestionWindow) / Double(Self.mss)
    #expect(window < 100)
    cubic.onEnterRecovery(flightSize: cubic.congestionWindow, maximumSegmentSize: Self.mss)
    #expect(abs((cubic.lastMaximum ?? 0) - window * 0.85) < 0.01)
  }

  @Test("a timeout leaves one segment, ssthresh at 0.7 of the window, and slow start")
  func timeout() {
    var cubic = CubicCongestionControl(maximumSegmentSize: Self.mss, initialWindowSegments: 50)
    cubic.onRetransmissionTimeout(flightSize: 50 * Self.mss, maximumSegmentSize: Self.mss)
    #expect(cubic.congestionWindow == Self.mss)
    #expect(cubic.slowStartThreshold == 35 * Self.mss)
    cubic.onAcknowledged(
      bytes: Self.mss, flightSize: Self.mss, maximumSegmentSize: Self.mss, now: .zero,
      smoothedRTT: nil)
    #expect(cubic.congestionWindow == 2 * Self.mss)
  }

  @Test("over 100 ms RTT with 0.1 % loss CUBIC moves more than Reno in the same time")
  func cubicBeatsRenoOnLongPaths() {
    func goodput(_ algorithm: CongestionControlAlgorithm) -> Double {
      let scenario = TransferScenario(
        bytes: 20_000_000, rtt: .milliseconds(100),
        impairments: LinkImpairments(loss: .bernoulli(0.001)), seed: 3
      ) { configuration in
        configuration.tcp.congestionControl = algorithm
        configuration.tcp.sendBufferSize = 4 << 20
        configuration.tcp.receiveBufferSize = 4 << 20
      }
      let result = scenario.run()
      #expect(result.completed && result.payloadIntact, "\(algorithm): \(result)")
      return result.goodputBitsPerSecond
    }
    let reno = goodput(.reno)
    let cubic = goodput(.cubic)
    print("20 MB, 100 ms RTT, 0.1 % loss: Reno \(reno / 1e6) Mbit/s, CUBIC \(cubic / 1e6) Mbit/s")
    #expect(cubic > reno)
  }
}
