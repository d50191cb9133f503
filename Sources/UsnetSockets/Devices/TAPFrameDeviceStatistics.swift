import UsnetWire

/// What a ``TAPFrameDevice`` (or the frames part of a ``PacketFrameDeviceStatistics``) has
/// carried: frames each way, and how many used offloads.
///
/// A plain value; `Sendable`. A snapshot: the device keeps counting.
public struct TAPFrameDeviceStatistics: Hashable, Sendable {
  /// Frames read from the TAP.
  public var framesReceived = 0
  /// Frames read with a partial transport checksum (virtio-net `NEEDS_CSUM`): the kernel's
  /// own packets once checksum offload is on.
  public var framesWithPartialChecksum = 0
  /// Frames read with a checksum the kernel already verified (`DATA_VALID`).
  public var framesWithVerifiedChecksum = 0
  /// Frames read as GSO/GRO super-frames (a GSO type other than none).
  public var coalescedFramesReceived = 0
  /// The longest frame read, without the virtio-net header.
  public var largestFrameReceived = 0
  /// Frames written to the TAP.
  public var framesSent = 0
  /// Frames written as TSO super-segments (a GSO type other than none).
  public var segmentationFramesSent = 0
  /// The longest frame written, without the virtio-net header.
  public var largestFrameSent = 0

  /// Creates zeroed statistics.
  public init() {}
}

extension TAPFrameDeviceStatistics {
  /// Counts one received frame.
  mutating func recordReceived(
    _ frame: (buffer: [UInt8], range: Range<Int>, metadata: VirtioNetHeader)
  ) {
    framesReceived += 1
    if frame.metadata.flags.contains(.needsChecksum) { framesWithPartialChecksum += 1 }
    if frame.metadata.flags.contains(.dataValid) { framesWithVerifiedChecksum += 1 }
    if frame.metadata.gsoType != .none { coalescedFramesReceived += 1 }
    largestFrameReceived = Swift.max(largestFrameReceived, frame.range.count)
  }

  /// Counts one sent frame.
  mutating func recordSent(_ frame: [UInt8], metadata: VirtioNetHeader) {
    framesSent += 1
    if metadata.gsoType != .none { segmentationFramesSent += 1 }
    largestFrameSent = Swift.max(largestFrameSent, frame.count)
  }
}
