/// What one direction of a link does to the frames that cross it, applied in this order:
/// loss, the rate limiter with its drop-tail queue, duplication, then per copy corruption,
/// delay with jitter, and reordering.
///
/// The default value is a perfect link with no delay. A plain value; change a port's
/// impairments between simulation steps to change the link.
public struct LinkImpairments: Sendable, Hashable {
  /// How frames are lost.
  public var loss: LossModel = .none
  /// Probability that a frame is held back by ``reorderDelay`` so later frames overtake it.
  public var reorderProbability: Double = 0
  /// The extra delay of a reordered frame.
  public var reorderDelay: Duration = .milliseconds(5)
  /// Probability that a frame is delivered twice.
  public var duplicationProbability: Double = 0
  /// Probability that one bit, anywhere in the frame, is flipped.
  public var corruptionProbability: Double = 0
  /// The one-way propagation delay.
  public var delay: Duration = .zero
  /// Each frame's delay varies uniformly within `delay ± jitter` (never below zero). Frames
  /// that are not reordered still arrive in the order they were sent.
  public var jitter: Duration = .zero
  /// The link rate in bits per second, or `nil` for no limit. Serialization counts the
  /// frame's bytes (no preamble or gap).
  public var rateBitsPerSecond: Int? = nil
  /// Bytes the rate limiter's queue holds, the frame being serialized included; a frame that
  /// does not fit is dropped (drop-tail). Only used with a rate.
  public var queueBytes: Int = 64 * 1024

  /// A perfect link with no delay.
  public init() {}

  /// A link with the given impairments; unspecified ones are off.
  public init(
    loss: LossModel = .none, delay: Duration = .zero, jitter: Duration = .zero,
    reorderProbability: Double = 0, reorderDelay: Duration = .milliseconds(5),
    duplicationProbability: Double = 0, corruptionProbability: Double = 0,
    rateBitsPerSecond: Int? = nil, queueBytes: Int = 64 * 1024
  ) {
    self.loss = loss
    self.delay = delay
    self.jitter = jitter
    self.reorderProbability = reorderProbability
    self.reorderDelay = reorderDelay
    self.duplicationProbability = duplicationProbability
    self.corruptionProbability = corruptionProbability
    self.rateBitsPerSecond = rateBitsPerSecond
    self.queueBytes = queueBytes
  }
}
