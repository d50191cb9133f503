import Testing
import UsnetSim
import UsnetWire

@testable import UsnetStack

@Suite("Interface, Ethernet and IPv4")
struct InterfaceTests {
  static let ipOffset = EthernetHeader.length
  static let transportOffset = EthernetHeader.length + IPv4Header.minimumLength

  @Test("frames for another MAC are notOurMAC; other EtherTypes are unsupported")
  func notOurMAC() throws {
    let stack = try makeStack()
    expectDrop(
      stack,
      PeerFrames.echoRequest(
        identifier: 1, sequence: 1, data: [], to: MACAddress(0x02, 0, 0, 0, 0, 0x0c)),
      .notOurMAC)
    // A multicast MAC is not ours either.
    expectDrop(
      stack,
      PeerFrames.echoRequest(
        identifier: 1, sequence: 1, data: [], to: MACAddress(0x01, 0, 0x5e, 0, 0, 1)),
      .notOurMAC)
    expectDrop(
      stack, PeerFrames.ethernet(type: .ipv6, payload: [UInt8](repeating: 0x60, count: 40)),
      .unsupportedEtherType)
    #expect(drain(stack, at: .zero).isEmpty)
  }

  @Test("IPv4 for another address is notOurIPv4Address; bad sources are ipv4BadSource")
  func addressing() throws {
    let stack = try makeStack()
    expectDrop(
      stack,
      PeerFrames.echoRequest(
        identifier: 1, sequence: 1, data: [], destination: IPv4Address(198, 18, 0, 77)),
      .notOurIPv4Address)
    expectDrop(
      stack,
      PeerFrames.echoRequest(
        identifier: 1, sequence: 1, data: [], destination: IPv4Address(10, 0, 0, 1)),
      .notOurIPv4Address)
    // TCP to a broadcast address.
    expectDrop(
      stack,
      PeerFrames.tcp(
        TCPHeader(
          sourcePort: 1, destinationPort: 80, sequenceNumber: 1, acknowledgmentNumber: 0,
          flags: .syn, window: 100),
        destination: IPv4Address(198, 18, 0, 255), to: .broadcast),
      .notOurIPv4Address)
    for source in [
      IPv4Address(198, 18, 0, 255), .broadcast, IPv4Address(224, 0, 0, 1), TestHosts.ipA,
    ] {
      expectDrop(
        stack, PeerFrames.echoRequest(identifier: 1, sequence: 1, data: [], source: source),
        .ipv4BadSource)
    }
    expectDrop(
      stack, PeerFrames.ipv4(protocol: IPProtocol(rawValue: 47), payload: [0, 0, 0, 0]),
      .unsupportedIPProtocol)
    #expect(drain(stack, at: .zero).isEmpty)
  }

  @Test("fragments go to reassembly instead of UDP")
  func fragments() throws {
    let stack = try makeStack()
    let socket = try stack.bindUDP(port: 5000, at: .zero)
    // More fragments set on 12 bytes: not a multiple of 8, so malformed as a fragment.
    var frame = PeerFrames.udp(sourcePort: 9, destinationPort: 5000, payload: [1, 2, 3, 4])
    frame[Self.ipOffset + 6] = 0x20
    PeerFrames.fixIPv4Checksum(&frame)
    expectDrop(stack, frame, .ipv4FragmentMalformed)
    // A later fragment (offset 8 bytes), MF clear: held, waiting for the first.
    frame[Self.ipOffset + 6] = 0x00
    frame[Self.ipOffset + 7] = 0x01
    PeerFrames.fixIPv4Checksum(&frame)
    expectAccepted(stack, frame)
    #expect(stack.reassemblyDatagramsInProgress == 1)
    #expect(stack.pendingDatagrams(socket) == 0)
    #expect(drain(stack, at: .zero).isEmpty)
    // DF alone is fine.
    frame[Self.ipOffset + 6] = 0x40
    frame[Self.ipOffset + 7] = 0x00
    PeerFrames.fixIPv4Checksum(&frame)
    expectAccepted(stack, frame)
    #expect(stack.pendingDatagrams(socket) == 1)
  }

