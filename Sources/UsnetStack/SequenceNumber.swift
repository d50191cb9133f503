/// TCP sequence number with RFC 1982-style wrapping comparison.
///
/// Sequence numbers live on a 32-bit circle: `a < b` means `b` lies less than 2^31 ahead of `a`.
/// The order is only meaningful for numbers within 2^31 of each other, which TCP windows
/// guarantee; two numbers exactly 2^31 apart each compare less than the other. Addition and
/// subtraction wrap and never trap.
public struct SequenceNumber: Hashable, Comparable, Sendable, CustomStringConvertible {
  /// The 32-bit value as carried in the TCP header.
  public var rawValue: UInt32

  /// Wraps a raw 32-bit sequence number.
  @inlinable
  public init(rawValue: UInt32) {
    self.rawValue = rawValue
  }

  /// Wraps a raw 32-bit sequence number.
  @inlinable
  public init(_ v: UInt32) {
    self.rawValue = v
  }

  /// The sequence number `rhs` bytes after `lhs`, wrapping modulo 2^32.
  @inlinable
  public static func + (lhs: SequenceNumber, rhs: Int) -> SequenceNumber {
    SequenceNumber(rawValue: lhs.rawValue &+ UInt32(truncatingIfNeeded: rhs))
  }

  /// The sequence number `rhs` bytes before `lhs`, wrapping modulo 2^32.
  @inlinable
  public static func - (lhs: SequenceNumber, rhs: Int) -> SequenceNumber {
    SequenceNumber(rawValue: lhs.rawValue &- UInt32(truncatingIfNeeded: rhs))
  }

  /// The signed distance from `rhs` to `lhs`, in the `Int32` range: positive if `lhs` is ahead.
  @inlinable
  public static func - (lhs: SequenceNumber, rhs: SequenceNumber) -> Int {
    Int(Int32(bitPattern: lhs.rawValue &- rhs.rawValue))
  }

  /// Moves `lhs` forward by `rhs` bytes, wrapping modulo 2^32.
  @inlinable
  public static func += (lhs: inout SequenceNumber, rhs: Int) {
    lhs = lhs + rhs
  }

  /// Moves `lhs` back by `rhs` bytes, wrapping modulo 2^32.
  @inlinable
  public static func -= (lhs: inout SequenceNumber, rhs: Int) {
    lhs = lhs - rhs
  }

  /// Whether `lhs` comes before `rhs` on the circle: `(lhs - rhs) < 0` as `Int32`.
  @inlinable
  public static func < (lhs: SequenceNumber, rhs: SequenceNumber) -> Bool {
    Int32(bitPattern: lhs.rawValue &- rhs.rawValue) < 0
  }

  /// The later of two sequence numbers in wrapping order.
  @inlinable
  public static func max(_ a: SequenceNumber, _ b: SequenceNumber) -> SequenceNumber {
    a < b ? b : a
  }

  /// The earlier of two sequence numbers in wrapping order.
  @inlinable
  public static func min(_ a: SequenceNumber, _ b: SequenceNumber) -> SequenceNumber {
    b < a ? b : a
  }

  /// Whether `self` lies in the half-open window `[start, start + length)`, wrapping.
  ///
  /// A window of length 0 or less contains nothing; one of 2^32 or more contains everything.
  @inlinable
  public func isInWindow(start: SequenceNumber, length: Int) -> Bool {
    if length <= 0 { return false }
    if length > Int(UInt32.max) { return true }
    return (rawValue &- start.rawValue) < UInt32(truncatingIfNeeded: length)
  }

  /// The decimal raw value.
  public var description: String { String(rawValue) }
}
