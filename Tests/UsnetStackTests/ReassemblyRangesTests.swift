import Testing

@testable import UsnetStack

@Suite struct ReassemblyRangesTests {
  @Test func emptySet() {
    var set = ReassemblyRanges()
    #expect(set.isEmpty)
    #expect(set.count == 0)
    #expect(set.ranges == [])
    #expect(set.totalBytes == 0)
    #expect(set.first == nil)
    #expect(set.advance(by: 10) == 0)
    #expect(set.insert(3..<3) == 0)
    #expect(set.isEmpty)
  }

  @Test func disjointRangesStaySorted() {
    var set = ReassemblyRanges()
    #expect(set.insert(20..<25) == 5)
    #expect(set.insert(5..<10) == 5)
    #expect(set.insert(12..<14) == 2)
    #expect(set.ranges == [5..<10, 12..<14, 20..<25])
    #expect(set.count == 3)
    #expect(set.totalBytes == 12)
    #expect(set.first == 5..<10)
  }

  @Test func coveredBytesCountsTheOverlap() {
    var set = ReassemblyRanges()
    #expect(set.coveredBytes(in: 0..<100) == 0)
    set.insert(5..<10)
    set.insert(20..<30)
    #expect(set.coveredBytes(in: 0..<5) == 0)
    #expect(set.coveredBytes(in: 10..<20) == 0)
    #expect(set.coveredBytes(in: 6..<8) == 2)
    #expect(set.coveredBytes(in: 8..<22) == 4)
    #expect(set.coveredBytes(in: 0..<100) == 15)
    #expect(set.coveredBytes(in: -5..<7) == 2)
    #expect(set.coveredBytes(in: 25..<25) == 0)
    // Relative to a moved left edge.
    #expect(set.advance(by: 5) == 5)
    #expect(set.coveredBytes(in: 0..<20) == 10)
    #expect(set.coveredBytes(in: 10..<12) == 2)
  }

  @Test func overlapMerges() {
    var set = ReassemblyRanges()
    set.insert(10..<20)
    #expect(set.insert(15..<25) == 5)
    #expect(set.ranges == [10..<25])
    #expect(set.insert(5..<12) == 5)
    #expect(set.ranges == [5..<25])
    #expect(set.totalBytes == 20)
  }

  @Test func adjacencyMerges() {
    var set = ReassemblyRanges()
    set.insert(10..<20)
    #expect(set.insert(20..<30) == 10)
    #expect(set.insert(5..<10) == 5)
    #expect(set.ranges == [5..<30])
    #expect(set.count == 1)
  }

  @Test func containmentAddsNothingOrSwallows() {
    var set = ReassemblyRanges()
    set.insert(10..<30)
    #expect(set.insert(12..<20) == 0)
    #expect(set.insert(10..<30) == 0)
    #expect(set.ranges == [10..<30])
    set.insert(40..<45)
    set.insert(50..<55)
    // One range covering several, with gaps between them.
    #expect(set.insert(8..<60) == 52 - 30)
    #expect(set.ranges == [8..<60])
    #expect(set.totalBytes == 52)
  }

  @Test func bridgingTwoRanges() {
    var set = ReassemblyRanges()
    set.insert(0..<5)
    set.insert(10..<15)
    #expect(set.insert(5..<10) == 5)
    #expect(set.ranges == [0..<15])
  }

  @Test func advanceDeliversTheRangeAtTheEdge() {
    var set = ReassemblyRanges()
    set.insert(5..<10)
    #expect(set.advance(by: 5) == 5)
    #expect(set.isEmpty)
    #expect(set.totalBytes == 0)
  }

  @Test func advanceShiftsRemainingRanges() {
    var set = ReassemblyRanges()
    set.insert(5..<10)
    set.insert(15..<20)
    #expect(set.advance(by: 3) == 0)
    #expect(set.ranges == [2..<7, 12..<17])
    #expect(set.advance(by: 2) == 5)
    // The edge moved 2 then past the 5 delivered bytes.
    #expect(set.ranges == [5..<10])
    #expect(set.totalBytes == 5)
  }

  @Test func advanceOverlappingRangesDropsDuplicates() {
    var set = ReassemblyRanges()
    set.insert(5..<10)
    set.insert(12..<20)
    // An in-order segment of 7 bytes covered 0..<7, overlapping the first range.
    #expect(set.advance(by: 7) == 3)
    #expect(set.ranges == [2..<10])
    // A big segment passes everything.
    #expect(set.advance(by: 100) == 0)
    #expect(set.isEmpty)
    #expect(set.totalBytes == 0)
  }

