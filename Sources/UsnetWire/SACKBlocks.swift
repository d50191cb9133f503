/// One selective-acknowledgment block (RFC 2018): the received bytes `start ..< end`
/// in sequence-number space.
public struct SACKBlock: Hashable, Sendable {
  /// Left edge: the first sequence number of the block.
  public var start: UInt32
  /// Right edge: the sequence number just after the block.
  public var end: UInt32

  /// Creates a block.
  @inlinable
  public init(start: UInt32, end: UInt32) {
    self.start = start
    self.end = end
  }
}

/// Up to four SACK blocks in fixed inline storage (no heap allocation).
public struct SACKBlockList: RandomAccessCollection, Hashable, Sendable {
  @usableFromInline internal var block0 = SACKBlock(start: 0, end: 0)
  @usableFromInline internal var block1 = SACKBlock(start: 0, end: 0)
  @usableFromInline internal var block2 = SACKBlock(start: 0, end: 0)
  @usableFromInline internal var block3 = SACKBlock(start: 0, end: 0)
  @usableFromInline internal var storedCount = 0

  /// Creates an empty list.
  @inlinable
  public init() {}

  /// Creates a list from the first `capacity` blocks of `blocks`.
  @inlinable
  public init(_ blocks: some Sequence<SACKBlock>) {
    for block in blocks where !append(block) { break }
  }

  /// The maximum number of blocks.
  public static let capacity = 4

  /// Appends `block`; returns false (and changes nothing) when the list is full.
  @inlinable
  @discardableResult
  public mutating func append(_ block: SACKBlock) -> Bool {
    switch storedCount {
    case 0: block0 = block
    case 1: block1 = block
    case 2: block2 = block
    case 3: block3 = block
    default: return false
    }
    storedCount += 1
    return true
  }

  /// Removes all blocks.
  @inlinable
  public mutating func removeAll() {
    self = SACKBlockList()
  }

  /// Always 0.
  @inlinable
  public var startIndex: Int { 0 }
  /// The number of blocks.
  @inlinable
  public var endIndex: Int { storedCount }

  /// The block at `i`; an index outside `0 ..< count` yields the empty block 0..<0 instead of
  /// trapping.
  @inlinable
  public subscript(i: Int) -> SACKBlock {
    guard i >= 0, i < storedCount else { return SACKBlock(start: 0, end: 0) }
    switch i {
    case 0: return block0
    case 1: return block1
    case 2: return block2
    default: return block3
    }
  }

  /// Lists are equal when they hold the same blocks in the same order.
  @inlinable
  public static func == (lhs: SACKBlockList, rhs: SACKBlockList) -> Bool {
    lhs.elementsEqual(rhs)
  }

  /// Hashes the blocks in order.
  @inlinable
  public func hash(into hasher: inout Hasher) {
    hasher.combine(storedCount)
    for block in self { hasher.combine(block) }
  }
}
