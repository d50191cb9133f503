/// The start of the datagram quoted in an ICMPv4 error: its IPv4 header and first 8 bytes.
public struct QuotedDatagram: Hashable, Sendable {
  /// The quoted IPv4 header.
  public var header: IPv4Header
  /// The first two payload bytes: the source port for TCP and UDP.
  public var sourcePort: UInt16
  /// Payload bytes 2...3: the destination port for TCP and UDP.
  public var destinationPort: UInt16
  /// Payload bytes 4...7 when the quoted protocol is TCP: its sequence number.
  public var tcpSequenceNumber: UInt32?

  /// Creates a value.
  @inlinable
  public init(
    header: IPv4Header, sourcePort: UInt16, destinationPort: UInt16,
    tcpSequenceNumber: UInt32? = nil
  ) {
    self.header = header
    self.sourcePort = sourcePort
    self.destinationPort = destinationPort
    self.tcpSequenceNumber = tcpSequenceNumber
  }

  /// Parses the quoted datagram at the start of `range` (the payload of an ICMPv4 error).
  /// Needs version 4, IHL >= 5 and the header plus 8 bytes. Neither the quoted header
  /// checksum nor its total length is checked, since routers may quote a truncated datagram.
  public static func parse(
    _ buffer: [UInt8], in range: Range<Int>
  ) throws(WireError) -> QuotedDatagram {
    let range = range.clamped(to: 0..<buffer.count)
    let start = range.lowerBound
    guard range.count >= IPv4Header.minimumLength else { throw .truncated }
    guard buffer[start] &>> 4 == 4 else { throw .badVersion }
    let header = IPv4Header(fieldsIn: buffer, at: start)
    guard header.headerLength >= IPv4Header.minimumLength else { throw .badHeaderLength }
    guard header.headerLength + 8 <= range.count else { throw .truncated }
    let transport = start + header.headerLength
    return QuotedDatagram(
      header: header,
      sourcePort: buffer.readUInt16(at: transport),
      destinationPort: buffer.readUInt16(at: transport + 2),
      tcpSequenceNumber: header.protocol == .tcp ? buffer.readUInt32(at: transport + 4) : nil)
  }
}
