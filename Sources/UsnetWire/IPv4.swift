/// The protocol field of an IPv4 header.
public struct IPProtocol: RawRepresentable, Hashable, Sendable {
  /// The 8-bit value on the wire.
  public var rawValue: UInt8

  /// Wraps any 8-bit value.
  @inlinable
  public init(rawValue: UInt8) {
    self.rawValue = rawValue
  }

  /// ICMP, 1.
  public static let icmp = IPProtocol(rawValue: 1)
  /// TCP, 6.
  public static let tcp = IPProtocol(rawValue: 6)
  /// UDP, 17.
  public static let udp = IPProtocol(rawValue: 17)
}

/// An IPv4 header (RFC 791). Options are skipped when parsing and never emitted.
public struct IPv4Header: Hashable, Sendable {
  /// The former type-of-service byte: DSCP in the high six bits, ECN in the low two.
  public var dscpECN: UInt8
  /// Length of the datagram, header included.
  public var totalLength: UInt16
  /// Identification, used for reassembly.
  public var identification: UInt16
  /// The DF flag.
  public var dontFragment: Bool
  /// The MF flag.
  public var moreFragments: Bool
  /// Offset of this fragment in bytes (a multiple of 8 on the wire).
  public var fragmentOffset: Int
  /// Time to live.
  public var timeToLive: UInt8
  /// The payload protocol.
  public var `protocol`: IPProtocol
  /// The header checksum as parsed; `emit` computes its own.
  public var checksum: UInt16
  /// Source address.
  public var source: IPv4Address
  /// Destination address.
  public var destination: IPv4Address
  /// Header length in bytes, 20...60 (IHL × 4).
  public var headerLength: Int

  /// True when this datagram is a fragment (MF set or a nonzero offset).
  @inlinable
  public var isFragment: Bool { moreFragments || fragmentOffset != 0 }

  /// Length of a header without options.
  public static let minimumLength = 20

  /// Creates an option-less header for a payload of `payloadLength` bytes (clamped to
  /// 0...65515).
  @inlinable
  public init(
    source: IPv4Address, destination: IPv4Address, protocol: IPProtocol, payloadLength: Int,
    timeToLive: UInt8 = 64, identification: UInt16 = 0, dontFragment: Bool = true,
    dscpECN: UInt8 = 0
  ) {
    self.dscpECN = dscpECN
    self.totalLength = UInt16(Swift.min(Swift.max(payloadLength, 0), 65515) + 20)
    self.identification = identification
    self.dontFragment = dontFragment
    self.moreFragments = false
    self.fragmentOffset = 0
    self.timeToLive = timeToLive
    self.protocol = `protocol`
    self.checksum = 0
    self.source = source
    self.destination = destination
    self.headerLength = 20
  }

  /// Reads the fields of a header at `start` whose first 20 bytes are present; no validation.
  internal init(fieldsIn buffer: [UInt8], at start: Int) {
    let versionIHL = buffer[start]
    let flagsOffset = buffer.readUInt16(at: start + 6)
    dscpECN = buffer[start + 1]
    totalLength = buffer.readUInt16(at: start + 2)
    identification = buffer.readUInt16(at: start + 4)
    dontFragment = flagsOffset & 0x4000 != 0
    moreFragments = flagsOffset & 0x2000 != 0
    fragmentOffset = Int(flagsOffset & 0x1FFF) &* 8
    timeToLive = buffer[start + 8]
    `protocol` = IPProtocol(rawValue: buffer[start + 9])
    checksum = buffer.readUInt16(at: start + 10)
    source = IPv4Address(reading: buffer, at: start + 12)
    destination = IPv4Address(reading: buffer, at: start + 16)
    headerLength = Int(versionIHL & 0x0F) &* 4
  }

  /// Parses the header at the start of `range`.
  ///
  /// Requires version 4, IHL >= 5, the header within `range`, and a total length at least the
  /// header length and at most `range.count`. Bytes beyond the total length (Ethernet padding)
  /// are excluded from the returned payload range. Options are skipped.
  public static func parse(
    _ buffer: [UInt8], in range: Range<Int>, verifyChecksum: Bool = true
  ) throws(WireError) -> (header: IPv4Header, payload: Range<Int>) {
    let range = range.clamped(to: 0..<buffer.count)
    let start = range.lowerBound
    guard range.count >= minimumLength else { throw .truncated }
    guard buffer[start] &>> 4 == 4 else { throw .badVersion }
    let header = IPv4Header(fieldsIn: buffer, at: start)
    guard header.headerLength >= minimumLength, header.headerLength <= range.count else {
      throw .badHeaderLength
    }
    let total = Int(header.totalLength)
    guard total >= header.headerLength else { throw .badLengthField }
    guard total <= range.count else { throw .truncated }
    if verifyChecksum {
      var sum = InternetChecksum()
      sum.add(buffer, range: start..<start + header.headerLength)
      guard sum.folded == 0xFFFF else { throw .badChecksum }
    }
    return (header, start + header.headerLength..<start + total)
  }

  /// Writes a 20-byte header (IHL 5, no options) at `offset` and computes its checksum.
  public func emit(into buffer: inout [UInt8], at offset: Int) {
    buffer[offset] = 0x45
    buffer[offset + 1] = dscpECN
    buffer.writeUInt16(totalLength, at: offset + 2)
    buffer.writeUInt16(identification, at: offset + 4)
    let flags: UInt16 = (dontFragment ? 0x4000 : 0) | (moreFragments ? 0x2000 : 0)
    let offsetField = UInt16(truncatingIfNeeded: fragmentOffset &>> 3) & 0x1FFF
    buffer.writeUInt16(flags | offsetField, at: offset + 6)
    buffer[offset + 8] = timeToLive
    buffer[offset + 9] = `protocol`.rawValue
    buffer.writeUInt16(0, at: offset + 10)
    source.write(to: &buffer, at: offset + 12)
    destination.write(to: &buffer, at: offset + 16)
    var sum = InternetChecksum()
    sum.add(buffer, range: offset..<offset + 20)
    buffer.writeUInt16(sum.checksum, at: offset + 10)
  }
}
