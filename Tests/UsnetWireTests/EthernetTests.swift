import Testing
import UsnetWire

@Suite struct EthernetHeaderTests {
  @Test func untaggedRoundTrip() throws {
    let header = EthernetHeader(
      destination: TestAddresses.macB, source: TestAddresses.macA, etherType: .ipv4)
    #expect(header.headerLength == EthernetHeader.length)
    var buffer = [UInt8](repeating: 0xAA, count: 4 + 14 + 6)
    header.emit(into: &buffer, at: 4)
    #expect(
      hexString(buffer[4..<18]) == "02000000000b" + "02000000000a" + "0800")
    let (parsed, payload) = try EthernetHeader.parse(buffer, in: 4..<buffer.count)
    #expect(parsed == header)
    #expect(payload == 18..<24)
  }

  @Test func vlanTaggedRoundTrip() throws {
    let tag = VLANTag(priority: 5, dropEligible: true, identifier: 0xABC)
    let header = EthernetHeader(
      destination: .broadcast, source: TestAddresses.macA, etherType: .arp, vlan: tag)
    #expect(header.headerLength == 18)
    var buffer = [UInt8](repeating: 0, count: 18 + 28)
    header.emit(into: &buffer, at: 0)
    // TCI = 101 1 101010111100 = 0xBABC.
    #expect(hexString(buffer[12..<18]) == "8100babc0806")
    let (parsed, payload) = try EthernetHeader.parse(buffer, in: 0..<buffer.count)
    #expect(parsed == header)
    #expect(parsed.vlan?.priority == 5)
    #expect(parsed.vlan?.dropEligible == true)
    #expect(parsed.vlan?.identifier == 0xABC)
    #expect(parsed.etherType == .arp)
    #expect(payload == 18..<46)
  }

  @Test func parses8021QFrameBytes() throws {
    // An 802.1Q frame on VLAN 100, priority 0, carrying IPv4.
    let frame = hexBytes("ffffffffffff 02000000000a 8100 0064 0800 4500")
    let (header, payload) = try EthernetHeader.parse(frame, in: 0..<frame.count)
    #expect(header.vlan == VLANTag(priority: 0, dropEligible: false, identifier: 100))
    #expect(header.etherType == .ipv4)
    #expect(header.destination == .broadcast)
    #expect(payload == 18..<20)
  }

  @Test func truncatedFrames() {
    let frame = [UInt8](repeating: 0, count: 14)
    for length in 0..<14 {
      #expect(throws: WireError.truncated) {
        try EthernetHeader.parse(frame, in: 0..<length)
      }
    }
    var tagged = [UInt8](repeating: 0, count: 18)
    tagged.writeUInt16(0x8100, at: 12)
    for length in 14..<18 {
      #expect(throws: WireError.truncated) {
        try EthernetHeader.parse(tagged, in: 0..<length)
      }
    }
    #expect(throws: Never.self) { try EthernetHeader.parse(tagged, in: 0..<18) }
  }

  @Test func headerOnlyFrameHasEmptyPayload() throws {
    let frame = hexBytes("02000000000b02000000000a86dd")
    let (header, payload) = try EthernetHeader.parse(frame, in: 0..<14)
    #expect(header.etherType == .ipv6)
    #expect(payload.isEmpty && payload.lowerBound == 14)
  }

  @Test func etherTypeConstants() {
    #expect(EtherType.ipv4.rawValue == 0x0800)
    #expect(EtherType.arp.rawValue == 0x0806)
    #expect(EtherType.ipv6.rawValue == 0x86DD)
    #expect(EtherType.vlan.rawValue == 0x8100)
  }
}

@Suite struct ARPPacketTests {
  let request = ARPPacket(
    operation: .request, senderMAC: TestAddresses.macA, senderIP: TestAddresses.hostA,
    targetMAC: .zero, targetIP: TestAddresses.hostB)

  @Test func roundTrip() throws {
    var buffer = [UInt8](repeating: 0x55, count: 2 + ARPPacket.length)
    request.emit(into: &buffer, at: 2)
    #expect(try ARPPacket.parse(buffer, in: 2..<buffer.count) == request)
    #expect(
      hexString(buffer[2...])
        == "0001080006040001" + "02000000000a" + "c6120001" + "000000000000" + "c6120002")
  }

  @Test func ignoresEthernetPadding() throws {
    var buffer = [UInt8](repeating: 0, count: 46)
    request.emit(into: &buffer, at: 0)
    #expect(try ARPPacket.parse(buffer, in: 0..<46) == request)
  }

  @Test func truncated() {
    var buffer = [UInt8](repeating: 0, count: 28)
    request.emit(into: &buffer, at: 0)
    #expect(throws: WireError.truncated) { try ARPPacket.parse(buffer, in: 0..<27) }
    #expect(throws: WireError.truncated) { try ARPPacket.parse(buffer, in: 1..<28) }
  }

  @Test(arguments: [
    (0, UInt8(6)),  // hardware type 6 (IEEE 802)
    (3, UInt8(0xDD)),  // protocol type 0x08DD
    (4, UInt8(8)),  // hardware length 8
    (5, UInt8(16)),  // protocol length 16
  ])
  func unsupportedNetworks(at index: Int, value: UInt8) {
    var buffer = [UInt8](repeating: 0, count: 28)
    request.emit(into: &buffer, at: 0)
    if index == 0 { buffer[1] = value } else { buffer[index] = value }
    #expect(throws: WireError.unsupported) { try ARPPacket.parse(buffer, in: 0..<28) }
  }

  @Test func otherOperationsAreKept() throws {
    var packet = request
    packet.operation = ARPOperation(rawValue: 3)
    var buffer = [UInt8](repeating: 0, count: 28)
    packet.emit(into: &buffer, at: 0)
    #expect(try ARPPacket.parse(buffer, in: 0..<28).operation.rawValue == 3)
    #expect(ARPOperation.request.rawValue == 1 && ARPOperation.reply.rawValue == 2)
  }
}
