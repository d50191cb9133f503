import UsnetWire

/// The sender's record of what the peer has selectively acknowledged (RFC 6675 §3): the SACKed
/// ranges above SND.UNA, sorted and merged, and the questions loss recovery asks of them.
///
/// Memory is bounded: at most ``capacity`` ranges are kept. A block that would need more is
/// dropped, which only makes the sender more conservative (that data counts as not SACKed and
/// may be retransmitted needlessly); nothing is lost. The storage is reserved on first use, so
/// updates allocate nothing in steady state. A value owned by one connection.
struct SACKScoreboard: Sendable {
  /// One SACKed range of sequence space, `start ..< end`.
  struct Range: Equatable, Sendable {
    var start: SequenceNumber
    var end: SequenceNumber
    var length: Int { end - start }
  }

  /// The most ranges kept.
  static let capacity = 64

  /// The SACKed ranges, ascending and disjoint (never adjacent: touching ranges merge).
  private(set) var ranges: [Range] = []
  /// Bytes in all ``ranges``.
  private(set) var sackedBytes = 0

  init() {}

  /// Whether nothing is SACKed.
  var isEmpty: Bool { ranges.isEmpty }

  /// The end of the highest SACKed range (RFC 6675's HighACK is the sequence number below it).
  var highestSACKed: SequenceNumber? { ranges.last?.end }

  /// Forgets every range (reneging, or a fresh start).
  mutating func removeAll() {
    ranges.removeAll(keepingCapacity: true)
    sackedBytes = 0
  }

  /// Marks `start ..< end` SACKed and returns how many bytes were not SACKed before.
  @discardableResult
  mutating func add(start: SequenceNumber, end: SequenceNumber) -> Int {
    guard start < end else { return 0 }
    // Storage for every range, once per connection (not for connections that never see SACK).
    if ranges.capacity < Self.capacity { ranges.reserveCapacity(Self.capacity) }
    // The first range that ends at or after `start` (it may touch or overlap the new one).
    var index = 0
    while index < ranges.count && ranges[index].end < start { index += 1 }
    var merged = Range(start: start, end: end)
    var covered = 0
    var last = index
    while last < ranges.count && !(end < ranges[last].start) {
      let existing = ranges[last]
      covered += overlap(existing, start, end)
      merged.start = SequenceNumber.min(merged.start, existing.start)
      merged.end = SequenceNumber.max(merged.end, existing.end)
      last += 1
    }
    let added = (end - start) - covered
    if last > index {
      sackedBytes -= ranges[index..<last].reduce(0) { $0 + $1.length }
      ranges.replaceSubrange(index..<last, with: CollectionOfOne(merged))
    } else {
      guard ranges.count < Self.capacity else { return 0 }
      ranges.insert(merged, at: index)
    }
    sackedBytes += merged.length
    return added
  }

  /// Drops everything below `ack` (a cumulative ACK); returns the SACKed bytes it covered.
  @discardableResult
  mutating func removeAcknowledged(below ack: SequenceNumber) -> Int {
    var removed = 0
    var count = 0
    while count < ranges.count && !(ack < ranges[count].end) {
      removed += ranges[count].length
      count += 1
    }
    if count > 0 { ranges.removeSubrange(0..<count) }
    if let first = ranges.first, first.start < ack {
      removed += ack - first.start
      ranges[0].start = ack
    }
    sackedBytes -= removed
    return removed
  }

  /// Whether `sequence` is SACKed.
  func contains(_ sequence: SequenceNumber) -> Bool {
    sackedRange(containing: sequence) != nil
  }

  /// The SACKed range holding `sequence`, if any.
  func sackedRange(containing sequence: SequenceNumber) -> Range? {
    for range in ranges {
      if sequence < range.start { return nil }
      if sequence < range.end { return range }
    }
    return nil
  }

  /// The start of the first SACKed range above `sequence`, if any.
  func nextSACKedStart(after sequence: SequenceNumber) -> SequenceNumber? {
    ranges.first { sequence < $0.start }?.start
  }

  /// RFC 6675's IsLost as a boundary: every unSACKed byte below the returned sequence number is
  /// deemed lost, because above it lie at least `duplicateThreshold` SACKed ranges (the
  /// "discontiguous SACKed sequences") or more than `(duplicateThreshold - 1) × mss` SACKed
  /// bytes. `nil` when nothing is lost. The boundary is always the start of a SACKed range.
  func lossBoundary(duplicateThreshold: Int, maximumSegmentSize mss: Int) -> SequenceNumber? {
    var bytesAbove = 0
    var rangesAbove = 0
    for range in ranges.reversed() {
      bytesAbove += range.length
      rangesAbove += 1
      if rangesAbove >= duplicateThreshold || bytesAbove > (duplicateThreshold - 1) * mss {
        return range.start
      }
    }
    return nil
  }

  /// Whether `sequence` (unSACKed) is deemed lost (RFC 6675 IsLost).
  func isLost(
    _ sequence: SequenceNumber, duplicateThreshold: Int, maximumSegmentSize mss: Int
  )
    -> Bool
  {
    guard
      let boundary = lossBoundary(
        duplicateThreshold: duplicateThreshold, maximumSegmentSize: mss)
    else { return false }
    return sequence < boundary && !contains(sequence)
  }

  /// Bytes in `from ..< to` that are not SACKed.
  func unSACKedBytes(from: SequenceNumber, to: SequenceNumber) -> Int {
    guard from < to else { return 0 }
    var bytes = to - from
    for range in ranges {
      if !(range.start < to) { break }
      bytes -= overlap(range, from, to)
    }
    return bytes
  }

  /// The first unSACKed byte at or after `sequence` and below `limit`, with the length of the
  /// hole from there (up to the next SACKed range or `limit`); `nil` when there is none.
  func firstHole(
    from sequence: SequenceNumber, below limit: SequenceNumber
  ) -> (
    start: SequenceNumber, length: Int
  )? {
    var start = sequence
    for range in ranges where start < range.end {
      if start < range.start {
        let end = SequenceNumber.min(range.start, limit)
        return start < end ? (start, end - start) : nil
      }
      start = range.end
    }
    return start < limit ? (start, limit - start) : nil
  }

  private func overlap(_ range: Range, _ start: SequenceNumber, _ end: SequenceNumber) -> Int {
    let low = SequenceNumber.max(range.start, start)
    let high = SequenceNumber.min(range.end, end)
    return low < high ? high - low : 0
  }
}
