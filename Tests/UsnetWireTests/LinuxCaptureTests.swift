import Testing
import UsnetWire

/// Parses the frames in `LinuxFixtures`, checks every field, and rebuilds each frame from the
/// parsed values to compare it byte for byte.
@Suite struct LinuxCaptureTests {
  let hostA = TestAddresses.hostA
  let hostB = TestAddresses.hostB
  let macA = TestAddresses.macA
  let macB = TestAddresses.macB

  /// A decoded Ethernet + IPv4 frame.
  typealias IPv4Frame = (
    frame: [UInt8], ethernet: EthernetHeader, ip: IPv4Header, payload: Range<Int>
  )
  /// A decoded Ethernet + IPv4 + TCP frame.
  typealias TCPFrame = (
    frame: [UInt8], ethernet: EthernetHeader, ip: IPv4Header, tcp: TCPHeader, payload: Range<Int>
  )

  /// Ethernet and IPv4 layers of an untagged IPv4 frame.
  func ipv4Frame(_ hex: String) throws -> IPv4Frame {
    let frame = hexBytes(hex)
    let (ethernet, ethernetPayload) = try EthernetHeader.parse(frame, in: 0..<frame.count)
    #expect(ethernet.etherType == .ipv4)
    #expect(ethernet.vlan == nil)
    #expect(ethernetPayload == 14..<frame.count)
    let (ip, payload) = try IPv4Header.parse(frame, in: ethernetPayload)
    #expect(ip.headerLength == 20)
    #expect(ip.timeToLive == 64)
    #expect(!ip.moreFragments && ip.fragmentOffset == 0 && !ip.isFragment)
    #expect(payload == 34..<14 + Int(ip.totalLength))
    return (frame, ethernet, ip, payload)
  }

  /// Rebuilds an Ethernet + IPv4 + TCP frame from parsed headers and the original payload.
  func rebuildTCP(
    _ ethernet: EthernetHeader, _ ip: IPv4Header, _ tcp: TCPHeader, payload: ArraySlice<UInt8>
  ) -> [UInt8] {
    var buffer = [UInt8](repeating: 0, count: 34 + tcp.headerLength + payload.count)
    ethernet.emit(into: &buffer, at: 0)
    ip.emit(into: &buffer, at: 14)
    let length = tcp.emit(into: &buffer, at: 34)
    buffer[(34 + length)...] = payload
    TCPHeader.writeChecksum(
      in: &buffer, segment: 34..<buffer.count, source: ip.source, destination: ip.destination)
    return buffer
  }

  /// Parses a TCP frame and checks that rebuilding it from the parsed values gives the same bytes.
  func tcpSegment(_ hex: String) throws -> TCPFrame {
    let (frame, ethernet, ip, ipPayload) = try ipv4Frame(hex)
    #expect(ip.protocol == .tcp)
    #expect(ip.dontFragment)
    let (tcp, payload) = try TCPHeader.parse(
      frame, in: ipPayload, source: ip.source, destination: ip.destination)
    #expect(payload == 34 + tcp.headerLength..<ipPayload.upperBound)
    #expect(tcp.urgentPointer == 0)
    let rebuilt = rebuildTCP(ethernet, ip, tcp, payload: frame[payload])
    #expect(hexString(rebuilt) == hexString(frame))
    return (frame, ethernet, ip, tcp, payload)
  }

  @Test func arpRequest() throws {
    let frame = hexBytes(LinuxFixtures.arpRequest)
    let (ethernet, payload) = try EthernetHeader.parse(frame, in: 0..<frame.count)
    #expect(ethernet == EthernetHeader(destination: .broadcast, source: macA, etherType: .arp))
    #expect(payload == 14..<42)
    let arp = try ARPPacket.parse(frame, in: payload)
    #expect(arp.operation == .request)
    #expect(arp.senderMAC == macA)
    #expect(arp.senderIP == hostA)
    #expect(arp.targetMAC == .zero)
    #expect(arp.targetIP == hostB)
    var rebuilt = [UInt8](repeating: 0xFF, count: 42)
    ethernet.emit(into: &rebuilt, at: 0)
    arp.emit(into: &rebuilt, at: 14)
    #expect(rebuilt == frame)
  }

