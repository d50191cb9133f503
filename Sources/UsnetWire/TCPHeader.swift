/// A TCP header (RFC 9293) with its options.
public struct TCPHeader: Hashable, Sendable {
  /// Source port.
  public var sourcePort: UInt16
  /// Destination port.
  public var destinationPort: UInt16
  /// Sequence number of the first payload byte (or of the SYN).
  public var sequenceNumber: UInt32
  /// Next sequence number expected from the peer, when `flags` contains `.ack`.
  public var acknowledgmentNumber: UInt32
  /// Control bits.
  public var flags: TCPFlags
  /// Receive window, before scaling.
  public var window: UInt16
  /// The checksum as parsed; `emit` writes 0 and `writeChecksum` fills it in.
  public var checksum: UInt16
  /// Urgent pointer, when `flags` contains `.urg`.
  public var urgentPointer: UInt16
  /// The options.
  public var options: TCPOptions

  /// Creates a header.
  @inlinable
  public init(
    sourcePort: UInt16, destinationPort: UInt16, sequenceNumber: UInt32,
    acknowledgmentNumber: UInt32, flags: TCPFlags, window: UInt16, urgentPointer: UInt16 = 0,
    options: TCPOptions = TCPOptions()
  ) {
    self.sourcePort = sourcePort
    self.destinationPort = destinationPort
    self.sequenceNumber = sequenceNumber
    self.acknowledgmentNumber = acknowledgmentNumber
    self.flags = flags
    self.window = window
    self.checksum = 0
    self.urgentPointer = urgentPointer
    self.options = options
  }

  /// Length of a header without options.
  public static let minimumLength = 20

  /// Length of this header as `emit` writes it: 20 + `options.encodedLength`. (A parsed
  /// header's length on the wire can differ when it carried unknown options or padding; use
  /// the payload range that `parse` returns.)
  @inlinable
  public var headerLength: Int { TCPHeader.minimumLength + options.encodedLength }

  /// Parses the segment occupying all of `range` (the IPv4 payload).
  ///
  /// Requires a data offset of at least 5 with the header within `range`; verifies the
  /// checksum over the pseudo-header and the whole segment; then decodes the options (see
  /// `TCPOptions.parse`). Returns the header and the payload range.
  public static func parse(
    _ buffer: [UInt8], in range: Range<Int>, source: IPv4Address, destination: IPv4Address,
    verifyChecksum: Bool = true
  ) throws(WireError) -> (header: TCPHeader, payload: Range<Int>) {
    let range = range.clamped(to: 0..<buffer.count)
    let start = range.lowerBound
    guard range.count >= minimumLength else { throw .truncated }
    let dataOffset = Int(buffer[start + 12] &>> 4) &* 4
    guard dataOffset >= minimumLength, dataOffset <= range.count else {
      throw .badHeaderLength
    }
    if verifyChecksum {
      var sum = InternetChecksum()
      sum.addPseudoHeader(
        source: source, destination: destination, protocol: .tcp, length: range.count)
      sum.add(buffer, range: range)
      guard sum.folded == 0xFFFF else { throw .badChecksum }
    }
    var header = TCPHeader(
      sourcePort: buffer.readUInt16(at: start),
      destinationPort: buffer.readUInt16(at: start + 2),
      sequenceNumber: buffer.readUInt32(at: start + 4),
      acknowledgmentNumber: buffer.readUInt32(at: start + 8),
      flags: TCPFlags(rawValue: buffer[start + 13]),
      window: buffer.readUInt16(at: start + 14),
      urgentPointer: buffer.readUInt16(at: start + 18),
      options: try TCPOptions.parse(buffer, in: start + minimumLength..<start + dataOffset))
    header.checksum = buffer.readUInt16(at: start + 16)
    return (header, start + dataOffset..<range.upperBound)
  }

  /// Writes the header and its options at `offset` with a zero checksum field and returns
  /// `headerLength`. Options use Linux's layout (see `TCPOptions`).
  @discardableResult
  public func emit(into buffer: inout [UInt8], at offset: Int) -> Int {
    let length = TCPHeader.minimumLength + options.emit(into: &buffer, at: offset + 20)
    buffer.writeUInt16(sourcePort, at: offset)
    buffer.writeUInt16(destinationPort, at: offset + 2)
    buffer.writeUInt32(sequenceNumber, at: offset + 4)
    buffer.writeUInt32(acknowledgmentNumber, at: offset + 8)
    buffer[offset + 12] = UInt8(truncatingIfNeeded: length / 4) &<< 4
    buffer[offset + 13] = flags.rawValue
    buffer.writeUInt16(window, at: offset + 14)
    buffer.writeUInt16(0, at: offset + 16)
    buffer.writeUInt16(urgentPointer, at: offset + 18)
    return length
  }

  /// Computes the checksum of the segment in `segment` (header and payload) with its
  /// pseudo-header and stores it at `segment.lowerBound + 16`. The field's previous content
  /// does not matter.
  public static func writeChecksum(
    in buffer: inout [UInt8], segment: Range<Int>, source: IPv4Address, destination: IPv4Address
  ) {
    let field = segment.lowerBound + 16
    buffer.writeUInt16(0, at: field)
    var sum = InternetChecksum()
    sum.addPseudoHeader(
      source: source, destination: destination, protocol: .tcp, length: segment.count)
    sum.add(buffer, range: segment)
    buffer.writeUInt16(sum.checksum, at: field)
  }

  /// Stores the folded pseudo-header sum of the segment in `segment` at
  /// `segment.lowerBound + 16`, the partial checksum a device with checksum offload
  /// (virtio-net `NEEDS_CSUM`, Linux CHECKSUM_PARTIAL) completes by summing from
  /// `segment.lowerBound` to the end and storing the complement. `segment.count` is the full
  /// TCP length, also for a super-segment the device will cut.
  public static func writePartialChecksum(
    in buffer: inout [UInt8], segment: Range<Int>, source: IPv4Address, destination: IPv4Address
  ) {
    var sum = InternetChecksum()
    sum.addPseudoHeader(
      source: source, destination: destination, protocol: .tcp, length: segment.count)
    buffer.writeUInt16(sum.folded, at: segment.lowerBound + 16)
  }
}
