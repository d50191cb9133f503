import Testing
import UsnetSim
import UsnetStack
import UsnetWire

/// Frames built the way a peer on the link would send them, with valid checksums (computed by
/// the UsnetWire emit functions), and a parser for what a stack transmits.
///
/// Defaults: the peer is host B (`TestHosts.macB`, `TestHosts.ipB`) talking to host A.
enum PeerFrames {
  /// An Ethernet frame around `payload`, optionally 802.1Q-tagged.
  static func ethernet(
    to destination: MACAddress = TestHosts.macA, from source: MACAddress = TestHosts.macB,
    type: EtherType, vlan: VLANTag? = nil, payload: [UInt8]
  ) -> [UInt8] {
    let header = EthernetHeader(
      destination: destination, source: source, etherType: type, vlan: vlan)
    var frame = [UInt8](repeating: 0, count: header.headerLength)
    header.emit(into: &frame, at: 0)
    frame.append(contentsOf: payload)
    return frame
  }

  /// An ARP packet in an Ethernet frame (a request goes to broadcast unless told otherwise).
  static func arp(
    _ operation: ARPOperation, senderMAC: MACAddress = TestHosts.macB,
    senderIP: IPv4Address = TestHosts.ipB, targetMAC: MACAddress = .zero,
    targetIP: IPv4Address = TestHosts.ipA, ethernetDestination: MACAddress? = nil,
    ethernetSource: MACAddress? = nil
  ) -> [UInt8] {
    var body = [UInt8](repeating: 0, count: ARPPacket.length)
    ARPPacket(
      operation: operation, senderMAC: senderMAC, senderIP: senderIP, targetMAC: targetMAC,
      targetIP: targetIP
    ).emit(into: &body, at: 0)
    let destination =
      ethernetDestination ?? (operation == .request ? .broadcast : TestHosts.macA)
    return ethernet(
      to: destination, from: ethernetSource ?? senderMAC, type: .arp, payload: body)
  }

  /// An IPv4 packet (20-byte header, valid checksum) in an Ethernet frame.
  static func ipv4(
    to destinationMAC: MACAddress = TestHosts.macA, from sourceMAC: MACAddress = TestHosts.macB,
    source: IPv4Address = TestHosts.ipB, destination: IPv4Address = TestHosts.ipA,
    protocol ipProtocol: IPProtocol, payload: [UInt8], identification: UInt16 = 1,
    dontFragment: Bool = true, vlan: VLANTag? = nil
  ) -> [UInt8] {
    var packet = [UInt8](repeating: 0, count: IPv4Header.minimumLength)
    IPv4Header(
      source: source, destination: destination, protocol: ipProtocol,
      payloadLength: payload.count, identification: identification, dontFragment: dontFragment
    ).emit(into: &packet, at: 0)
    packet.append(contentsOf: payload)
    return ethernet(to: destinationMAC, from: sourceMAC, type: .ipv4, vlan: vlan, payload: packet)
  }

  /// Recomputes the IPv4 header checksum of `frame` after a field was changed.
  static func fixIPv4Checksum(_ frame: inout [UInt8], at offset: Int = EthernetHeader.length) {
    let headerLength = Int(frame[offset] & 0x0f) * 4
    frame[offset + 10] = 0
    frame[offset + 11] = 0
    var sum = InternetChecksum()
    sum.add(frame, range: offset..<min(offset + headerLength, frame.count))
    let checksum = sum.checksum
    frame[offset + 10] = UInt8(checksum >> 8)
    frame[offset + 11] = UInt8(checksum & 0xff)
  }

  /// An ICMP message body (header and `data`) with a valid checksum.
  static func icmpBody(_ message: ICMPv4Message, data: [UInt8]) -> [UInt8] {
    var body = [UInt8](repeating: 0, count: ICMPv4Packet.headerLength) + data
    ICMPv4Packet(message: message).emit(into: &body, at: 0, payloadLength: data.count)
    return body
  }