  @Test func arpReply() throws {
    let frame = hexBytes(LinuxFixtures.arpReply)
    let (ethernet, payload) = try EthernetHeader.parse(frame, in: 0..<frame.count)
    #expect(ethernet == EthernetHeader(destination: macA, source: macB, etherType: .arp))
    let arp = try ARPPacket.parse(frame, in: payload)
    #expect(
      arp
        == ARPPacket(
          operation: .reply, senderMAC: macB, senderIP: hostB, targetMAC: macA, targetIP: hostA))
    var rebuilt = [UInt8](repeating: 0, count: 42)
    ethernet.emit(into: &rebuilt, at: 0)
    arp.emit(into: &rebuilt, at: 14)
    #expect(rebuilt == frame)
  }

  func checkEcho(
    _ hex: String, message: ICMPv4Message, source: IPv4Address, destination: IPv4Address,
    identification: UInt16, dontFragment: Bool, checksum: UInt16
  ) throws {
    let (frame, ethernet, ip, ipPayload) = try ipv4Frame(hex)
    #expect(ethernet.source == (source == hostA ? macA : macB))
    #expect(ethernet.destination == (source == hostA ? macB : macA))
    #expect(ip.dscpECN == 0)
    #expect(ip.totalLength == 44)
    #expect(ip.identification == identification)
    #expect(ip.dontFragment == dontFragment)
    #expect(ip.protocol == .icmp)
    #expect(ip.checksum == checksum)
    #expect(ip.source == source && ip.destination == destination)
    let (icmp, payload) = try ICMPv4Packet.parse(frame, in: ipPayload)
    #expect(icmp.message == message)
    #expect(payload == 42..<58)
    #expect(hexString(frame[payload]) == "873a0c6b0000000061e9010000000000")
    var rebuilt = [UInt8](repeating: 0, count: 42) + frame[payload]
    ethernet.emit(into: &rebuilt, at: 0)
    ip.emit(into: &rebuilt, at: 14)
    icmp.emit(into: &rebuilt, at: 34, payloadLength: payload.count)
    #expect(rebuilt == frame)
  }

  @Test func echoRequest() throws {
    try checkEcho(
      LinuxFixtures.echoRequest, message: .echoRequest(identifier: 0x0E39, sequence: 1),
      source: hostA, destination: hostB, identification: 0xB0DC, dontFragment: true,
      checksum: 0xFDCC)
  }

  @Test func echoReply() throws {
    try checkEcho(
      LinuxFixtures.echoReply, message: .echoReply(identifier: 0x0E39, sequence: 1),
      source: hostB, destination: hostA, identification: 0x8865, dontFragment: false,
      checksum: 0x6644)
  }

  @Test func udpDatagram() throws {
    let (frame, ethernet, ip, ipPayload) = try ipv4Frame(LinuxFixtures.udpDatagram)
    #expect(ethernet == EthernetHeader(destination: macB, source: macA, etherType: .ipv4))
    #expect(ip.dscpECN == 0 && ip.totalLength == 39 && ip.identification == 0x3421)
    #expect(ip.dontFragment && ip.protocol == .udp && ip.checksum == 0x7A7D)
    #expect(ip.source == hostA && ip.destination == hostB)
    let (udp, payload) = try UDPHeader.parse(
      frame, in: ipPayload, source: ip.source, destination: ip.destination)
    #expect(udp.sourcePort == 40000 && udp.destinationPort == 4000)
    #expect(udp.length == 19 && udp.checksum == 0x2BF4)
    #expect(payload == 42..<53)
    #expect(String(decoding: frame[payload], as: UTF8.self) == "hello usnet")
    var rebuilt = [UInt8](repeating: 0, count: 42) + frame[payload]
    ethernet.emit(into: &rebuilt, at: 0)
    ip.emit(into: &rebuilt, at: 14)
    UDPHeader(sourcePort: 40000, destinationPort: 4000, payloadLength: payload.count)
      .emit(into: &rebuilt, at: 34, source: hostA, destination: hostB)
    #expect(rebuilt == frame)
  }

  @Test func portUnreachableQuotesUDPDatagram() throws {
    let (frame, ethernet, ip, ipPayload) = try ipv4Frame(LinuxFixtures.portUnreachable)
    #expect(ethernet == EthernetHeader(destination: macA, source: macB, etherType: .ipv4))
    #expect(ip.dscpECN == 0xC0 && ip.totalLength == 62 && ip.identification == 0x8916)
    #expect(!ip.dontFragment && ip.protocol == .icmp && ip.checksum == 0x64C1)
    #expect(ip.source == hostB && ip.destination == hostA)
    let (icmp, payload) = try ICMPv4Packet.parse(frame, in: ipPayload)
    #expect(icmp.message == .destinationUnreachable(.portUnreachable, nextHopMTU: 0))
    #expect(payload == 42..<76)
    // Linux quotes the whole offending datagram.
    let original = hexBytes(LinuxFixtures.udpToClosedPort)
    #expect(Array(frame[payload]) == Array(original[14...]))

    let quoted = try QuotedDatagram.parse(frame, in: payload)
    #expect(quoted.header.totalLength == 34 && quoted.header.identification == 0x342E)
    #expect(quoted.header.dontFragment && quoted.header.protocol == .udp)
    #expect(quoted.header.checksum == 0x7A75 && quoted.header.headerLength == 20)
    #expect(quoted.header.source == hostA && quoted.header.destination == hostB)
    #expect(quoted.sourcePort == 40001 && quoted.destinationPort == 4001)
    #expect(quoted.tcpSequenceNumber == nil)

    // The quoted datagram is complete here, so it parses (and verifies) on its own too.
    let (innerIP, innerPayload) = try IPv4Header.parse(frame, in: payload)
    #expect(innerIP == quoted.header)
    let (udp, data) = try UDPHeader.parse(
      frame, in: innerPayload, source: innerIP.source, destination: innerIP.destination)
    #expect(udp.length == 14 && udp.checksum == 0x8F83)
    #expect(String(decoding: frame[data], as: UTF8.self) == "closed")

    var rebuilt = [UInt8](repeating: 0, count: 42) + frame[payload]
    ethernet.emit(into: &rebuilt, at: 0)
    ip.emit(into: &rebuilt, at: 14)
    icmp.emit(into: &rebuilt, at: 34, payloadLength: payload.count)
    #expect(rebuilt == frame)
  }

  @Test func tcpSYN() throws {
    let (_, ethernet, ip, tcp, payload) = try tcpSegment(LinuxFixtures.tcpSYN)
    #expect(ethernet.destination == macB && ethernet.source == macA)
    #expect(ip.totalLength == 60 && ip.identification == 0x30DC && ip.checksum == 0x7DB8)
    #expect(ip.source == hostA && ip.destination == hostB)
    #expect(tcp.sourcePort == 41000 && tcp.destinationPort == 5000)
    #expect(tcp.sequenceNumber == 3_918_972_507 && tcp.acknowledgmentNumber == 0)
    #expect(tcp.flags == .syn)
    #expect(tcp.window == 64240 && tcp.checksum == 0xEA0E)
    #expect(
      tcp.options
        == TCPOptions(
          maximumSegmentSize: 1460, windowScale: 10, sackPermitted: true,
          timestamp: TCPTimestamp(value: 1_810_368_330, echoReply: 0)))
    #expect(tcp.headerLength == 40)
    #expect(payload.isEmpty)
  }

  @Test func tcpSYNACK() throws {
    let (_, ethernet, ip, tcp, payload) = try tcpSegment(LinuxFixtures.tcpSYNACK)
    #expect(ethernet.destination == macA && ethernet.source == macB)
    #expect(ip.totalLength == 60 && ip.identification == 0 && ip.checksum == 0xAE94)
    #expect(ip.source == hostB && ip.destination == hostA)
    #expect(tcp.sourcePort == 5000 && tcp.destinationPort == 41000)
    #expect(tcp.sequenceNumber == 1_168_561_171 && tcp.acknowledgmentNumber == 3_918_972_508)
    #expect(tcp.flags == [.syn, .ack])
    #expect(tcp.window == 65160 && tcp.checksum == 0x9EFE)
    #expect(
      tcp.options
        == TCPOptions(
          maximumSegmentSize: 1460, windowScale: 10, sackPermitted: true,
          timestamp: TCPTimestamp(value: 1_861_271_228, echoReply: 1_810_368_330)))
    #expect(payload.isEmpty)
  }

  @Test func tcpDataWithTimestamps() throws {
    let (frame, _, ip, tcp, payload) = try tcpSegment(LinuxFixtures.tcpData)
    #expect(ip.totalLength == 152 && ip.identification == 0x30DE && ip.checksum == 0x7D5A)
    #expect(ip.source == hostA && ip.destination == hostB)
    #expect(tcp.sourcePort == 41000 && tcp.destinationPort == 5000)
    #expect(tcp.sequenceNumber == 3_918_972_508 && tcp.acknowledgmentNumber == 1_168_561_172)
    #expect(tcp.flags == [.psh, .ack] && tcp.flags.description == "P.")
    #expect(tcp.window == 63 && tcp.checksum == 0x0CED)
    #expect(
      tcp.options
        == TCPOptions(timestamp: TCPTimestamp(value: 1_810_368_330, echoReply: 1_861_271_228)))
    #expect(tcp.headerLength == 32)
    #expect(payload == 66..<166)
    #expect(frame[payload].allSatisfy { $0 == UInt8(ascii: "A") })
  }

  @Test func tcpSACK() throws {
    let (_, _, ip, tcp, payload) = try tcpSegment(LinuxFixtures.tcpSACK)
    #expect(ip.totalLength == 64 && ip.identification == 0xCEB2 && ip.checksum == 0xDFDD)
    #expect(ip.source == hostB && ip.destination == hostA)
    #expect(tcp.sourcePort == 5000 && tcp.destinationPort == 41000)
    #expect(tcp.sequenceNumber == 1_168_561_172 && tcp.acknowledgmentNumber == 3_918_972_608)
    #expect(tcp.flags == .ack)
    #expect(tcp.window == 64 && tcp.checksum == 0x3135)
    #expect(tcp.options.timestamp == TCPTimestamp(value: 1_861_271_479, echoReply: 1_810_368_330))
    // tcpdump's relative {301:601} from the initial sequence number 3918972507.
    #expect(Array(tcp.options.sackBlocks) == [SACKBlock(start: 3_918_972_808, end: 3_918_973_108)])
    #expect(tcp.options.maximumSegmentSize == nil && tcp.options.windowScale == nil)
    #expect(!tcp.options.sackPermitted)
    #expect(tcp.headerLength == 44)
    #expect(payload.isEmpty)
  }

  @Test func tcpFINACK() throws {
    let (_, _, ip, tcp, payload) = try tcpSegment(LinuxFixtures.tcpFINACK)
    #expect(ip.totalLength == 52 && ip.identification == 0xCEB4 && ip.checksum == 0xDFE7)
    #expect(tcp.sequenceNumber == 1_168_561_172 && tcp.acknowledgmentNumber == 3_918_973_108)
    #expect(tcp.flags == [.fin, .ack] && tcp.flags.description == "F.")
    #expect(tcp.window == 64 && tcp.checksum == 0xC7C7)
    #expect(
      tcp.options
        == TCPOptions(timestamp: TCPTimestamp(value: 1_861_271_479, echoReply: 1_810_368_581)))
    #expect(payload.isEmpty)
  }

  @Test func tcpSYNWithoutTimestamps() throws {
    let (_, ethernet, ip, tcp, payload) = try tcpSegment(LinuxFixtures.tcpSYNNoTimestamps)
    #expect(ethernet.destination == macB && ethernet.source == macA)
    #expect(ip.totalLength == 52 && ip.identification == 0x67D3 && ip.checksum == 0x46C9)
    #expect(ip.source == hostA && ip.destination == hostB)
    #expect(tcp.sourcePort == 41001 && tcp.destinationPort == 5001)
    #expect(tcp.sequenceNumber == 3_246_381_864 && tcp.acknowledgmentNumber == 0)
    #expect(tcp.flags == .syn && tcp.window == 64240 && tcp.checksum == 0x979A)
    #expect(
      tcp.options == TCPOptions(maximumSegmentSize: 1460, windowScale: 10, sackPermitted: true))
    #expect(tcp.headerLength == 32)
    #expect(payload.isEmpty)
  }

  @Test func tcpRST() throws {
    let (_, _, ip, tcp, payload) = try tcpSegment(LinuxFixtures.tcpRST)
    #expect(ip.totalLength == 40 && ip.identification == 0 && ip.checksum == 0xAEA8)
    #expect(ip.source == hostB && ip.destination == hostA)
    #expect(tcp.sourcePort == 5001 && tcp.destinationPort == 41001)
    #expect(tcp.sequenceNumber == 0 && tcp.acknowledgmentNumber == 3_246_381_865)
    #expect(tcp.flags == [.rst, .ack] && tcp.flags.description == "R.")
    #expect(tcp.window == 0 && tcp.checksum == 0xD34C)
    #expect(tcp.options == TCPOptions())
    #expect(tcp.headerLength == 20)
    #expect(payload.isEmpty)
  }

  @Test func corruptedCapturesAreRejected() throws {
    var data = hexBytes(LinuxFixtures.tcpData)
    data[100] ^= 0x01
    #expect(throws: WireError.badChecksum) {
      try TCPHeader.parse(data, in: 34..<data.count, source: hostA, destination: hostB)
    }
    var udp = hexBytes(LinuxFixtures.udpDatagram)
    udp[45] ^= 0x20
    #expect(throws: WireError.badChecksum) {
      try UDPHeader.parse(udp, in: 34..<udp.count, source: hostA, destination: hostB)
    }
    var echo = hexBytes(LinuxFixtures.echoRequest)
    echo[50] ^= 0x04
    #expect(throws: WireError.badChecksum) { try ICMPv4Packet.parse(echo, in: 34..<58) }
    // Ethernet padding after the IPv4 datagram is excluded from its payload.
    let padded = hexBytes(LinuxFixtures.udpDatagram) + [UInt8](repeating: 0, count: 7)
    let (_, ipPayload) = try IPv4Header.parse(padded, in: 14..<padded.count)
    #expect(ipPayload == 34..<53)
    // A frame cut short inside the IPv4 datagram.
    #expect(throws: WireError.truncated) { try IPv4Header.parse(padded, in: 14..<52) }
  }
}
