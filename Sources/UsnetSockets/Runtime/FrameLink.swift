/// Where a ``MemoryDevice`` puts the frames it sends: the other end of a ``MemoryDevicePair``,
/// or a ``RealTimeSwitch`` port's way into the simulated switch.
///
/// Threading: ``carry(_:)`` is called from whichever thread sends (with that runtime's lock
/// held); it must be thread-safe and must not block.
protocol FrameLink: AnyObject, Sendable {
  /// Takes one frame onwards, or drops and counts it. Never blocks.
  func carry(_ frame: [UInt8])
}
