/// A byte ring of fixed capacity, which only ``grow(to:)`` raises. Storage is allocated once
/// (lazily on first write) and reused; growing allocates it anew, once per growth.
///
/// The ring holds `count` readable bytes starting at its head. It serves both directions of a TCP
/// connection: the send buffer (``append(_:range:)`` from the application, ``copy(fromOffset:count:
/// into:at:)`` to cut segments, ``discard(_:)`` when acknowledged) and the receive buffer
/// (``append(_:range:)`` for in-order data, ``write(_:range:atOffset:)`` plus ``commit(_:)`` for
/// out-of-order data, ``read(into:range:)`` by the application).
///
/// Every copy is at most two array slice assignments (one on each side of the wrap point), which
/// compile to `memcpy`. Offsets, counts and ranges supplied by callers are clamped to what is
/// valid, never trapped on. A plain value type, not thread-safe: owned by one engine.
public struct ByteRing: Sendable {
  /// The bytes; empty until the first write, then exactly `capacity` long.
  private var storage: [UInt8] = []
  /// Index in `storage` of the first readable byte (always `< capacity`, or 0).
  private var head = 0
  /// Number of readable bytes.
  private var readable = 0

  /// The maximum number of bytes the ring holds.
  public private(set) var capacity: Int

  /// Creates an empty ring of `capacity` bytes (negative values count as 0). Allocates nothing
  /// until the first write.
  public init(capacity: Int) {
    self.capacity = Swift.max(0, capacity)
  }

  /// The number of readable bytes.
  public var count: Int { readable }

  /// The number of bytes that can still be appended: `capacity - count`.
  public var freeSpace: Int { capacity - readable }

  /// Whether there are no readable bytes.
  public var isEmpty: Bool { readable == 0 }

  /// Appends `source[range]`, or as much of it as fits; returns the number of bytes taken.
  ///
  /// `range` is clamped to `source`'s indices. Overwrites anything previously placed beyond the
  /// readable bytes with ``write(_:range:atOffset:)``.
  @discardableResult
  public mutating func append(_ source: [UInt8], range: Range<Int>) -> Int {
    let range = range.clamped(to: source.startIndex..<source.endIndex)
    let n = Swift.min(range.count, capacity - readable)
    guard n > 0 else { return 0 }
    copyIn(source, from: range.lowerBound, count: n, toOffset: readable)
    readable += n
    return n
  }

  /// Writes `source[range]` at `offset` bytes from the head, beyond the readable bytes, without
  /// making it readable; returns the number of bytes written. Used for out-of-order TCP data:
  /// ``commit(_:)`` makes such bytes readable once the gap before them is filled.
  ///
  /// The part that would land below `count` (already readable) is skipped, and the part beyond
  /// `capacity` is cut off; `range` is clamped to `source`'s indices.
  public mutating func write(_ source: [UInt8], range: Range<Int>, atOffset offset: Int) -> Int {
    let range = range.clamped(to: source.startIndex..<source.endIndex)
    var sourceStart = range.lowerBound
    var n = range.count
    var offset = offset
    guard n > 0, offset < capacity, offset > readable - n else { return 0 }
    if offset < readable {
      let skip = readable - offset
      sourceStart += skip
      n -= skip
      offset = readable
    }
    n = Swift.min(n, capacity - offset)
    copyIn(source, from: sourceStart, count: n, toOffset: offset)
    return n
  }

  /// Makes `count` bytes after the readable ones readable (after ``write(_:range:atOffset:)``).
  ///
  /// Clamped to `0...freeSpace`. Committing bytes that were never written exposes stale data.
  public mutating func commit(_ count: Int) {
    let n = Swift.max(0, Swift.min(count, capacity - readable))
    guard n > 0 else { return }
    allocateStorageIfNeeded()
    readable += n
  }

