/// Two ``MemoryDevice``s joined back to back: an Ethernet cable in memory, for running two
/// ``UserspaceRuntime``s in one process in real time (tests, examples) without root.
///
/// Frames cross at once and in order, never lost or corrupted (so stacks on it may use
/// `ChecksumPolicy.trustedLink`). For delay, loss and reordering, put the devices on a
/// ``RealTimeSwitch`` instead.
///
/// Threading: thread-safe. Call ``disconnect()`` when done, or the two ends keep each other
/// alive.
public struct MemoryDevicePair: Sendable {
  /// The first end.
  public let a: MemoryDevice
  /// The second end.
  public let b: MemoryDevice

  /// Creates a joined pair whose inboxes each hold at most `queueLimit` frames (at least 1).
  public init(queueLimit: Int = 4096) {
    a = MemoryDevice(queueLimit: Swift.max(queueLimit, 1))
    b = MemoryDevice(queueLimit: Swift.max(queueLimit, 1))
    a.attach(to: b)
    b.attach(to: a)
  }

  /// Cuts the cable: later frames are dropped, and the ends no longer reference each other.
  public func disconnect() {
    a.detach()
    b.detach()
  }
}