  @Test("a bad IPv4 header checksum is ipv4BadChecksum")
  func badChecksum() throws {
    let stack = try makeStack()
    var frame = PeerFrames.echoRequest(identifier: 1, sequence: 1, data: [1])
    frame[Self.ipOffset + 11] ^= 0x10
    expectDrop(stack, frame, .ipv4BadChecksum)
    frame = PeerFrames.echoRequest(identifier: 1, sequence: 1, data: [1])
    frame[Self.ipOffset + 8] = 1  // TTL changed, checksum not
    expectDrop(stack, frame, .ipv4BadChecksum)
    #expect(drain(stack, at: .zero).isEmpty)
  }

  @Test("truncated or broken headers of every layer are dropped with the layer's reason")
  func truncatedLayers() throws {
    let stack = try makeStack()
    _ = try stack.bindUDP(port: 5000, at: .zero)
    let echo = PeerFrames.echoRequest(identifier: 1, sequence: 1, data: [1, 2, 3, 4])
    // Ethernet.
    expectDrop(stack, [], .malformedEthernet)
    expectDrop(stack, Array(echo.prefix(13)), .malformedEthernet)
    let tagged = PeerFrames.ethernet(
      type: .ipv4, vlan: VLANTag(identifier: 5), payload: [])
    expectDrop(stack, Array(tagged.prefix(17)), .malformedEthernet)
    // ARP.
    expectDrop(stack, Array(PeerFrames.arp(.request).prefix(14 + 27)), .malformedARP)
    // IPv4: short header, bad version, bad IHL, total length beyond the frame or below IHL.
    expectDrop(stack, Array(echo.prefix(14 + 19)), .malformedIPv4)
    var frame = echo
    frame[Self.ipOffset] = 0x65
    expectDrop(stack, frame, .malformedIPv4)
    frame = echo
    frame[Self.ipOffset] = 0x44
    PeerFrames.fixIPv4Checksum(&frame)
    expectDrop(stack, frame, .malformedIPv4)
    frame = echo
    frame[Self.ipOffset] = 0x4f  // 60-byte header in a 32-byte packet
    expectDrop(stack, frame, .malformedIPv4)
    expectDrop(stack, Array(echo.dropLast()), .malformedIPv4)
    frame = echo
    frame[Self.ipOffset + 2] = 0
    frame[Self.ipOffset + 3] = 19
    PeerFrames.fixIPv4Checksum(&frame)
    expectDrop(stack, frame, .malformedIPv4)
    // ICMP, UDP and TCP shorter than their headers.
    expectDrop(
      stack, PeerFrames.ipv4(protocol: .icmp, payload: [8, 0, 0, 0, 0, 0, 0]),
      .malformedICMP)
    expectDrop(
      stack, PeerFrames.ipv4(protocol: .udp, payload: [0, 9, 0x13, 0x88, 0, 7, 0]),
      .malformedUDP)
    let segment = PeerFrames.tcpBody(
      TCPHeader(
        sourcePort: 1, destinationPort: 80, sequenceNumber: 1, acknowledgmentNumber: 0,
        flags: .syn, window: 100, options: TCPOptions(maximumSegmentSize: 1460)))
    expectDrop(
      stack, PeerFrames.ipv4(protocol: .tcp, payload: Array(segment.prefix(19))),
      .malformedTCP)
    // TCP data offsets below 5 or beyond the segment, a bad checksum, a bad option length.
    var body = segment
    body[12] = 0x40
    fixTCPChecksum(&body)
    expectDrop(stack, PeerFrames.ipv4(protocol: .tcp, payload: body), .malformedTCP)
    body = segment
    body[12] = 0xf0
    fixTCPChecksum(&body)
    expectDrop(stack, PeerFrames.ipv4(protocol: .tcp, payload: body), .malformedTCP)
    body = segment
    body[4] ^= 1
    expectDrop(stack, PeerFrames.ipv4(protocol: .tcp, payload: body), .malformedTCP)
    body = segment
    body[21] = 1  // MSS option length 1
    fixTCPChecksum(&body)
    expectDrop(stack, PeerFrames.ipv4(protocol: .tcp, payload: body), .malformedTCP)
    #expect(drain(stack, at: .zero).isEmpty)
    // The intact segment reaches TCP (no listener: answered with a RST).
    expectDrop(stack, PeerFrames.ipv4(protocol: .tcp, payload: segment), .tcpNoConnection)
    let reset = drain(stack, at: .zero)
    #expect(reset.count == 1)
    #expect(reset.first?.tcp?.flags == [.rst, .ack])
    #expect(reset.first?.tcp?.acknowledgmentNumber == 2)
  }

