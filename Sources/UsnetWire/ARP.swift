/// The operation field of an ARP packet.
public struct ARPOperation: RawRepresentable, Hashable, Sendable {
  /// The 16-bit value on the wire.
  public var rawValue: UInt16

  /// Wraps any 16-bit value.
  @inlinable
  public init(rawValue: UInt16) {
    self.rawValue = rawValue
  }

  /// ARP request, 1.
  public static let request = ARPOperation(rawValue: 1)
  /// ARP reply, 2.
  public static let reply = ARPOperation(rawValue: 2)
}

/// An ARP packet for Ethernet hardware addresses and IPv4 protocol addresses (RFC 826).
public struct ARPPacket: Hashable, Sendable {
  /// Request, reply or another operation.
  public var operation: ARPOperation
  /// Sender hardware address.
  public var senderMAC: MACAddress
  /// Sender protocol address.
  public var senderIP: IPv4Address
  /// Target hardware address (zero in a request).
  public var targetMAC: MACAddress
  /// Target protocol address.
  public var targetIP: IPv4Address

  /// Creates a packet.
  @inlinable
  public init(
    operation: ARPOperation, senderMAC: MACAddress, senderIP: IPv4Address,
    targetMAC: MACAddress, targetIP: IPv4Address
  ) {
    self.operation = operation
    self.senderMAC = senderMAC
    self.senderIP = senderIP
    self.targetMAC = targetMAC
    self.targetIP = targetIP
  }

  /// Length of an Ethernet/IPv4 ARP packet.
  public static let length = 28

  /// Parses the packet at the start of `range` (trailing padding is ignored). Throws
  /// `.unsupported` unless hardware type is Ethernet (1, length 6) and protocol type is
  /// IPv4 (0x0800, length 4).
  public static func parse(_ buffer: [UInt8], in range: Range<Int>) throws(WireError) -> ARPPacket {
    let range = range.clamped(to: 0..<buffer.count)
    let start = range.lowerBound
    guard range.count >= length else { throw .truncated }
    guard buffer.readUInt16(at: start) == 1, buffer.readUInt16(at: start + 2) == 0x0800,
      buffer[start + 4] == 6, buffer[start + 5] == 4
    else { throw .unsupported }
    return ARPPacket(
      operation: ARPOperation(rawValue: buffer.readUInt16(at: start + 6)),
      senderMAC: MACAddress(reading: buffer, at: start + 8),
      senderIP: IPv4Address(reading: buffer, at: start + 14),
      targetMAC: MACAddress(reading: buffer, at: start + 18),
      targetIP: IPv4Address(reading: buffer, at: start + 24))
  }

  /// Writes the 28-byte packet at `offset`; the buffer already has room.
  public func emit(into buffer: inout [UInt8], at offset: Int) {
    buffer.writeUInt16(1, at: offset)
    buffer.writeUInt16(0x0800, at: offset + 2)
    buffer[offset + 4] = 6
    buffer[offset + 5] = 4
    buffer.writeUInt16(operation.rawValue, at: offset + 6)
    senderMAC.write(to: &buffer, at: offset + 8)
    senderIP.write(to: &buffer, at: offset + 14)
    targetMAC.write(to: &buffer, at: offset + 18)
    targetIP.write(to: &buffer, at: offset + 24)
  }
}