  /// An ICMP echo request in a frame.
  static func echoRequest(
    identifier: UInt16, sequence: UInt16, data: [UInt8],
    source: IPv4Address = TestHosts.ipB, destination: IPv4Address = TestHosts.ipA,
    to destinationMAC: MACAddress = TestHosts.macA
  ) -> [UInt8] {
    ipv4(
      to: destinationMAC, source: source, destination: destination, protocol: .icmp,
      payload: icmpBody(.echoRequest(identifier: identifier, sequence: sequence), data: data))
  }

  /// A UDP datagram body (header and payload) with a valid checksum.
  static func udpBody(
    sourcePort: UInt16, destinationPort: UInt16, payload: [UInt8],
    source: IPv4Address = TestHosts.ipB, destination: IPv4Address = TestHosts.ipA
  ) -> [UInt8] {
    var body = [UInt8](repeating: 0, count: UDPHeader.length) + payload
    UDPHeader(
      sourcePort: sourcePort, destinationPort: destinationPort, payloadLength: payload.count
    )
    .emit(into: &body, at: 0, source: source, destination: destination)
    return body
  }

  /// A UDP datagram in a frame.
  static func udp(
    sourcePort: UInt16, destinationPort: UInt16, payload: [UInt8],
    source: IPv4Address = TestHosts.ipB, destination: IPv4Address = TestHosts.ipA,
    to destinationMAC: MACAddress = TestHosts.macA
  ) -> [UInt8] {
    ipv4(
      to: destinationMAC, source: source, destination: destination, protocol: .udp,
      payload: udpBody(
        sourcePort: sourcePort, destinationPort: destinationPort, payload: payload,
        source: source, destination: destination))
  }

  /// A TCP segment body (header, options and payload) with a valid checksum.
  static func tcpBody(
    _ header: TCPHeader, payload: [UInt8] = [],
    source: IPv4Address = TestHosts.ipB, destination: IPv4Address = TestHosts.ipA
  ) -> [UInt8] {
    var body = [UInt8](repeating: 0, count: header.headerLength) + payload
    let length = header.emit(into: &body, at: 0)
    precondition(length == header.headerLength)
    TCPHeader.writeChecksum(
      in: &body, segment: 0..<body.count, source: source, destination: destination)
    return body
  }

  /// A raw TCP segment in a frame.
  static func tcp(
    _ header: TCPHeader, payload: [UInt8] = [],
    source: IPv4Address = TestHosts.ipB, destination: IPv4Address = TestHosts.ipA,
    from sourceMAC: MACAddress = TestHosts.macB, to destinationMAC: MACAddress = TestHosts.macA
  ) -> [UInt8] {
    ipv4(
      to: destinationMAC, from: sourceMAC, source: source, destination: destination,
      protocol: .tcp,
      payload: tcpBody(header, payload: payload, source: source, destination: destination))
  }
}

/// A frame a stack transmitted, parsed layer by layer as far as it goes.
struct ParsedFrame {
  let bytes: [UInt8]
  var ethernet: EthernetHeader?
  var arp: ARPPacket?
  var ip: IPv4Header?
  var icmp: ICMPv4Packet?
  var udp: UDPHeader?
  var tcp: TCPHeader?
  /// The bytes after the innermost parsed header (echo data, quoted datagram, UDP or TCP
  /// payload).
  var payload: [UInt8] = []
  /// The innermost payload as a range of `bytes`.
  var payloadRange: Range<Int> = 0..<0
  /// Which layer failed to parse (checksums verified everywhere), if any.
  var error: WireError?

