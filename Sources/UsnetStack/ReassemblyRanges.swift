/// Byte ranges received beyond the next expected byte (out-of-order TCP data), as sorted,
/// disjoint, non-adjacent ranges of offsets relative to the current left edge.
///
/// Bounded by bytes (the caller only inserts inside its window), not by a fixed number of gaps.
/// Ranges are stored at absolute positions behind a moving left edge, so ``advance(by:)`` costs
/// only the ranges it removes; ``insert(_:)`` is a binary search plus an in-place merge. The
/// recency of each range is tracked for SACK (RFC 2018 wants the block holding the newest segment
/// first): see ``rangesNewestFirst(limit:into:)``.
///
/// A plain value type, not thread-safe: owned by one engine.
public struct ReassemblyRanges: Sendable {
  /// One range, at absolute positions, with the insertion stamp of its newest byte.
  private struct Span: Sendable {
    var lower: Int
    var upper: Int
    var stamp: UInt64
  }

  private var spans: [Span] = []
  /// Absolute position of the left edge (reset to 0 whenever no range is held).
  private var base = 0
  private var clock: UInt64 = 0

  /// The number of bytes covered by all ranges.
  public private(set) var totalBytes = 0

  /// Creates an empty set.
  public init() {}

  /// Whether no out-of-order bytes are held.
  public var isEmpty: Bool { spans.isEmpty }

  /// The number of ranges.
  public var count: Int { spans.count }

  /// The ranges in ascending order, relative to the left edge. Allocates; not for hot paths.
  public var ranges: [Range<Int>] {
    spans.map { ($0.lower - base)..<($0.upper - base) }
  }

  /// The lowest range, relative to the left edge.
  public var first: Range<Int>? {
    guard let span = spans.first else { return nil }
    return (span.lower - base)..<(span.upper - base)
  }

  /// Adds `range` (relative to the left edge), merging it with overlapping and adjacent ranges;
  /// returns the number of newly covered bytes. Offsets below 0 are already delivered and ignored.
  @discardableResult
  public mutating func insert(_ range: Range<Int>) -> Int {
    guard range.upperBound > 0, !range.isEmpty else { return 0 }
    let lower = saturatingAdd(base, Swift.max(range.lowerBound, 0))
    let upper = saturatingAdd(base, range.upperBound)
    guard lower < upper else { return 0 }
    clock &+= 1

    // Spans i..<j touch [lower, upper): they overlap it or are adjacent to it.
    let i = firstIndex { $0.upper >= lower }
    var j = i
    var covered = 0
    while j < spans.count, spans[j].lower <= upper {
      covered += Swift.max(0, Swift.min(spans[j].upper, upper) - Swift.max(spans[j].lower, lower))
      j += 1
    }
    if i == j {
      spans.insert(Span(lower: lower, upper: upper, stamp: clock), at: i)
    } else {
      let merged = Span(
        lower: Swift.min(lower, spans[i].lower), upper: Swift.max(upper, spans[j - 1].upper),
        stamp: clock)
      spans[i] = merged
      if j - i > 1 {
        spans.removeSubrange(i + 1..<j)
      }
    }
    let added = (upper - lower) - covered
    totalBytes += added
    return added
  }

  /// The number of bytes of `range` (relative to the left edge) that the ranges cover; offsets
  /// below 0 count as not covered. A binary search plus one step per range it meets.
  public func coveredBytes(in range: Range<Int>) -> Int {
    guard range.upperBound > 0, !range.isEmpty else { return 0 }
    let lower = saturatingAdd(base, Swift.max(range.lowerBound, 0))
    let upper = saturatingAdd(base, range.upperBound)
    var index = firstIndex { $0.upper > lower }
    var covered = 0
    while index < spans.count, spans[index].lower < upper {
      covered += Swift.min(spans[index].upper, upper) - Swift.max(spans[index].lower, lower)
      index += 1
    }
    return covered
  }

  /// Moves the left edge right by `n` (those bytes arrived in order), then delivers the range that
  /// now starts at the left edge, if any: removes it, moves the edge past it too, and returns its
  /// length. Bytes passed over by the edge are dropped from the ranges.
  ///
  /// For example, with ranges `[5..<10]`, `advance(by: 5)` returns 5 and leaves no ranges.
  public mutating func advance(by n: Int) -> Int {
    base = saturatingAdd(base, Swift.max(n, 0))
    var removed = 0
    while removed < spans.count, spans[removed].upper <= base {
      totalBytes -= spans[removed].upper - spans[removed].lower
      removed += 1
    }
    var delivered = 0
    if removed < spans.count, spans[removed].lower <= base {
      delivered = spans[removed].upper - base
      totalBytes -= spans[removed].upper - spans[removed].lower
      base = spans[removed].upper
      removed += 1
    }
    if removed > 0 {
      spans.removeSubrange(0..<removed)
    }
    if spans.isEmpty {
      base = 0
    }
    return delivered
  }

  /// Removes every range, keeping the allocated storage.
  public mutating func removeAll() {
    spans.removeAll(keepingCapacity: true)
    base = 0
    totalBytes = 0
  }

  /// Up to `limit` ranges, the most recently extended first (the order SACK blocks are sent in),
  /// relative to the left edge. Replaces the contents of `result`; allocates nothing once
  /// `result` has room for `limit` elements. O(`limit` × `count`).
  public func rangesNewestFirst(limit: Int, into result: inout [Range<Int>]) {
    result.removeAll(keepingCapacity: true)
    var below = UInt64.max
    while result.count < limit {
      var best = -1
      var bestStamp: UInt64 = 0
      for index in spans.indices where spans[index].stamp < below {
        if best < 0 || spans[index].stamp > bestStamp {
          best = index
          bestStamp = spans[index].stamp
        }
      }
      guard best >= 0 else { return }
      result.append((spans[best].lower - base)..<(spans[best].upper - base))
      below = bestStamp
    }
  }

  /// Up to `limit` ranges, the most recently extended first, relative to the left edge.
  public func rangesNewestFirst(limit: Int) -> [Range<Int>] {
    var result: [Range<Int>] = []
    rangesNewestFirst(limit: limit, into: &result)
    return result
  }

  /// The first span index satisfying `predicate`, which must be false then true along the spans.
  private func firstIndex(where predicate: (Span) -> Bool) -> Int {
    var low = 0
    var high = spans.count
    while low < high {
      let middle = low + (high - low) / 2
      if predicate(spans[middle]) {
        high = middle
      } else {
        low = middle + 1
      }
    }
    return low
  }
}

/// `a + b` for `b >= 0`, clamped at `Int.max`.
private func saturatingAdd(_ a: Int, _ b: Int) -> Int {
  let (sum, overflow) = a.addingReportingOverflow(b)
  return overflow ? .max : sum
}
