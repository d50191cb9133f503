/// The code of an ICMPv4 destination unreachable message (RFC 792, RFC 1812).
public struct ICMPv4UnreachableCode: RawRepresentable, Hashable, Sendable {
  /// The 8-bit code on the wire.
  public var rawValue: UInt8

  /// Wraps any 8-bit value.
  @inlinable
  public init(rawValue: UInt8) {
    self.rawValue = rawValue
  }

  /// Net unreachable, 0.
  public static let networkUnreachable = ICMPv4UnreachableCode(rawValue: 0)
  /// Host unreachable, 1.
  public static let hostUnreachable = ICMPv4UnreachableCode(rawValue: 1)
  /// Protocol unreachable, 2.
  public static let protocolUnreachable = ICMPv4UnreachableCode(rawValue: 2)
  /// Port unreachable, 3.
  public static let portUnreachable = ICMPv4UnreachableCode(rawValue: 3)
  /// Fragmentation needed and DF set, 4 (carries the next-hop MTU).
  public static let fragmentationNeeded = ICMPv4UnreachableCode(rawValue: 4)
  /// Source route failed, 5.
  public static let sourceRouteFailed = ICMPv4UnreachableCode(rawValue: 5)
  /// Destination network unknown, 6.
  public static let networkUnknown = ICMPv4UnreachableCode(rawValue: 6)
  /// Destination host unknown, 7.
  public static let hostUnknown = ICMPv4UnreachableCode(rawValue: 7)
  /// Network administratively prohibited, 9.
  public static let networkProhibited = ICMPv4UnreachableCode(rawValue: 9)
  /// Host administratively prohibited, 10.
  public static let hostProhibited = ICMPv4UnreachableCode(rawValue: 10)
  /// Communication administratively prohibited, 13.
  public static let communicationProhibited = ICMPv4UnreachableCode(rawValue: 13)
}

/// The decoded 8-byte header of an ICMPv4 message.
public enum ICMPv4Message: Hashable, Sendable {
  /// Echo request (type 8, code 0).
  case echoRequest(identifier: UInt16, sequence: UInt16)
  /// Echo reply (type 0, code 0).
  case echoReply(identifier: UInt16, sequence: UInt16)
  /// Destination unreachable (type 3); `nextHopMTU` is only meaningful for
  /// `.fragmentationNeeded` and is 0 otherwise.
  case destinationUnreachable(ICMPv4UnreachableCode, nextHopMTU: UInt16)
  /// Time exceeded (type 11): code 0 TTL exceeded in transit, 1 reassembly time exceeded.
  case timeExceeded(code: UInt8)
  /// Any other message, with the four bytes after the checksum as `rest`. Echo messages with
  /// a nonzero code also decode to this case.
  case other(type: UInt8, code: UInt8, rest: UInt32)
}

/// An ICMPv4 message header (RFC 792).
public struct ICMPv4Packet: Hashable, Sendable {
  /// The decoded message.
  public var message: ICMPv4Message

  /// Creates a packet.
  @inlinable
  public init(message: ICMPv4Message) {
    self.message = message
  }

  /// Length of the ICMPv4 header.
  public static let headerLength = 8

  /// The type, code and the four bytes after the checksum, as they appear on the wire.
  @inlinable
  public var typeCodeRest: (type: UInt8, code: UInt8, rest: UInt32) {
    switch message {
    case .echoRequest(let identifier, let sequence):
      (8, 0, UInt32(identifier) &<< 16 | UInt32(sequence))
    case .echoReply(let identifier, let sequence):
      (0, 0, UInt32(identifier) &<< 16 | UInt32(sequence))
    case .destinationUnreachable(let code, let nextHopMTU):
      (3, code.rawValue, code == .fragmentationNeeded ? UInt32(nextHopMTU) : 0)
    case .timeExceeded(let code):
      (11, code, 0)
    case .other(let type, let code, let rest):
      (type, code, rest)
    }
  }

  /// Parses the message occupying all of `range` (the IPv4 payload). The checksum covers the
  /// whole range. Returns the packet and the bytes after the 8-byte header (echo data or the
  /// quoted datagram).
  public static func parse(
    _ buffer: [UInt8], in range: Range<Int>, verifyChecksum: Bool = true
  ) throws(WireError) -> (packet: ICMPv4Packet, payload: Range<Int>) {
    let range = range.clamped(to: 0..<buffer.count)
    let start = range.lowerBound
    guard range.count >= headerLength else { throw .truncated }
    if verifyChecksum {
      var sum = InternetChecksum()
      sum.add(buffer, range: range)
      guard sum.folded == 0xFFFF else { throw .badChecksum }
    }
    let type = buffer[start]
    let code = buffer[start + 1]
    let rest = buffer.readUInt32(at: start + 4)
    let identifier = UInt16(truncatingIfNeeded: rest &>> 16)
    let low = UInt16(truncatingIfNeeded: rest)
    let message: ICMPv4Message
    switch (type, code) {
    case (8, 0): message = .echoRequest(identifier: identifier, sequence: low)
    case (0, 0): message = .echoReply(identifier: identifier, sequence: low)
    case (3, _):
      let unreachable = ICMPv4UnreachableCode(rawValue: code)
      message = .destinationUnreachable(
        unreachable, nextHopMTU: unreachable == .fragmentationNeeded ? low : 0)
    case (11, _): message = .timeExceeded(code: code)
    default: message = .other(type: type, code: code, rest: rest)
    }
    return (ICMPv4Packet(message: message), start + headerLength..<range.upperBound)
  }

  /// Writes the 8-byte header at `offset` and computes the checksum over it and the
  /// `payloadLength` bytes that already follow it in the buffer.
  public func emit(into buffer: inout [UInt8], at offset: Int, payloadLength: Int) {
    let fields = typeCodeRest
    buffer[offset] = fields.type
    buffer[offset + 1] = fields.code
    buffer.writeUInt16(0, at: offset + 2)
    buffer.writeUInt32(fields.rest, at: offset + 4)
    var sum = InternetChecksum()
    sum.add(buffer, range: offset..<offset + ICMPv4Packet.headerLength + payloadLength)
    buffer.writeUInt16(sum.checksum, at: offset + 2)
  }
}
