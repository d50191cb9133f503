/// Jain's fairness index of a set of allocations (R. Jain, D. Chiu, W. Hawe, DEC-TR-301,
/// 1984): `(Σx)² / (n · Σx²)`.
///
/// It is 1 when every allocation is equal and 1/n when one gets everything; k equal shares
/// and n − k zeros give k/n. It does not depend on the unit or scale of the values.
public enum JainFairness {
  /// The index of `allocations` (non-negative, like per-flow goodputs), from 1/n to 1.
  ///
  /// An empty list or one whose allocations are all zero has no meaningful index; it gets 0,
  /// so that it never passes a fairness threshold.
  public static func index(_ allocations: [Double]) -> Double {
    guard !allocations.isEmpty else { return 0 }
    var sum = 0.0
    var sumOfSquares = 0.0
    for value in allocations {
      sum += value
      sumOfSquares += value * value
    }
    guard sumOfSquares > 0 else { return 0 }
    return sum * sum / (Double(allocations.count) * sumOfSquares)
  }
}