  @Test("Ethernet padding after a short IPv4 packet is ignored")
  func padding() throws {
    let stack = try makeStack()
    let socket = try stack.bindUDP(port: 5000, at: .zero)
    var frame = PeerFrames.udp(sourcePort: 9, destinationPort: 5000, payload: [1, 2])
    frame += [UInt8](repeating: 0xaa, count: 60 - frame.count)
    expectAccepted(stack, frame)
    var buffer = [UInt8](repeating: 0, count: 16)
    let info = try #require(try stack.receive(socket, into: &buffer, at: .zero))
    #expect(info.length == 2)
  }

  @Test("802.1Q-tagged frames are handled like untagged ones")
  func vlanTagged() throws {
    let stack = try makeStack()
    let tag = VLANTag(priority: 3, identifier: 42)
    expectAccepted(
      stack,
      PeerFrames.ipv4(
        protocol: .icmp,
        payload: PeerFrames.icmpBody(.echoRequest(identifier: 5, sequence: 6), data: [1, 2]),
        vlan: tag))
    var frames = drain(stack, at: .zero)
    #expect(frames.count == 1)
    #expect(frames.first?.icmp?.message == .echoReply(identifier: 5, sequence: 6))
    #expect(frames.first?.payload == [1, 2])
    // A tagged ARP request.
    var body = [UInt8](repeating: 0, count: ARPPacket.length)
    ARPPacket(
      operation: .request, senderMAC: TestHosts.macB, senderIP: TestHosts.ipB, targetMAC: .zero,
      targetIP: TestHosts.ipA
    ).emit(into: &body, at: 0)
    expectAccepted(
      stack, PeerFrames.ethernet(to: .broadcast, type: .arp, vlan: tag, payload: body))
    frames = drain(stack, at: .zero)
    #expect(frames.count == 1)
    #expect(frames.first?.arp?.operation == .reply)
  }

  @Test("off-link destinations go to the gateway's MAC")
  func gateway() throws {
    let gatewayIP = IPv4Address(198, 18, 0, 254)
    let gatewayMAC = MACAddress(0x02, 0, 0, 0, 0, 0xfe)
    let remote = IPv4Address(10, 1, 2, 3)
    let stack = try makeStack { $0.interface.gateway = gatewayIP }
    let socket = try stack.bindUDP(port: 5000, at: .zero)
    try stack.send(socket, [1, 2, 3], to: (remote, 53), at: .zero)
    var frames = drain(stack, at: .zero)
    #expect(frames.count == 1)
    #expect(frames.first?.arp?.targetIP == gatewayIP)
    expectAccepted(
      stack,
      PeerFrames.arp(
        .reply, senderMAC: gatewayMAC, senderIP: gatewayIP, targetMAC: TestHosts.macA,
        targetIP: TestHosts.ipA))
    frames = drain(stack, at: .zero)
    try #require(frames.count == 1)
    #expect(frames[0].ethernet?.destination == gatewayMAC)
    #expect(frames[0].ip?.source == TestHosts.ipA)
    #expect(frames[0].ip?.destination == remote)
    #expect(frames[0].payload == [1, 2, 3])
    // TCP too: the SYN goes to the gateway.
    let connection = try stack.connect(to: remote, port: 80, at: .zero)
    frames = drain(stack, at: .zero)
    #expect(frames.count == 1)
    #expect(frames.first?.ethernet?.destination == gatewayMAC)
    #expect(frames.first?.tcp?.flags == .syn)
    #expect(stack.info(connection)?.tuple.remoteAddress == remote)
    // On-link hosts are still resolved directly.
    try stack.send(socket, [4], to: (TestHosts.ipB, 53), at: .zero)
    frames = drain(stack, at: .zero)
    #expect(frames.first?.arp?.targetIP == TestHosts.ipB)
  }

