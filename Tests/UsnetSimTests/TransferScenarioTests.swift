import Testing
import UsnetSim
import UsnetStack
import UsnetWire

/// 20 MB from A to B over a 50 ms RTT path, one test per impairment profile. Every run is
/// deterministic (seed 1) and prints its result; the virtual-time bounds are measured times
/// with headroom (CUBIC, the default, finishes well inside the bounds measured under Reno).
/// TCP has no SACK yet, so lossy profiles recover by NewReno and timeouts and are slow.
@Suite("Transfer scenarios, 20 MB over 50 ms RTT")
struct TransferScenarioTests {
  static let megabytes20 = 20_000_000

  func transfer(
    _ impairments: LinkImpairments, within bound: Duration,
    mtuChanges: [(after: Duration, mtu: Int)] = []
  ) -> TransferResult {
    var scenario = TransferScenario(
      bytes: Self.megabytes20, rtt: .milliseconds(50), impairments: impairments, seed: 1)
    scenario.mtuChanges = mtuChanges
    scenario.timeLimit = bound
    let result = scenario.run()
    print(result)
    #expect(result.completed, "\(result)")
    #expect(result.payloadIntact, "\(result)")
    #expect(result.sentDigest == result.receivedDigest)
    #expect(result.bytes == Self.megabytes20)
    #expect(result.completionTime <= bound)
    return result
  }

  @Test("no impairment: within 5 s virtual, no retransmissions")
  func clean() {
    let result = transfer(LinkImpairments(), within: .seconds(5))
    #expect(result.retransmissions == 0)
  }

  @Test("1 % loss each way: within 120 s virtual")
  func loss1() {
    let result = transfer(LinkImpairments(loss: .bernoulli(0.01)), within: .seconds(120))
    #expect(result.fastRetransmits > 0)
  }

  @Test("5 % loss each way: within 330 s virtual")
  func loss5() {
    let result = transfer(LinkImpairments(loss: .bernoulli(0.05)), within: .seconds(330))
    #expect(result.retransmissions > 0)
  }

  @Test("10 % loss each way: within 700 s virtual")
  func loss10() {
    let result = transfer(LinkImpairments(loss: .bernoulli(0.10)), within: .seconds(700))
    #expect(result.timeouts > 0)
  }

  @Test("Gilbert–Elliott bursts (about 2 % loss, bursts of 4): within 650 s virtual")
  func gilbertElliott() {
    let bursts = GilbertElliott(goodToBad: 0.005, badToGood: 0.25)
    let result = transfer(LinkImpairments(loss: .gilbertElliott(bursts)), within: .seconds(650))
    #expect(result.receiverLink.toEndpoint.lost > 0)
  }

  @Test("5 % reordering by 5 ms each way: within 130 s virtual")
  func reorder5() {
    let result = transfer(LinkImpairments(reorderProbability: 0.05), within: .seconds(130))
    #expect(result.receiverLink.toEndpoint.reordered > 0)
    #expect(result.timeouts == 0)
  }

  @Test("2 % duplication each way: within 5 s virtual")
  func duplication2() {
    let result = transfer(LinkImpairments(duplicationProbability: 0.02), within: .seconds(5))
    #expect(result.receiverLink.toEndpoint.duplicated > 0)
    #expect(result.retransmissions == 0)
  }

  @Test("1 % corruption each way, caught by checksums: within 120 s virtual")
  func corruption1() {
    let result = transfer(LinkImpairments(corruptionProbability: 0.01), within: .seconds(120))
    let corrupted = result.receiverLink.toEndpoint.corrupted
    let caught =
      result.receiverCounters[.ipv4BadChecksum] + result.receiverCounters[.malformedTCP]
    #expect(corrupted > 100)
    // Flips in the Ethernet header are dropped for other reasons (or harmless: source MAC).
    #expect(caught <= corrupted && caught * 10 >= corrupted * 9)
  }

  @Test("20 Mbit/s with a 16 KB drop-tail queue: within 16 s virtual")
  func rateLimitSmallQueue() {
    let result = transfer(
      LinkImpairments(rateBitsPerSecond: 20_000_000, queueBytes: 16_000), within: .seconds(16))
    #expect(result.receiverLink.toEndpoint.queueDrops > 0)
    #expect(result.goodputBitsPerSecond < 20_000_000)
  }

  @Test("MTU 1500 -> 1280 after 1 s, ICMP fragmentation needed: within 5 s virtual")
  func mtuDropWithICMP() {
    let result = transfer(
      LinkImpairments(), within: .seconds(5), mtuChanges: [(after: .seconds(1), mtu: 1280)])
    #expect(result.receiverLink.toEndpoint.fragmentationNeededSent > 0)
    #expect(result.timeouts == 0)
  }

  @Test("combined: loss, jitter, reordering, duplication, corruption, rate, MTU drop: 200 s")
  func combination() {
    let combined = LinkImpairments(
      loss: .bernoulli(0.01), jitter: .milliseconds(2), reorderProbability: 0.02,
      duplicationProbability: 0.01, corruptionProbability: 0.005,
      rateBitsPerSecond: 50_000_000, queueBytes: 64_000)
    // Measured 134.0 s.
    let result = transfer(
      combined, within: .seconds(200), mtuChanges: [(after: .seconds(2), mtu: 1280)])
    let link = result.receiverLink.toEndpoint
    #expect(link.lost > 0 && link.reordered > 0 && link.duplicated > 0 && link.corrupted > 0)
    #expect(link.fragmentationNeededSent > 0)
  }

  @Test("a black-holed MTU drop stalls the transfer, which is reported, not waited out")
  func stallIsReported() {
    // Without black-hole detection (RFC 4821 probing), nothing gets past the smaller MTU.
    var scenario = TransferScenario(bytes: 2_000_000, rtt: .milliseconds(50), seed: 1) {
      $0.tcp.pathMTUProbing = false
    }
    scenario.mtuPolicy = .drop
    scenario.mtuChanges = [(after: .milliseconds(100), mtu: 1280)]
    scenario.timeLimit = .seconds(30)
    let result = scenario.run()
    #expect(!result.completed)
    #expect(!result.payloadIntact)
    #expect(result.bytes < 2_000_000)
    #expect(result.failure?.contains("stalled") == true)
    #expect(result.timeouts > 0)
  }
}
