import Testing
import UsnetSim
import UsnetStack
import UsnetWire

@Suite("Link impairments")
struct LinkImpairmentTests {
  @Test("Bernoulli loss drops about the configured fraction, independently")
  func bernoulliLoss() {
    let net = TwoPorts()
    net.portB.toEndpoint = LinkImpairments(loss: .bernoulli(0.1))
    net.sendAToB(count: 20_000, interval: .microseconds(100))
    let counters = net.portB.toEndpointCounters
    #expect(counters.offered == 20_000)
    #expect(counters.lost + counters.delivered == 20_000)
    #expect(net.b.received.count == counters.delivered)
    let rate = Double(counters.lost) / 20_000
    #expect(rate > 0.09 && rate < 0.11)
    // Independent losses: mean run of consecutive losses close to 1 / (1 - p) ≈ 1.11.
    #expect(meanLossBurst(net.b.received.map { TestFrames.sequence(of: $0.frame) }, 20_000) < 1.3)
  }

  @Test("Gilbert–Elliott loss has the model's average rate and comes in bursts")
  func gilbertElliottBursts() {
    let model = GilbertElliott(goodToBad: 0.01, badToGood: 0.2)
    #expect(abs(model.averageLoss - 0.01 / 0.21) < 1e-12)
    let net = TwoPorts()
    net.portB.toEndpoint = LinkImpairments(loss: .gilbertElliott(model))
    net.sendAToB(count: 40_000, interval: .microseconds(100))
    let rate = Double(net.portB.toEndpointCounters.lost) / 40_000
    #expect(rate > 0.035 && rate < 0.06)
    // A stay in the bad state lasts 1 / 0.2 = 5 frames on average.
    let burst = meanLossBurst(net.b.received.map { TestFrames.sequence(of: $0.frame) }, 40_000)
    #expect(burst > 4 && burst < 6)
  }

  @Test("jitter keeps every delay within delay ± jitter and uses the whole range")
  func jitterBounds() {
    let net = TwoPorts()
    net.portB.toEndpoint = LinkImpairments(
      delay: .milliseconds(10), jitter: .milliseconds(3))
    net.sendAToB(count: 2_000, interval: .milliseconds(10))
    let delays = net.b.received.map { entry in
      entry.time - Instant.milliseconds(10 * Int64(TestFrames.sequence(of: entry.frame)))
    }
    #expect(delays.count == 2_000)
    #expect(delays.allSatisfy { $0 >= .milliseconds(7) && $0 <= .milliseconds(13) })
    #expect(delays.contains { $0 < .milliseconds(7) + .microseconds(300) })
    #expect(delays.contains { $0 > .milliseconds(13) - .microseconds(300) })
  }

  @Test("jitter alone never reorders frames")
  func jitterKeepsOrder() {
    let net = TwoPorts()
    net.portB.toEndpoint = LinkImpairments(delay: .milliseconds(10), jitter: .milliseconds(5))
    net.sendAToB(count: 2_000, interval: .microseconds(200))
    let sequences = net.b.received.map { TestFrames.sequence(of: $0.frame) }
    #expect(sequences == Array(0..<2_000))
  }

  @Test("reordering holds back the configured fraction so later frames overtake it")
  func reordering() {
    let net = TwoPorts()
    net.portB.toEndpoint = LinkImpairments(
      delay: .milliseconds(1), reorderProbability: 0.05, reorderDelay: .milliseconds(3))
    net.sendAToB(count: 10_000, interval: .milliseconds(1))
    let sequences = net.b.received.map { TestFrames.sequence(of: $0.frame) }
    #expect(sequences.count == 10_000)
    #expect(sequences.sorted() == Array(0..<10_000))
    let reordered = net.portB.toEndpointCounters.reordered
    #expect(reordered > 400 && reordered < 600)
    // Each held-back frame is overtaken: it arrives after its successor.
    var late = 0
    for (position, sequence) in sequences.enumerated() where position + 1 < sequences.count {
      if sequence > sequences[position + 1] { late += 1 }
    }
    #expect(late > 0 && late <= reordered)
  }