  @Test func insertBelowTheEdgeIsClipped() {
    var set = ReassemblyRanges()
    #expect(set.insert(-5..<3) == 3)
    #expect(set.insert(-5..<0) == 0)
    #expect(set.ranges == [0..<3])
    #expect(set.advance(by: 0) == 3)
    #expect(set.isEmpty)
  }

  @Test func hugeOffsetsDoNotTrap() {
    var set = ReassemblyRanges()
    set.insert(10..<20)
    #expect(set.advance(by: 5) == 0)
    #expect(set.insert((Int.max - 10)..<Int.max) > 0)
    #expect(set.advance(by: Int.max) == 0)
    #expect(set.advance(by: -4) == 0)
  }

  @Test func newestFirst() {
    var set = ReassemblyRanges()
    set.insert(10..<20)
    set.insert(40..<50)
    set.insert(30..<35)
    #expect(set.rangesNewestFirst(limit: 4) == [30..<35, 40..<50, 10..<20])
    #expect(set.rangesNewestFirst(limit: 2) == [30..<35, 40..<50])
    // Extending a range makes it the newest.
    set.insert(15..<22)
    #expect(set.rangesNewestFirst(limit: 3) == [10..<22, 30..<35, 40..<50])
    // Merging two ranges keeps one entry.
    set.insert(34..<41)
    #expect(set.rangesNewestFirst(limit: 3) == [30..<50, 10..<22])
    var reused: [Range<Int>] = []
    reused.reserveCapacity(4)
    set.rangesNewestFirst(limit: 1, into: &reused)
    #expect(reused == [30..<50])
    #expect(set.rangesNewestFirst(limit: 0) == [])
  }

  @Test func removeAll() {
    var set = ReassemblyRanges()
    set.insert(4..<8)
    _ = set.advance(by: 1)
    set.removeAll()
    #expect(set.isEmpty)
    #expect(set.totalBytes == 0)
    set.insert(1..<2)
    #expect(set.ranges == [1..<2])
  }

  /// Random inserts and advances against a model set of absolute byte positions.
  @Test(arguments: [1, 2, 3, 4] as [UInt64])
  func matchesModel(seed: UInt64) {
    var random = SeededRandom(seed: seed)
    var set = ReassemblyRanges()
    var covered = Set<Int>()  // absolute positions
    var edge = 0  // absolute
    var stamps: [Int: Int] = [:]  // absolute position -> last insert that touched its range
    var step = 0
    for _ in 0..<5_000 {
      step += 1
      if Int.random(in: 0..<4, using: &random) == 0 {
        let n = Int.random(in: 0...12, using: &random)
        var expected = 0
        edge += n
        covered = covered.filter { $0 >= edge }
        while covered.contains(edge) {
          covered.remove(edge)
          edge += 1
          expected += 1
        }
        #expect(set.advance(by: n) == expected)
      } else {
        let lower = Int.random(in: -4...60, using: &random)
        let upper = lower + Int.random(in: 0...10, using: &random)
        let clipped = max(lower, 0)..<max(upper, lower, 0)
        var expected = 0
        for offset in clipped {
          if covered.insert(edge + offset).inserted { expected += 1 }
          stamps[edge + offset] = step
        }
        #expect(set.insert(lower..<upper) == expected)
      }
      // Rebuild the expected ranges from the covered positions.
      var expectedRanges: [Range<Int>] = []
      for position in covered.sorted() {
        let offset = position - edge
        if let last = expectedRanges.last, last.upperBound == offset {
          expectedRanges[expectedRanges.count - 1] = last.lowerBound..<(offset + 1)
        } else {
          expectedRanges.append(offset..<(offset + 1))
        }
      }
      #expect(set.ranges == expectedRanges)
      #expect(set.count == expectedRanges.count)
      #expect(set.totalBytes == covered.count)
      #expect(set.isEmpty == covered.isEmpty)
      // Newest first: ordered by the latest insert that touched each range.
      let newest = set.rangesNewestFirst(limit: 3)
      let byRecency = expectedRanges.sorted {
        let a = $0.map { stamps[edge + $0] ?? 0 }.max() ?? 0
        let b = $1.map { stamps[edge + $0] ?? 0 }.max() ?? 0
        return a > b
      }
      #expect(newest == Array(byRecency.prefix(3)))
    }
  }
}
