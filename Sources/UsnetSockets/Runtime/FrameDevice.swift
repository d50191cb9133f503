/// The link a ``UserspaceRuntime``'s engine thread drives: it sends Ethernet frames, hands
/// over the frames that arrived, and lets the engine sleep until a frame arrives, a deadline
/// passes or someone wakes it.
///
/// The in-memory ``MemoryDevice`` implements it today. A TAP or AF_PACKET device fits the same
/// shape: `receive` reads the fd until `EAGAIN`, `wait` is `ppoll` on the device fd plus an
/// eventfd, and `wake` writes that eventfd.
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
}
