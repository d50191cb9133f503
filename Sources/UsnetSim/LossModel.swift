/// How a link direction loses frames.
public enum LossModel: Sendable, Hashable {
  /// Every frame arrives.
  case none
  /// Each frame is lost independently with this probability (0...1).
  case bernoulli(Double)
  /// Bursty loss from a two-state Markov chain (see ``GilbertElliott``).
  case gilbertElliott(GilbertElliott)
}

/// The Gilbert–Elliott bursty loss model: a Markov chain with a good and a bad state, each
/// with its own loss probability. The chain moves once per frame, before the loss draw.
///
/// The average loss rate is `πB·lossInBad + (1−πB)·lossInGood` with
/// `πB = goodToBad / (goodToBad + badToGood)`; a stay in the bad state lasts
/// `1 / badToGood` frames on average.
public struct GilbertElliott: Sendable, Hashable {
  /// Probability of moving from the good to the bad state, per frame.
  public var goodToBad: Double
  /// Probability of moving from the bad to the good state, per frame.
  public var badToGood: Double
  /// Loss probability in the good state.
  public var lossInGood: Double
  /// Loss probability in the bad state.
  public var lossInBad: Double

  /// Creates a model; probabilities outside 0...1 are clamped when used.
  public init(
    goodToBad: Double, badToGood: Double, lossInGood: Double = 0, lossInBad: Double = 1
  ) {
    self.goodToBad = goodToBad
    self.badToGood = badToGood
    self.lossInGood = lossInGood
    self.lossInBad = lossInBad
  }

  /// The long-run fraction of frames lost.
  public var averageLoss: Double {
    let total = goodToBad + badToGood
    guard total > 0 else { return lossInGood }
    let bad = goodToBad / total
    return bad * lossInBad + (1 - bad) * lossInGood
  }
}