  /// Copies the readable bytes `[offset, offset + count)` into `destination` starting at
  /// `destinationOffset`, without consuming them. At most two `memcpy`s.
  ///
  /// The request is clamped to the readable bytes and to the room in `destination`.
  public func copy(
    fromOffset offset: Int, count: Int, into destination: inout [UInt8], at destinationOffset: Int
  ) {
    guard offset >= 0, offset < readable, destinationOffset >= 0,
      destinationOffset < destination.count
    else { return }
    let n = Swift.min(count, readable - offset, destination.count - destinationOffset)
    guard n > 0 else { return }
    copyOut(fromOffset: offset, count: n, into: &destination, at: destinationOffset)
  }

  /// Copies up to `range.count` readable bytes into `destination[range]` and consumes them;
  /// returns the number of bytes read. `range` is clamped to `destination`'s indices.
  public mutating func read(into destination: inout [UInt8], range: Range<Int>) -> Int {
    let range = range.clamped(to: destination.startIndex..<destination.endIndex)
    let n = Swift.min(range.count, readable)
    guard n > 0 else { return 0 }
    copyOut(fromOffset: 0, count: n, into: &destination, at: range.lowerBound)
    discard(n)
    return n
  }

  /// Consumes `count` bytes from the head (clamped to `0...count`).
  ///
  /// Bytes written beyond the readable ones keep their offsets relative to the old head minus
  /// `count`, as TCP sequence offsets do.
  public mutating func discard(_ count: Int) {
    let n = Swift.max(0, Swift.min(count, readable))
    guard n > 0 else { return }
    head = physicalIndex(n)
    readable -= n
  }

  /// Raises the capacity to `newCapacity` (smaller values change nothing), keeping every byte
  /// at its offset from the head: the readable ones and those placed beyond them with
  /// ``write(_:range:atOffset:)``. Allocates new storage (once, when storage exists) and
  /// copies the old capacity's bytes into it, unwrapped.
  public mutating func grow(to newCapacity: Int) {
    guard newCapacity > capacity else { return }
    guard !storage.isEmpty else {
      capacity = newCapacity
      return
    }
    var grown = [UInt8](repeating: 0, count: newCapacity)
    let first = capacity - head
    grown[0..<first] = storage[head..<capacity]
    if head > 0 { grown[first..<capacity] = storage[0..<head] }
    storage = grown
    head = 0
    capacity = newCapacity
  }

  /// Empties the ring, keeping its storage.
  public mutating func removeAll() {
    head = 0
    readable = 0
  }

  // MARK: - Copies

  /// The storage index of the byte `offset` bytes after the head (`0 <= offset <= capacity`).
  @inline(__always)
  private func physicalIndex(_ offset: Int) -> Int {
    let index = head + offset
    return index >= capacity ? index - capacity : index
  }

  /// Allocates the storage on first use (readable bytes imply allocated storage).
  @inline(__always)
  private mutating func allocateStorageIfNeeded() {
    if storage.count != capacity {
      storage = [UInt8](repeating: 0, count: capacity)
    }
  }

  /// Copies `source[start..<start + count]` to ring offsets `offset..<offset + count`, which must
  /// lie within `0...capacity`.
  private mutating func copyIn(
    _ source: [UInt8], from start: Int, count: Int, toOffset offset: Int
  ) {
    allocateStorageIfNeeded()
    let index = physicalIndex(offset)
    let first = Swift.min(count, capacity - index)
    storage[index..<index + first] = source[start..<start + first]
    if first < count {
      storage[0..<count - first] = source[start + first..<start + count]
    }
  }

  /// Copies ring offsets `offset..<offset + count` (readable, so storage exists) to
  /// `destination[at..<at + count]`.
  private func copyOut(
    fromOffset offset: Int, count: Int, into destination: inout [UInt8], at start: Int
  ) {
    let index = physicalIndex(offset)
    let first = Swift.min(count, capacity - index)
    destination[start..<start + first] = storage[index..<index + first]
    if first < count {
      destination[start + first..<start + count] = storage[0..<count - first]
    }
  }
}
