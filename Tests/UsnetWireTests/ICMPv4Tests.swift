import Testing
import UsnetWire

@Suite struct ICMPv4PacketTests {
  /// Emits `packet` at offset 2 followed by `payload`.
  func message(_ packet: ICMPv4Packet, payload: [UInt8]) -> [UInt8] {
    var buffer = [UInt8](repeating: 0, count: 2 + 8) + payload
    packet.emit(into: &buffer, at: 2, payloadLength: payload.count)
    return buffer
  }

  @Test(arguments: [
    ICMPv4Message.echoRequest(identifier: 0x1234, sequence: 7),
    .echoReply(identifier: 0xFFFF, sequence: 0),
    .destinationUnreachable(.portUnreachable, nextHopMTU: 0),
    .destinationUnreachable(.fragmentationNeeded, nextHopMTU: 1400),
    .destinationUnreachable(.communicationProhibited, nextHopMTU: 0),
    .timeExceeded(code: 0),
    .timeExceeded(code: 1),
    .other(type: 13, code: 0, rest: 0xDEAD_BEEF),
    .other(type: 8, code: 1, rest: 0x0001_0002),
  ])
  func roundTrip(_ message: ICMPv4Message) throws {
    for payload in [[], [0x01], [0x01, 0x02, 0x03, 0x04, 0x05]] as [[UInt8]] {
      let buffer = self.message(ICMPv4Packet(message: message), payload: payload)
      let (packet, range) = try ICMPv4Packet.parse(buffer, in: 2..<buffer.count)
      #expect(packet.message == message)
      #expect(range == 10..<10 + payload.count)
    }
  }

  @Test func wireLayout() {
    let buffer = message(
      ICMPv4Packet(message: .destinationUnreachable(.fragmentationNeeded, nextHopMTU: 1400)),
      payload: [])
    #expect(buffer[2] == 3 && buffer[3] == 4)
    #expect(buffer.readUInt32(at: 6) == 1400)
    let echo = message(
      ICMPv4Packet(message: .echoRequest(identifier: 0x0102, sequence: 0x0304)), payload: [])
    #expect(hexString(echo[2...]) == "08" + "00" + hexString(echo[4..<6]) + "01020304")
  }

  @Test func nextHopMTUOnlyForFragmentationNeeded() throws {
    var buffer = message(
      ICMPv4Packet(message: .destinationUnreachable(.hostUnreachable, nextHopMTU: 0)),
      payload: [])
    buffer.writeUInt16(576, at: 8)
    let packet = try ICMPv4Packet.parse(buffer, in: 2..<buffer.count, verifyChecksum: false)
    #expect(packet.packet.message == .destinationUnreachable(.hostUnreachable, nextHopMTU: 0))
    // Emitting with a stray MTU on another code writes zero.
    let emitted = message(
      ICMPv4Packet(message: .destinationUnreachable(.hostUnreachable, nextHopMTU: 99)),
      payload: [])
    #expect(emitted.readUInt32(at: 6) == 0)
  }

  @Test func truncated() {
    let buffer = message(ICMPv4Packet(message: .echoReply(identifier: 1, sequence: 1)), payload: [])
    for end in 2..<10 {
      #expect(throws: WireError.truncated) { try ICMPv4Packet.parse(buffer, in: 2..<end) }
    }
  }

  @Test func badChecksumCoversPayload() throws {
    var buffer = message(
      ICMPv4Packet(message: .echoRequest(identifier: 1, sequence: 2)), payload: [1, 2, 3])
    buffer[11] ^= 0x40
    #expect(throws: WireError.badChecksum) { try ICMPv4Packet.parse(buffer, in: 2..<buffer.count) }
    let unverified = try ICMPv4Packet.parse(buffer, in: 2..<buffer.count, verifyChecksum: false)
    #expect(unverified.packet.message == .echoRequest(identifier: 1, sequence: 2))
  }

