import Testing

@testable import UsnetStack

/// The sender's scoreboard: merging, cumulative ACKs, RFC 6675's IsLost and pipe, and bounded
/// memory.
@Suite struct SACKScoreboardTests {
  /// A sequence number `n` above an arbitrary base near the wrap.
  static func seq(_ n: Int) -> SequenceNumber { SequenceNumber(0xFFFF_F000) + n }

  @Test("blocks merge when they overlap or touch, and only new bytes are counted")
  func merging() {
    var board = SACKScoreboard()
    #expect(board.add(start: Self.seq(3000), end: Self.seq(4000)) == 1000)
    #expect(board.add(start: Self.seq(1000), end: Self.seq(2000)) == 1000)
    #expect(board.ranges.count == 2)
    #expect(board.add(start: Self.seq(1500), end: Self.seq(3000)) == 1000)  // bridges both
    #expect(board.ranges == [.init(start: Self.seq(1000), end: Self.seq(4000))])
    #expect(board.add(start: Self.seq(1000), end: Self.seq(4000)) == 0)
    #expect(board.sackedBytes == 3000)
    #expect(board.highestSACKed == Self.seq(4000))
  }

  @Test("a cumulative ACK drops and trims ranges below it and reports the SACKed bytes covered")
  func cumulativeACK() {
    var board = SACKScoreboard()
    board.add(start: Self.seq(1000), end: Self.seq(2000))
    board.add(start: Self.seq(3000), end: Self.seq(5000))
    #expect(board.removeAcknowledged(below: Self.seq(4000)) == 2000)
    #expect(board.ranges == [.init(start: Self.seq(4000), end: Self.seq(5000))])
    #expect(board.sackedBytes == 1000)
    #expect(board.removeAcknowledged(below: Self.seq(6000)) == 1000)
    #expect(board.isEmpty)
  }

  @Test("IsLost: three SACKed ranges above, or more than two segments' bytes above")
  func isLost() {
    let mss = 1000
    var board = SACKScoreboard()
    board.add(start: Self.seq(2000), end: Self.seq(3000))
    board.add(start: Self.seq(4000), end: Self.seq(5000))
    #expect(board.lossBoundary(duplicateThreshold: 3, maximumSegmentSize: mss) == nil)
    #expect(!board.isLost(Self.seq(0), duplicateThreshold: 3, maximumSegmentSize: mss))
    // A third discontiguous range: everything unSACKed below the lowest of the three is lost.
    board.add(start: Self.seq(6000), end: Self.seq(6100))
    #expect(board.lossBoundary(duplicateThreshold: 3, maximumSegmentSize: mss) == Self.seq(2000))
    #expect(board.isLost(Self.seq(1000), duplicateThreshold: 3, maximumSegmentSize: mss))
    #expect(!board.isLost(Self.seq(3500), duplicateThreshold: 3, maximumSegmentSize: mss))
    #expect(!board.isLost(Self.seq(2500), duplicateThreshold: 3, maximumSegmentSize: mss))
    // Bytes: 2001 SACKed bytes in one range above are more than (3 - 1) × MSS.
    var bytes = SACKScoreboard()
    bytes.add(start: Self.seq(1000), end: Self.seq(3000))
    #expect(bytes.lossBoundary(duplicateThreshold: 3, maximumSegmentSize: mss) == nil)
    bytes.add(start: Self.seq(3000), end: Self.seq(3001))
    #expect(bytes.lossBoundary(duplicateThreshold: 3, maximumSegmentSize: mss) == Self.seq(1000))
  }

  @Test("holes and unSACKed bytes between the ranges")
  func holes() {
    var board = SACKScoreboard()
    board.add(start: Self.seq(1000), end: Self.seq(2000))
    board.add(start: Self.seq(3000), end: Self.seq(4000))
    #expect(board.unSACKedBytes(from: Self.seq(0), to: Self.seq(5000)) == 3000)
    #expect(board.unSACKedBytes(from: Self.seq(1500), to: Self.seq(3500)) == 1000)
    #expect(board.firstHole(from: Self.seq(0), below: Self.seq(5000))! == (Self.seq(0), 1000))
    #expect(board.firstHole(from: Self.seq(1200), below: Self.seq(5000))! == (Self.seq(2000), 1000))
    #expect(board.firstHole(from: Self.seq(3000), below: Self.seq(5000))! == (Self.seq(4000), 1000))
    #expect(board.firstHole(from: Self.seq(3000), below: Self.seq(4000)) == nil)
    #expect(board.nextSACKedStart(after: Self.seq(1500)) == Self.seq(3000))
    #expect(board.sackedRange(containing: Self.seq(3999))?.start == Self.seq(3000))
    #expect(board.sackedRange(containing: Self.seq(4000)) == nil)
  }

  @Test("memory is bounded: beyond the capacity new ranges are dropped, never merged wrongly")
  func bounded() {
    var board = SACKScoreboard()
    for index in 0..<(SACKScoreboard.capacity + 10) {
      board.add(start: Self.seq(index * 100), end: Self.seq(index * 100 + 50))
    }
    #expect(board.ranges.count == SACKScoreboard.capacity)
    #expect(board.sackedBytes == SACKScoreboard.capacity * 50)
    // A block that extends an existing range still counts.
    #expect(board.add(start: Self.seq(50), end: Self.seq(60)) == 10)
  }
}

/// Proportional Rate Reduction (RFC 6937).
@Suite struct ProportionalRateReductionTests {
  @Test("RFC 6937's example: with ssthresh half of RecoverFS, one segment per two delivered")
  func proportionalPart() {
    let mss = 1000
    var prr = ProportionalRateReduction(recoverFlightSize: 20 * mss)
    var quotas: [Int] = []
    for _ in 0..<6 {
      let quota = prr.onACK(
        newlyDelivered: mss, pipe: 19 * mss, slowStartThreshold: 10 * mss, maximumSegmentSize: mss)
      quotas.append(quota)
      if quota >= mss { prr.noteSent(mss) }  // a whole segment fits: it goes
    }
    #expect(quotas == [500, 1000, 500, 1000, 500, 1000])
    #expect(prr.sent == 3 * mss && prr.delivered == 6 * mss)
  }

  @Test("below ssthresh the slow-start bound refills the pipe, one MSS beyond what was delivered")
  func slowStartReductionBound() {
    let mss = 1000
    var prr = ProportionalRateReduction(recoverFlightSize: 10 * mss)
    // Many segments were lost: the pipe is 2 segments, ssthresh 5.
    #expect(
      prr.onACK(
        newlyDelivered: mss, pipe: 2 * mss, slowStartThreshold: 5 * mss, maximumSegmentSize: mss)
        == 2 * mss)
    prr.noteSent(2 * mss)
    // A big delivery: limited by ssthresh − pipe.
    #expect(
      prr.onACK(
        newlyDelivered: 6 * mss, pipe: 3 * mss, slowStartThreshold: 5 * mss, maximumSegmentSize: mss
      )
        == 2 * mss)
  }
}
