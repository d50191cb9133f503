/// The TCP timestamps option (RFC 7323).
public struct TCPTimestamp: Hashable, Sendable {
  /// TSval: the sender's timestamp clock.
  public var value: UInt32
  /// TSecr: the most recent TSval received from the peer.
  public var echoReply: UInt32

  /// Creates a timestamp option value.
  @inlinable
  public init(value: UInt32, echoReply: UInt32) {
    self.value = value
    self.echoReply = echoReply
  }
}

/// The TCP options this stack understands. Unknown options are skipped when parsing.
///
/// Emitted in Linux's order, each group padded to 4 bytes with NOPs: MSS; SACK-permitted +
/// timestamps (or NOP NOP timestamps, or NOP NOP SACK-permitted); NOP window scale;
/// NOP NOP SACK blocks. A Linux SYN therefore comes out as `mss, sackOK, TS, nop, wscale`
/// and a data segment as `nop, nop, TS, nop, nop, sack`.
public struct TCPOptions: Hashable, Sendable {
  /// Maximum segment size (kind 2), normally only on SYN segments.
  public var maximumSegmentSize: UInt16?
  /// Window scale shift count (kind 3); parsed values above 14 are clamped to 14.
  public var windowScale: UInt8?
  /// SACK permitted (kind 4), only on SYN segments.
  public var sackPermitted: Bool
  /// Timestamps (kind 8).
  public var timestamp: TCPTimestamp?
  /// SACK blocks (kind 5). When emitted, only as many as fit in 40 bytes of options are
  /// written (three next to a timestamp, four without).
  public var sackBlocks: SACKBlockList

  /// Creates a set of options.
  @inlinable
  public init(
    maximumSegmentSize: UInt16? = nil, windowScale: UInt8? = nil, sackPermitted: Bool = false,
    timestamp: TCPTimestamp? = nil, sackBlocks: SACKBlockList = SACKBlockList()
  ) {
    self.maximumSegmentSize = maximumSegmentSize
    self.windowScale = windowScale
    self.sackPermitted = sackPermitted
    self.timestamp = timestamp
    self.sackBlocks = sackBlocks
  }

  /// Maximum length of the options area of a TCP header.
  public static let maximumLength = 40

  /// Bytes of everything but the SACK blocks.
  @inlinable
  internal var fixedLength: Int {
    (maximumSegmentSize == nil ? 0 : 4) + (timestamp != nil ? 12 : sackPermitted ? 4 : 0)
      + (windowScale == nil ? 0 : 4)
  }

  /// The number of SACK blocks `emit` writes: as many as fit after the other options.
  @inlinable
  public var emittedSACKBlockCount: Int {
    let room = TCPOptions.maximumLength - fixedLength - 4
    return room < 8 ? 0 : Swift.min(sackBlocks.count, room / 8)
  }

  /// Bytes when emitted: a multiple of 4, at most 40.
  @inlinable
  public var encodedLength: Int {
    let blocks = emittedSACKBlockCount
    return fixedLength + (blocks == 0 ? 0 : 4 + 8 * blocks)
  }

  /// Parses the options area `range` of a TCP header.
  ///
  /// EOL ends the list, NOP is skipped, MSS (length 4), window scale (3), SACK-permitted (2),
  /// SACK (2 + 8n, n in 1...4) and timestamps (10) are decoded, and other kinds with a length
  /// of at least 2 that fits are skipped. Any other length throws `.badOptionLength`.
  public static func parse(
    _ buffer: [UInt8], in range: Range<Int>
  ) throws(WireError) -> TCPOptions {
    let range = range.clamped(to: 0..<buffer.count)
    var options = TCPOptions()
    var index = range.lowerBound
    let end = range.upperBound
    while index < end {
      let kind = buffer[index]
      if kind == 0 { break }
      if kind == 1 {
        index += 1
        continue
      }
      guard end - index >= 2 else { throw .badOptionLength }
      let length = Int(buffer[index + 1])
      guard length >= 2, length <= end - index else { throw .badOptionLength }
      switch kind {
      case 2:
        guard length == 4 else { throw .badOptionLength }
        options.maximumSegmentSize = buffer.readUInt16(at: index + 2)
      case 3:
        guard length == 3 else { throw .badOptionLength }
        options.windowScale = Swift.min(buffer[index + 2], 14)
      case 4:
        guard length == 2 else { throw .badOptionLength }
        options.sackPermitted = true
      case 5:
        guard length >= 10, (length - 2) % 8 == 0, length <= 34 else { throw .badOptionLength }
        var blocks = SACKBlockList()
        var at = index + 2
        while at < index + length {
          blocks.append(
            SACKBlock(start: buffer.readUInt32(at: at), end: buffer.readUInt32(at: at + 4)))
          at += 8
        }
        options.sackBlocks = blocks
      case 8:
        guard length == 10 else { throw .badOptionLength }
        options.timestamp = TCPTimestamp(
          value: buffer.readUInt32(at: index + 2), echoReply: buffer.readUInt32(at: index + 6))
      default:
        break
      }
      index += length
    }
    return options
  }

  /// Writes the options at `offset` in Linux's layout and returns `encodedLength`.
  @discardableResult
  public func emit(into buffer: inout [UInt8], at offset: Int) -> Int {
    var index = offset
    if let maximumSegmentSize {
      buffer[index] = 2
      buffer[index + 1] = 4
      buffer.writeUInt16(maximumSegmentSize, at: index + 2)
      index += 4
    }
    if let timestamp {
      buffer[index] = sackPermitted ? 4 : 1
      buffer[index + 1] = sackPermitted ? 2 : 1
      buffer[index + 2] = 8
      buffer[index + 3] = 10
      buffer.writeUInt32(timestamp.value, at: index + 4)
      buffer.writeUInt32(timestamp.echoReply, at: index + 8)
      index += 12
    } else if sackPermitted {
      buffer[index] = 1
      buffer[index + 1] = 1
      buffer[index + 2] = 4
      buffer[index + 3] = 2
      index += 4
    }
    if let windowScale {
      buffer[index] = 1
      buffer[index + 1] = 3
      buffer[index + 2] = 3
      buffer[index + 3] = windowScale
      index += 4
    }
    let blocks = emittedSACKBlockCount
    if blocks > 0 {
      buffer[index] = 1
      buffer[index + 1] = 1
      buffer[index + 2] = 5
      buffer[index + 3] = UInt8(truncatingIfNeeded: 2 + 8 * blocks)
      index += 4
      for block in sackBlocks.prefix(blocks) {
        buffer.writeUInt32(block.start, at: index)
        buffer.writeUInt32(block.end, at: index + 4)
        index += 8
      }
    }
    return index - offset
  }
}