  @Test("without a route, connect and send fail with networkUnreachable")
  func noRoute() throws {
    let stack = try makeStack()
    let remote = IPv4Address(10, 1, 2, 3)
    #expect(throws: StackError.networkUnreachable) {
      try stack.connect(to: remote, port: 80, at: .zero)
    }
    let socket = try stack.bindUDP(port: 5000, at: .zero)
    #expect(throws: StackError.networkUnreachable) {
      try stack.send(socket, [1], to: (remote, 53), at: .zero)
    }
    #expect(throws: StackError.networkUnreachable) {
      try stack.connectUDP(socket, to: (remote, 53))
    }
    #expect(drain(stack, at: .zero).isEmpty)
    #expect(stack.nextDeadline == nil)
  }

  @Test("closing a listener releases a half-open connection whose peer has no route")
  func orphanWithoutRoute() throws {
    let stack = try makeStack()
    let listener = try stack.listen(port: 80, backlog: 4, at: .zero)
    let syn = TCPHeader(
      sourcePort: 1234, destinationPort: 80, sequenceNumber: 1000, acknowledgmentNumber: 0,
      flags: .syn, window: 1000)
    let remote = IPv4Address(10, 9, 8, 7)
    expectAccepted(
      stack, PeerFrames.tcp(syn, source: remote, destination: TestHosts.ipA))
    #expect(drain(stack, at: .zero).isEmpty)
    #expect(stack.connections.count == 1)
    stack.close(listener, at: .milliseconds(1))
    #expect(drain(stack, at: .milliseconds(1)).isEmpty)
    #expect(stack.connections.count == 0)
    #expect(stack.connectionsByTuple.isEmpty)
    #expect(stack.nextDeadline == nil)
  }

  @Test("closing a listener releases a half-open connection whose peer never answers ARP")
  func orphanWithoutNeighbor() throws {
    let stack = try makeStack()
    let interval = stack.configuration.neighbors.requestInterval
    let listener = try stack.listen(port: 80, backlog: 4, at: .zero)
    let syn = TCPHeader(
      sourcePort: 1234, destinationPort: 80, sequenceNumber: 1000, acknowledgmentNumber: 0,
      flags: .syn, window: 1000)
    let silent = IPv4Address(198, 18, 0, 77)
    expectAccepted(stack, PeerFrames.tcp(syn, source: silent, destination: TestHosts.ipA))
    #expect(drain(stack, at: .zero).first?.arp?.targetIP == silent)
    stack.close(listener, at: .milliseconds(1))
    var now = Instant.milliseconds(1)
    var requests = 0
    for _ in 0..<10 {
      requests += drain(stack, at: now).filter { $0.arp != nil }.count
      now = now + interval
    }
    // The RST it owed cannot be sent: the connection goes once the resolution gives up.
    #expect(stack.connections.count == 0)
    #expect(stack.connectionsByTuple.isEmpty)
    #expect(stack.nextDeadline == nil)
    #expect(requests <= stack.configuration.neighbors.maximumRequests)
  }

  @Test("a second address answers from itself")
  func secondAddress() throws {
    let second = IPv4Address(192, 0, 2, 10)
    let stack = try makeStack {
      $0.interface.addresses.append(IPv4Network(address: second, prefixLength: 24).orCrash())
    }
    let peer = IPv4Address(192, 0, 2, 20)
    expectAccepted(
      stack,
      PeerFrames.echoRequest(
        identifier: 3, sequence: 4, data: [], source: peer, destination: second))
    let frames = drain(stack, at: .zero)
    #expect(frames.count == 1)
    #expect(frames.first?.ip?.source == second)
    #expect(frames.first?.ip?.destination == peer)
    // ARP for the second address is answered too, and sending to its subnet uses it.
    expectAccepted(stack, PeerFrames.arp(.request, senderIP: peer, targetIP: second))
    #expect(drain(stack, at: .zero).first?.arp?.senderIP == second)
    let socket = try stack.bindUDP(port: 5000, at: .zero)
    try stack.send(socket, [1], to: (peer, 7), at: .zero)
    #expect(drain(stack, at: .zero).first?.ip?.source == second)
  }

  @Test("configuration errors name the field, the value and what is accepted")
  func configurationValidation() throws {
    func rejection(_ adjust: (inout StackConfiguration) -> Void) -> ConfigurationError? {
      var random = SeededRandom(seed: 1)
      do {
        _ = try NetworkStack(
          configuration: TestHosts.configuration(mac: TestHosts.macA, ip: TestHosts.ipA, adjust),
          random: &random)
        return nil
      } catch {
        return error
      }
    }
    #expect(rejection { _ in } == nil)
    let mtu = try #require(rejection { $0.interface.mtu = 100 })
    #expect(mtu.field == "interface.mtu")
    #expect(mtu.value == "100")
    #expect(mtu.accepted.contains("576"))
    #expect(mtu.description.contains("interface.mtu: 100"))
    #expect(rejection { $0.interface.mtu = 576 } == nil)
    #expect(rejection { $0.interface.mtu = 65536 }?.field == "interface.mtu")
    let empty = try #require(rejection { $0.interface.addresses = [] })
    #expect(empty.field == "interface.addresses")
    #expect(empty.value == "[]")
    let multicast = rejection {
      $0.interface.addresses = [IPv4Network(address: IPv4Address(224, 0, 0, 1), prefixLength: 4)!]
    }
    #expect(multicast?.field == "interface.addresses")
    #expect(multicast?.value == "224.0.0.1/4")
    let mac = rejection { $0.interface.macAddress = MACAddress(0x01, 0, 0, 0, 0, 1) }
    #expect(mac?.field == "interface.macAddress")
    let gateway = try #require(rejection { $0.interface.gateway = IPv4Address(10, 0, 0, 1) })
    #expect(gateway.field == "interface.gateway")
    #expect(gateway.value == "10.0.0.1")
    #expect(gateway.accepted.contains("prefix"))
    let send = rejection { $0.tcp.sendBufferSize = 100 }
    #expect(send?.field == "tcp.sendBufferSize")
    #expect(send?.value == "100")
    #expect(rejection { $0.tcp.receiveBufferSize = 1 << 31 }?.field == "tcp.receiveBufferSize")
    let initial = rejection { $0.tcp.initialReceiveBufferSize = 512 }
    #expect(initial?.field == "tcp.initialReceiveBufferSize")
    #expect(initial?.value == "512" && initial?.accepted == "bytes from 1024 to 1073741824")
    let quick = rejection { $0.tcp.quickACKs = -1 }
    #expect(quick?.field == "tcp.quickACKs" && quick?.accepted == "0 to 1000 segments")
    #expect(rejection { $0.tcp.initialRTO = .milliseconds(1) }?.field == "tcp.initialRTO")
    #expect(rejection { $0.tcp.ephemeralPorts = 80...90 }?.field == "tcp.ephemeralPorts")
    #expect(rejection { $0.udp.receiveQueueBytes = 10 }?.field == "udp.receiveQueueBytes")
    #expect(rejection { $0.udp.receiveQueueDatagrams = 0 }?.field == "udp.receiveQueueDatagrams")
    #expect(
      rejection { $0.neighbors.maximumRequests = 0 }?.field == "neighbors.maximumRequests")
    #expect(
      rejection { $0.neighbors.pendingPacketLimit = 0 }?.field == "neighbors.pendingPacketLimit")
    #expect(
      rejection { $0.neighbors.requestInterval = .zero }?.field == "neighbors.requestInterval")
  }
}
