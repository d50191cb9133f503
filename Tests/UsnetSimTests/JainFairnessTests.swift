import Testing
import UsnetSim

/// Jain's fairness index, (Σx)² / (n·Σx²), on allocations whose index is known.
@Suite struct JainFairnessTests {
  @Test func equalSharesAreFair() {
    #expect(JainFairness.index([12.5, 12.5, 12.5, 12.5]) == 1)
    #expect(JainFairness.index([7]) == 1)
  }

  @Test func oneFlowTakingEverythingGivesOneOverN() {
    #expect(JainFairness.index([100, 0, 0, 0, 0, 0, 0, 0]) == 1.0 / 8)
  }

  @Test func kEqualSharesAndZerosGiveKOverN() {
    #expect(abs(JainFairness.index([5, 5, 5, 0, 0, 0, 0, 0]) - 3.0 / 8) < 1e-12)
  }

  @Test func knownValues() {
    // (1 + 2 + 3)² / (3 · (1 + 4 + 9)) = 36 / 42.
    #expect(abs(JainFairness.index([1, 2, 3]) - 36.0 / 42) < 1e-12)
    // (10 + 20)² / (2 · (100 + 400)) = 0.9.
    #expect(abs(JainFairness.index([10, 20]) - 0.9) < 1e-12)
  }

  @Test func theIndexDoesNotDependOnUnitOrOrder() {
    let megabits = [11.9, 10.6, 11.6, 14.1, 9.9, 7.5, 19.3, 11.3]
    let bits = megabits.map { $0 * 1e6 }
    let index = JainFairness.index(megabits)
    #expect(abs(JainFairness.index(bits) - index) < 1e-12)
    #expect(abs(JainFairness.index(megabits.reversed()) - index) < 1e-12)
    #expect(index > 1.0 / 8 && index < 1)
  }

  @Test func noAllocationHasIndexZero() {
    #expect(JainFairness.index([]) == 0)
    #expect(JainFairness.index([0, 0, 0]) == 0)
  }
}
