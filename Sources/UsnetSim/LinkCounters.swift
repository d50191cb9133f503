/// What happened to the frames that entered one direction of a port's link.
///
/// Every offered frame is either dropped for exactly one reason or delivered; duplicates add
/// deliveries. A plain value.
public struct LinkCounters: Sendable, Hashable {
  /// Frames that entered the link.
  public var offered = 0
  /// Frames delivered at the far end (duplicates included).
  public var delivered = 0
  /// Frames lost by the loss model.
  public var lost = 0
  /// Frames dropped because the rate limiter's queue was full.
  public var queueDrops = 0
  /// Frames dropped because they exceeded the port's MTU.
  public var mtuDrops = 0
  /// ICMP fragmentation-needed messages sent for such frames.
  public var fragmentationNeededSent = 0
  /// Frames too short to carry an Ethernet header.
  public var runts = 0
  /// Extra copies made by duplication.
  public var duplicated = 0
  /// Frames with a flipped bit.
  public var corrupted = 0
  /// Frames held back to be overtaken.
  public var reordered = 0

  /// Zeroed counters.
  public init() {}
}