  @Test func unreachableCodeConstants() {
    let expected: [(ICMPv4UnreachableCode, UInt8)] = [
      (.networkUnreachable, 0), (.hostUnreachable, 1), (.protocolUnreachable, 2),
      (.portUnreachable, 3), (.fragmentationNeeded, 4), (.sourceRouteFailed, 5),
      (.networkUnknown, 6), (.hostUnknown, 7), (.networkProhibited, 9), (.hostProhibited, 10),
      (.communicationProhibited, 13),
    ]
    for (code, value) in expected {
      #expect(code.rawValue == value)
    }
  }
}

@Suite struct QuotedDatagramTests {
  /// An ICMP error body: an IPv4 header for `protocol` and the 8 transport bytes given.
  func quote(_ protocol: IPProtocol, transport: [UInt8], totalLength: Int = 1500) -> [UInt8] {
    var header = IPv4Header(
      source: TestAddresses.hostA, destination: TestAddresses.hostB, protocol: `protocol`,
      payloadLength: totalLength - 20)
    header.identification = 77
    var buffer = [UInt8](repeating: 0, count: 20) + transport
    header.emit(into: &buffer, at: 0)
    return buffer
  }

  @Test func tcpQuoteHasSequenceNumber() throws {
    let buffer = quote(.tcp, transport: [0xA0, 0x28, 0x13, 0x88, 0xE9, 0x96, 0xC6, 0x5B])
    let quoted = try QuotedDatagram.parse(buffer, in: 0..<buffer.count)
    #expect(quoted.header.protocol == .tcp)
    #expect(quoted.header.identification == 77)
    #expect(quoted.header.totalLength == 1500)
    #expect(quoted.sourcePort == 41000)
    #expect(quoted.destinationPort == 5000)
    #expect(quoted.tcpSequenceNumber == 0xE996_C65B)
  }

  @Test func udpQuoteHasNoSequenceNumber() throws {
    let buffer = quote(.udp, transport: [0x9C, 0x41, 0x0F, 0xA1, 0x00, 0x0E, 0x8F, 0x83])
    let quoted = try QuotedDatagram.parse(buffer, in: 0..<buffer.count)
    #expect(quoted.sourcePort == 40001 && quoted.destinationPort == 4001)
    #expect(quoted.tcpSequenceNumber == nil)
  }

  @Test func ignoresChecksumAndTotalLength() throws {
    var buffer = quote(.udp, transport: [0, 1, 0, 2, 0, 0, 0, 0], totalLength: 9000)
    buffer[10] ^= 0xFF
    let quoted = try QuotedDatagram.parse(buffer, in: 0..<buffer.count)
    #expect(quoted.header.totalLength == 9000)
    #expect(quoted.sourcePort == 1 && quoted.destinationPort == 2)
  }

  @Test func skipsQuotedOptions() throws {
    var buffer = quote(.udp, transport: [])
    buffer[0] = 0x46
    buffer += [0x94, 0x04, 0x00, 0x00, 0x12, 0x34, 0x56, 0x78, 0, 0, 0, 0]
    let quoted = try QuotedDatagram.parse(buffer, in: 0..<buffer.count)
    #expect(quoted.header.headerLength == 24)
    #expect(quoted.sourcePort == 0x1234 && quoted.destinationPort == 0x5678)
  }

  @Test func needsHeaderPlusEightBytes() {
    let buffer = quote(.tcp, transport: [1, 2, 3, 4, 5, 6, 7, 8])
    for end in 0..<28 {
      #expect(throws: WireError.truncated) { try QuotedDatagram.parse(buffer, in: 0..<end) }
    }
  }

  @Test func rejectsBadVersionAndIHL() {
    var buffer = quote(.tcp, transport: [1, 2, 3, 4, 5, 6, 7, 8])
    buffer[0] = 0x45 | 0x20
    #expect(throws: WireError.badVersion) { try QuotedDatagram.parse(buffer, in: 0..<28) }
    buffer[0] = 0x44
    #expect(throws: WireError.badHeaderLength) { try QuotedDatagram.parse(buffer, in: 0..<28) }
  }
}