  @Test("duplication delivers the configured fraction twice")
  func duplication() {
    let net = TwoPorts()
    net.portB.toEndpoint = LinkImpairments(duplicationProbability: 0.02)
    net.sendAToB(count: 20_000, interval: .microseconds(100))
    let counters = net.portB.toEndpointCounters
    #expect(counters.duplicated > 320 && counters.duplicated < 480)
    #expect(net.b.received.count == 20_000 + counters.duplicated)
    #expect(Set(net.b.received.map { TestFrames.sequence(of: $0.frame) }).count == 20_000)
  }

  @Test("corruption flips exactly one bit of a corrupted frame, anywhere in it")
  func corruptionFlipsOneBit() {
    let net = TwoPorts()
    // Corrupt on the link out to B so A's address is learned intact first.
    net.portB.toEndpoint = LinkImpairments(corruptionProbability: 1)
    net.sendAToB(count: 2_000, interval: .microseconds(100), length: 64)
    #expect(net.portB.toEndpointCounters.corrupted == 2_000)
    #expect(net.b.received.count == 2_000)
    var positions = Set<Int>()
    for (sequence, entry) in net.b.received.enumerated() {
      // Without reordering, the n-th delivery is frame n.
      let original = TestFrames.ethernet(
        from: TestFrames.mac(1), to: TestFrames.mac(2), sequence: sequence, length: 64)
      var flipped = 0
      for index in 0..<64 where original[index] != entry.frame[index] {
        flipped += (original[index] ^ entry.frame[index]).nonzeroBitCount
        positions.insert(index)
      }
      #expect(flipped == 1)
    }
    // Flips land everywhere, headers included.
    #expect(positions.contains { $0 < 14 })
    #expect(positions.count > 50)
  }

  @Test("the rate limiter serializes frames back to back and drops at the tail of its queue")
  func rateLimiterDropTail() {
    let net = TwoPorts()
    // 8 Mbit/s: 1 000-byte frames take 1 ms each; the queue holds five of them.
    net.portB.toEndpoint = LinkImpairments(
      delay: .milliseconds(2), rateBitsPerSecond: 8_000_000, queueBytes: 5_000)
    for index in 0..<10 {
      net.a.outbox.append(
        TestFrames.ethernet(
          from: TestFrames.mac(1), to: TestFrames.mac(2), sequence: index, length: 1_000))
    }
    net.simulation.advance(by: .seconds(1))
    let counters = net.portB.toEndpointCounters
    #expect(counters.queueDrops == 5)
    #expect(net.b.received.map { TestFrames.sequence(of: $0.frame) } == [0, 1, 2, 3, 4])
    #expect(net.b.received.map(\.time) == (1...5).map { Instant.milliseconds(2 + Int64($0)) })
    // Once the queue drained, frames are accepted again.
    net.a.outbox.append(
      TestFrames.ethernet(
        from: TestFrames.mac(1), to: TestFrames.mac(2), sequence: 10, length: 1_000))
    net.simulation.advance(by: .seconds(1))
    #expect(net.b.received.count == 6)
  }

  @Test("queued bytes leave as they are serialized: a steady stream below the rate never drops")
  func rateLimiterBelowRate() {
    let net = TwoPorts()
    net.portB.toEndpoint = LinkImpairments(rateBitsPerSecond: 8_000_000, queueBytes: 2_000)
    net.sendAToB(count: 1_000, interval: .microseconds(1_100), length: 1_000)
    #expect(net.portB.toEndpointCounters.queueDrops == 0)
    #expect(net.b.received.count == 1_000)
  }
}

/// The mean length of runs of consecutive missing sequence numbers in `0..<total`.
func meanLossBurst(_ received: [Int], _ total: Int) -> Double {
  var present = [Bool](repeating: false, count: total)
  for sequence in received where sequence < total { present[sequence] = true }
  var bursts = 0
  var lost = 0
  var previousLost = false
  for isPresent in present {
    if !isPresent {
      lost += 1
      if !previousLost { bursts += 1 }
    }
    previousLost = !isPresent
  }
  return bursts == 0 ? 0 : Double(lost) / Double(bursts)
}
