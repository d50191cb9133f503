/// The EtherType field of an Ethernet frame.
public struct EtherType: RawRepresentable, Hashable, Sendable {
  /// The 16-bit value on the wire.
  public var rawValue: UInt16

  /// Wraps any 16-bit value.
  @inlinable
  public init(rawValue: UInt16) {
    self.rawValue = rawValue
  }

  /// IPv4, 0x0800.
  public static let ipv4 = EtherType(rawValue: 0x0800)
  /// ARP, 0x0806.
  public static let arp = EtherType(rawValue: 0x0806)
  /// IPv6, 0x86DD.
  public static let ipv6 = EtherType(rawValue: 0x86DD)
  /// An IEEE 802.1Q VLAN tag, 0x8100.
  public static let vlan = EtherType(rawValue: 0x8100)
}

/// The tag control information of an IEEE 802.1Q VLAN tag.
public struct VLANTag: Hashable, Sendable {
  /// Priority code point, 0...7.
  public var priority: UInt8
  /// Drop eligible indicator.
  public var dropEligible: Bool
  /// VLAN identifier, 0...4095.
  public var identifier: UInt16

  /// Creates a tag; out-of-range bits of `priority` and `identifier` are dropped when emitted.
  @inlinable
  public init(priority: UInt8 = 0, dropEligible: Bool = false, identifier: UInt16) {
    self.priority = priority
    self.dropEligible = dropEligible
    self.identifier = identifier
  }

  /// The 16-bit tag control information field.
  @inlinable
  public var tagControlInformation: UInt16 {
    UInt16(priority & 0x7) &<< 13 | (dropEligible ? 0x1000 : 0) | identifier & 0x0FFF
  }

  /// Decodes a tag control information field.
  @inlinable
  public init(tagControlInformation tci: UInt16) {
    priority = UInt8(truncatingIfNeeded: tci &>> 13)
    dropEligible = tci & 0x1000 != 0
    identifier = tci & 0x0FFF
  }
}

/// An Ethernet II header, optionally with one 802.1Q tag.
public struct EthernetHeader: Hashable, Sendable {
  /// Destination MAC address.
  public var destination: MACAddress
  /// Source MAC address.
  public var source: MACAddress
  /// The type of the payload (the inner type when the frame is tagged).
  public var etherType: EtherType
  /// The 802.1Q tag, if any.
  public var vlan: VLANTag?

  /// Creates a header.
  @inlinable
  public init(
    destination: MACAddress, source: MACAddress, etherType: EtherType, vlan: VLANTag? = nil
  ) {
    self.destination = destination
    self.source = source
    self.etherType = etherType
    self.vlan = vlan
  }

  /// Length of an untagged header.
  public static let length = 14

  /// Length of this header: 14, or 18 with a VLAN tag.
  @inlinable
  public var headerLength: Int { vlan == nil ? 14 : 18 }

  /// Parses the header at the start of `range`; one 802.1Q tag is recognised and removed.
  /// Returns the header and the range of the payload (the rest of `range`).
  public static func parse(
    _ buffer: [UInt8], in range: Range<Int>
  ) throws(WireError) -> (header: EthernetHeader, payload: Range<Int>) {
    let range = range.clamped(to: 0..<buffer.count)
    let start = range.lowerBound
    guard range.count >= 14 else { throw .truncated }
    var header = EthernetHeader(
      destination: MACAddress(reading: buffer, at: start),
      source: MACAddress(reading: buffer, at: start + 6),
      etherType: EtherType(rawValue: buffer.readUInt16(at: start + 12)))
    if header.etherType == .vlan {
      guard range.count >= 18 else { throw .truncated }
      header.vlan = VLANTag(tagControlInformation: buffer.readUInt16(at: start + 14))
      header.etherType = EtherType(rawValue: buffer.readUInt16(at: start + 16))
    }
    return (header, start + header.headerLength..<range.upperBound)
  }

  /// Writes the header (14 or 18 bytes) at `offset`; the buffer already has room.
  public func emit(into buffer: inout [UInt8], at offset: Int) {
    destination.write(to: &buffer, at: offset)
    source.write(to: &buffer, at: offset + 6)
    if let vlan {
      buffer.writeUInt16(EtherType.vlan.rawValue, at: offset + 12)
      buffer.writeUInt16(vlan.tagControlInformation, at: offset + 14)
      buffer.writeUInt16(etherType.rawValue, at: offset + 16)
    } else {
      buffer.writeUInt16(etherType.rawValue, at: offset + 12)
    }
  }
}
