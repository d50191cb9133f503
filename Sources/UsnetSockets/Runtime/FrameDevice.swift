import UsnetStack
import UsnetWire

/// The link a ``UserspaceRuntime``'s engine thread drives: it sends Ethernet frames, hands
/// over the frames that arrived, and lets the engine sleep until a frame arrives, a deadline
/// passes or someone wakes it.
///
/// The in-memory ``MemoryDevice``, the ``TAPFrameDevice`` and the ``PacketFrameDevice``
/// implement it. A device with
/// offloads (a virtio-net header) passes per-frame metadata both ways: the runtime takes
/// frames with the batch form of `receive(into:limit:)` and sends them with
/// ``send(_:metadata:)``, and the stack emits offloaded TCP segments when the device reports
/// ``transmitOffloads``. A device without offloads implements only the plain calls; the
/// defaults of the others forward to them.
///
/// Threading: `send` and `receive` are called with the runtime's lock held (never
/// concurrently with themselves), from the engine thread or an application thread; `wait`
/// without the lock, from the engine thread or, in a ``SingleThreadRuntime``, from a blocked
/// socket call; `wake` from any thread.
public protocol FrameDevice: AnyObject, Sendable {
  /// Sends one Ethernet frame. Does not block. A frame the device cannot take is dropped and
  /// counted, as a NIC drops it; the error says why.
  func send(_ frame: [UInt8]) throws(NetError)

  /// Appends up to `limit` received frames to `frames` without blocking and returns how many
  /// were appended (0 when none is waiting).
  func receive(into frames: inout [[UInt8]], limit: Int) throws(NetError) -> Int

  /// Blocks the calling (engine) thread until a frame is waiting, ``wake()`` was called since
  /// the last wait, or `deadline` (on `ContinuousClock`) passes; nil waits without a deadline.
  /// May return early.
  func wait(until deadline: ContinuousClock.Instant?) throws(NetError)

  /// Makes the current ``wait(until:)``, or the next one if none is in progress, return at
  /// once. Callable from any thread; never blocks.
  func wake()

  /// What the device finishes on outgoing TCP segments; the runtime configures its stack
  /// with it. Constant for the device's lifetime.
  var transmitOffloads: TransmitOffloads { get }

  /// Sends one frame with its offload metadata (all zero for a frame without offloads).
  /// Does not block; fails and drops like ``send(_:)``.
  func send(_ frame: [UInt8], metadata: VirtioNetHeader) throws(NetError)

  /// Appends up to `limit` received frames, with their metadata, to `batch` without blocking
  /// and returns how many were appended (0 when none is waiting).
  func receive(into batch: inout FrameBatch, limit: Int) throws(NetError) -> Int

  /// Hands the frames that ``send(_:metadata:)`` queued to the kernel (one system call for a
  /// batch, on a device with a transmit ring); the runtime calls it after each round of
  /// sends. Does not block; a device that sends each frame at once does nothing.
  func flush() throws(NetError)

  /// Called once when the runtime driving the device has shut down: the device completes
  /// what it writes (a pcap file) and removes what it created (a macvtap link). Blocks only
  /// for that; the default does nothing.
  func runtimeDidShutDown()
}

extension FrameDevice {
  /// Nothing to complete or remove.
  public func runtimeDidShutDown() {}

  /// No offloads.
  public var transmitOffloads: TransmitOffloads { [] }

  /// Sends `frame` with ``send(_:)``; a device without ``transmitOffloads`` is never given
  /// metadata other than all zero.
  public func send(_ frame: [UInt8], metadata: VirtioNetHeader) throws(NetError) {
    try send(frame)
  }

  /// Does nothing: each frame left in its own `send`.
  public func flush() throws(NetError) {}

  /// Takes the frames from the array form of `receive(into:limit:)` into `batch` (without
  /// copying their bytes), with no metadata.
  public func receive(into batch: inout FrameBatch, limit: Int) throws(NetError) -> Int {
    var frames: [[UInt8]] = []
    let count = try receive(into: &frames, limit: limit)
    for frame in frames { batch.append(frame) }
    return count
  }
}
