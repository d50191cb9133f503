/// A UDP header (RFC 768).
public struct UDPHeader: Hashable, Sendable {
  /// Source port.
  public var sourcePort: UInt16
  /// Destination port.
  public var destinationPort: UInt16
  /// Length of header plus payload.
  public var length: UInt16
  /// The checksum as parsed (0 means none); `emit` computes its own.
  public var checksum: UInt16

  /// Creates a header for `payloadLength` bytes of payload (clamped to 0...65527).
  @inlinable
  public init(sourcePort: UInt16, destinationPort: UInt16, payloadLength: Int) {
    self.sourcePort = sourcePort
    self.destinationPort = destinationPort
    self.length = UInt16(Swift.min(Swift.max(payloadLength, 0), 65527) + 8)
    self.checksum = 0
  }

  /// Length of the header.
  public static let length = 8

  /// Parses the datagram occupying `range` (the IPv4 payload).
  ///
  /// The length field must be in 8...range.count; bytes beyond it are ignored. A zero checksum
  /// means none was sent; any other value is verified over the pseudo-header, header and
  /// payload. Returns the header and the payload range.
  public static func parse(
    _ buffer: [UInt8], in range: Range<Int>, source: IPv4Address, destination: IPv4Address,
    verifyChecksum: Bool = true
  ) throws(WireError) -> (header: UDPHeader, payload: Range<Int>) {
    let range = range.clamped(to: 0..<buffer.count)
    let start = range.lowerBound
    guard range.count >= 8 else { throw .truncated }
    let length = Int(buffer.readUInt16(at: start + 4))
    guard length >= 8, length <= range.count else { throw .badLengthField }
    var header = UDPHeader(
      sourcePort: buffer.readUInt16(at: start),
      destinationPort: buffer.readUInt16(at: start + 2),
      payloadLength: length - 8)
    header.checksum = buffer.readUInt16(at: start + 6)
    if verifyChecksum, header.checksum != 0 {
      var sum = InternetChecksum()
      sum.addPseudoHeader(source: source, destination: destination, protocol: .udp, length: length)
      sum.add(buffer, range: start..<start + length)
      guard sum.folded == 0xFFFF else { throw .badChecksum }
    }
    return (header, start + 8..<start + length)
  }

  /// Writes the header at `offset` and computes the checksum over the pseudo-header, the
  /// header and the `length - 8` payload bytes already in the buffer after it (a computed 0 is
  /// sent as 0xFFFF).
  public func emit(
    into buffer: inout [UInt8], at offset: Int, source: IPv4Address, destination: IPv4Address
  ) {
    buffer.writeUInt16(sourcePort, at: offset)
    buffer.writeUInt16(destinationPort, at: offset + 2)
    buffer.writeUInt16(length, at: offset + 4)
    buffer.writeUInt16(0, at: offset + 6)
    var sum = InternetChecksum()
    sum.addPseudoHeader(
      source: source, destination: destination, protocol: .udp, length: Int(length))
    sum.add(buffer, range: offset..<offset + Int(length))
    let value = sum.checksum
    buffer.writeUInt16(value == 0 ? 0xFFFF : value, at: offset + 6)
  }
}
