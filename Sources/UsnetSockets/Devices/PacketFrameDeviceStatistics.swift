import UsnetDevice

/// What a ``PacketFrameDevice`` has carried, and what its socket and the kernel counted.
///
/// A plain value; `Sendable`. A snapshot: the device keeps counting.
public struct PacketFrameDeviceStatistics: Hashable, Sendable {
  /// Frames each way and how many used offloads (partial checksums, GSO frames in, TSO
  /// frames out).
  public var frames = TAPFrameDeviceStatistics()
  /// The kernel's counters (frames past the filter, drops, ring freezes) and the socket's
  /// (outgoing frames skipped, corrupt blocks, a full transmit ring).
  public var socket = PacketSocketStatistics()

  /// Creates zeroed statistics.
  public init() {}
}
