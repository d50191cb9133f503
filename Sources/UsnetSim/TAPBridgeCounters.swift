/// What a ``TAPBridgeEndpoint`` moved between its TAP and the switch.
///
/// Counted at the TAP, outside the port's link: frames lost on the link to or from the TAP
/// show in the port's ``LinkCounters``. A plain value.
public struct TAPBridgeCounters: Sendable, Hashable {
  /// Frames read from the TAP and handed to the switch port.
  public var framesRead = 0
  /// Bytes of those frames.
  public var bytesRead = 0
  /// The longest frame read, in bytes (Ethernet header included): at most 1514 on a TAP
  /// without a virtio-net header and a 1500-byte MTU, where the kernel segments and
  /// checksums every frame itself.
  public var largestFrameRead = 0
  /// Frames the port delivered that were written to the TAP.
  public var framesWritten = 0
  /// Bytes of those frames.
  public var bytesWritten = 0
  /// Reads that failed with an error other than "nothing queued".
  public var readErrors = 0
  /// Writes that failed (the frame was dropped).
  public var writeErrors = 0

  /// Zeroed counters.
  public init() {}
}
