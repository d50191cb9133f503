import UsnetWire

/// Received frames on their way from a ``FrameDevice`` to the stack: each frame is a range of
/// a buffer, with the offload metadata (virtio-net header) the device delivered it with.
///
/// The buffers stay in the batch after ``removeAll()``, so a device that reads into them with
/// ``fillNext(capacity:_:)`` allocates nothing per frame once the batch is warm.
///
/// Threading: a plain value, not thread-safe; the runtime keeps one under its lock.
public struct FrameBatch: Sendable {
  private var buffers: [[UInt8]] = []
  private var ranges: [Range<Int>] = []
  private var metadata: [VirtioNetHeader] = []

  /// The number of frames in the batch.
  public private(set) var count = 0

  /// Creates an empty batch.
  public init() {}

  /// Empties the batch, keeping its buffers for reuse.
  public mutating func removeAll() {
    count = 0
  }

  /// Appends `frame` whole, taking over its storage (no copy).
  public mutating func append(_ frame: [UInt8], metadata: VirtioNetHeader = VirtioNetHeader()) {
    if count < buffers.count {
      buffers[count] = frame
      ranges[count] = 0..<frame.count
      self.metadata[count] = metadata
    } else {
      buffers.append(frame)
      ranges.append(0..<frame.count)
      self.metadata.append(metadata)
    }
    count += 1
  }

  /// Lets `fill` write the next frame into a reused buffer of at least `capacity` bytes (its
  /// contents are what the previous frame left there) and appends it when `fill` returns the
  /// frame's range in the buffer and its metadata; returns whether it did. When `fill`
  /// returns nil or throws, the batch is unchanged.
  public mutating func fillNext<Failure: Error>(
    capacity: Int,
    _ fill: (inout [UInt8]) throws(Failure) -> (range: Range<Int>, metadata: VirtioNetHeader)?
  ) throws(Failure) -> Bool {
    if count == buffers.count {
      buffers.append([])
      ranges.append(0..<0)
      metadata.append(VirtioNetHeader())
    }
    if buffers[count].count < capacity {
      buffers[count].append(contentsOf: repeatElement(0, count: capacity - buffers[count].count))
    }
    guard let (range, frameMetadata) = try fill(&buffers[count]) else { return false }
    ranges[count] = range.clamped(to: 0..<buffers[count].count)
    metadata[count] = frameMetadata
    count += 1
    return true
  }

  /// The frame at `index` (0..<``count``): its buffer, the frame's range in it, and its
  /// metadata. Returns the buffer without copying its bytes.
  public func frame(
    at index: Int
  ) -> (buffer: [UInt8], range: Range<Int>, metadata: VirtioNetHeader) {
    (buffers[index], ranges[index], metadata[index])
  }
}