  init(_ bytes: [UInt8]) {
    self.bytes = bytes
    do {
      let (ethernet, ethernetPayload) = try EthernetHeader.parse(bytes, in: 0..<bytes.count)
      self.ethernet = ethernet
      setPayload(ethernetPayload)
      if ethernet.etherType == .arp {
        arp = try ARPPacket.parse(bytes, in: ethernetPayload)
        return
      }
      guard ethernet.etherType == .ipv4 else { return }
      let (ip, ipPayload) = try IPv4Header.parse(bytes, in: ethernetPayload)
      self.ip = ip
      setPayload(ipPayload)
      switch ip.protocol {
      case .icmp:
        let (icmp, icmpPayload) = try ICMPv4Packet.parse(bytes, in: ipPayload)
        self.icmp = icmp
        setPayload(icmpPayload)
      case .udp:
        let (udp, udpPayload) = try UDPHeader.parse(
          bytes, in: ipPayload, source: ip.source, destination: ip.destination)
        self.udp = udp
        setPayload(udpPayload)
      case .tcp:
        let (tcp, tcpPayload) = try TCPHeader.parse(
          bytes, in: ipPayload, source: ip.source, destination: ip.destination)
        self.tcp = tcp
        setPayload(tcpPayload)
      default:
        break
      }
    } catch {
      self.error = error
    }
  }

  private mutating func setPayload(_ range: Range<Int>) {
    payloadRange = range
    payload = Array(bytes[range])
  }

  /// The datagram quoted by an ICMP error.
  var quoted: QuotedDatagram? {
    guard icmp != nil else { return nil }
    return try? QuotedDatagram.parse(bytes, in: payloadRange)
  }
}

/// Everything `stack` transmits now, parsed (transmit is called until it returns `false`).
func drain(_ stack: NetworkStack, at now: Instant) -> [ParsedFrame] {
  var result: [ParsedFrame] = []
  var frame: [UInt8] = []
  while stack.transmit(into: &frame, at: now) {
    result.append(ParsedFrame(frame))
  }
  return result
}

/// One stack as host A (198.18.0.1/24, `TestHosts.macA`) with secrets from a seeded generator.
func makeStack(
  seed: UInt64 = 1, _ adjust: (inout StackConfiguration) -> Void = { _ in }
) throws -> NetworkStack {
  var random = SeededRandom(seed: seed)
  return try NetworkStack(
    configuration: TestHosts.configuration(mac: TestHosts.macA, ip: TestHosts.ipA, adjust),
    random: &random)
}

/// Resolves host B's MAC in `stack`'s neighbour cache by feeding it an ARP request from B
/// (and discards the reply).
func teachNeighbor(
  _ stack: NetworkStack, ip: IPv4Address = TestHosts.ipB, mac: MACAddress = TestHosts.macB,
  at now: Instant
) {
  stack.receive(
    frame: PeerFrames.arp(.request, senderMAC: mac, senderIP: ip), at: now)
  _ = drain(stack, at: now)
}

/// Feeds one frame and checks it was dropped for exactly `reason` (and nothing else changed in
/// the accepted/dropped balance).
func expectDrop(
  _ stack: NetworkStack, _ frame: [UInt8], _ reason: DropReason, at now: Instant = .zero,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  let before = stack.counters
  stack.receive(frame: frame, at: now)
  let after = stack.counters
  #expect(after[reason] == before[reason] + 1, "\(reason)", sourceLocation: sourceLocation)
  #expect(after.totalDrops == before.totalDrops + 1, sourceLocation: sourceLocation)
  #expect(after.framesAccepted == before.framesAccepted, sourceLocation: sourceLocation)
  #expect(
    after.framesReceived == after.framesAccepted + after.totalDrops,
    sourceLocation: sourceLocation)
}

/// Feeds one frame and checks it was accepted.
func expectAccepted(
  _ stack: NetworkStack, _ frame: [UInt8], at now: Instant = .zero,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  let before = stack.counters
  stack.receive(frame: frame, at: now)
  let after = stack.counters
  #expect(
    after.framesAccepted == before.framesAccepted + 1,
    "drops: \(after.nonZeroDrops)", sourceLocation: sourceLocation)
  #expect(after.totalDrops == before.totalDrops, sourceLocation: sourceLocation)
}

/// Recomputes the checksum of a TCP segment from B to A.
func fixTCPChecksum(
  _ body: inout [UInt8], source: IPv4Address = TestHosts.ipB,
  destination: IPv4Address = TestHosts.ipA
) {
  TCPHeader.writeChecksum(
    in: &body, segment: 0..<body.count, source: source, destination: destination)
}
