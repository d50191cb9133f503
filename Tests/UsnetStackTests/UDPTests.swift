import Testing
import UsnetSim
import UsnetStack
import UsnetWire

@Suite("UDP")
struct UDPTests {
  @Test("bind, send and receive between two stacks, both ways")
  func exchange() throws {
    let link = try TestHosts.pair(latency: .milliseconds(1))
    let socketA = try link.a.bindUDP(port: 5000, at: link.now)
    let socketB = try link.b.bindUDP(address: TestHosts.ipB, port: 6000, at: link.now)
    let request = patternBytes(count: 1000, seed: 1)
    try link.a.send(socketA, request, to: (TestHosts.ipB, 6000), at: link.now)
    #expect(link.run(for: .seconds(1)) { link.b.pendingDatagrams(socketB) == 1 })
    var buffer = [UInt8](repeating: 0, count: 2000)
    let info = try #require(try link.b.receive(socketB, into: &buffer, at: link.now))
    #expect(info.count == 1000)
    #expect(info.length == 1000)
    #expect(info.sourceAddress == TestHosts.ipA)
    #expect(info.sourcePort == 5000)
    #expect(Array(buffer[0..<info.count]) == request)
    #expect(try link.b.receive(socketB, into: &buffer, at: link.now) == nil)

    // The answer uses a sub-range of a larger buffer on both ends.
    let reply = patternBytes(count: 300, seed: 2)
    try link.b.send(
      socketB, reply, range: 100..<300, to: (info.sourceAddress, info.sourcePort), at: link.now)
    #expect(link.run(for: .seconds(1)) { link.a.pendingDatagrams(socketA) == 1 })
    let back = try #require(
      try link.a.receive(socketA, into: &buffer, range: 10..<510, at: link.now))
    #expect(back.count == 200)
    #expect(back.sourcePort == 6000)
    #expect(Array(buffer[10..<210]) == Array(reply[100..<300]))
    let endpointA = try link.a.localEndpoint(socketA)
    #expect(endpointA.address == .any && endpointA.port == 5000)
    let endpointB = try link.b.localEndpoint(socketB)
    #expect(endpointB.address == TestHosts.ipB && endpointB.port == 6000)
    // An empty datagram is a datagram.
    try link.a.send(socketA, [], to: (TestHosts.ipB, 6000), at: link.now)
    #expect(link.run(for: .seconds(1)) { link.b.pendingDatagrams(socketB) == 1 })
    let empty = try #require(try link.b.receive(socketB, into: &buffer, at: link.now))
    #expect(empty.count == 0 && empty.length == 0)
  }

  @Test("port 0 picks distinct ephemeral ports in the configured range")
  func ephemeral() throws {
    let stack = try makeStack()
    var ports: Set<UInt16> = []
    for _ in 0..<50 {
      let socket = try stack.bindUDP(port: 0, at: .zero)
      let port = try stack.localEndpoint(socket).port
      #expect(stack.configuration.udp.ephemeralPorts.contains(port))
      ports.insert(port)
    }
    #expect(ports.count == 50)
    // A tiny range runs out.
    let small = try makeStack { $0.udp.ephemeralPorts = 40000...40001 }
    _ = try small.bindUDP(port: 0, at: .zero)
    _ = try small.bindUDP(port: 0, at: .zero)
    #expect(throws: StackError.addressNotAvailable) { try small.bindUDP(port: 0, at: .zero) }
  }

  @Test("binding a taken port fails with addressInUse; a foreign address is not available")
  func addressInUse() throws {
    let stack = try makeStack()
    let first = try stack.bindUDP(port: 7000, at: .zero)
    #expect(throws: StackError.addressInUse) { try stack.bindUDP(port: 7000, at: .zero) }
    #expect(throws: StackError.addressInUse) {
      try stack.bindUDP(address: TestHosts.ipA, port: 7000, at: .zero)
    }
    _ = try stack.bindUDP(address: TestHosts.ipA, port: 7001, at: .zero)
    #expect(throws: StackError.addressInUse) { try stack.bindUDP(port: 7001, at: .zero) }
    #expect(throws: StackError.addressNotAvailable) {
      try stack.bindUDP(address: TestHosts.ipB, port: 7002, at: .zero)
    }
    // Closing frees the port; the stale handle is invalid.
    stack.close(first, at: .zero)
    _ = try stack.bindUDP(port: 7000, at: .zero)
    #expect(throws: StackError.invalidHandle) { try stack.localEndpoint(first) }
    var buffer = [UInt8](repeating: 0, count: 4)
    #expect(throws: StackError.invalidHandle) {
      try stack.receive(first, into: &buffer, at: .zero)
    }
  }

  @Test("the receive queue is bounded; overflow is counted udpReceiveQueueFull")
  func boundedQueue() throws {
    let stack = try makeStack { $0.udp.receiveQueueDatagrams = 4 }
    let socket = try stack.bindUDP(port: 5000, at: .zero)
    for index in 0..<6 {
      let frame = PeerFrames.udp(sourcePort: 9, destinationPort: 5000, payload: [UInt8(index)])
      if index < 4 {
        expectAccepted(stack, frame)
      } else {
        expectDrop(stack, frame, .udpReceiveQueueFull)
      }
    }
    #expect(stack.pendingDatagrams(socket) == 4)
    var buffer = [UInt8](repeating: 0, count: 16)
    var seen: [UInt8] = []
    while let info = try stack.receive(socket, into: &buffer, at: .zero) {
      #expect(info.count == 1)
      seen.append(buffer[0])
    }
    #expect(seen == [0, 1, 2, 3])
    // Room again.
    expectAccepted(stack, PeerFrames.udp(sourcePort: 9, destinationPort: 5000, payload: [7]))
    #expect(drain(stack, at: .zero).isEmpty)
  }

  @Test("the byte limit of the receive queue applies too")
  func byteBoundedQueue() throws {
    let stack = try makeStack { $0.udp.receiveQueueBytes = 3000 }
    let socket = try stack.bindUDP(port: 5000, at: .zero)
    let payload = [UInt8](repeating: 1, count: 1000)
    for _ in 0..<3 {
      expectAccepted(stack, PeerFrames.udp(sourcePort: 9, destinationPort: 5000, payload: payload))
    }
    expectDrop(
      stack, PeerFrames.udp(sourcePort: 9, destinationPort: 5000, payload: [1]),
      .udpReceiveQueueFull)
    #expect(stack.pendingDatagrams(socket) == 3)
  }

  @Test("a datagram longer than the buffer is truncated and the rest discarded")
  func truncation() throws {
    let stack = try makeStack()
    let socket = try stack.bindUDP(port: 5000, at: .zero)
    let payload = patternBytes(count: 100, seed: 3)
    expectAccepted(stack, PeerFrames.udp(sourcePort: 9, destinationPort: 5000, payload: payload))
    expectAccepted(stack, PeerFrames.udp(sourcePort: 9, destinationPort: 5000, payload: [42]))
    var buffer = [UInt8](repeating: 0, count: 10)
    let info = try #require(try stack.receive(socket, into: &buffer, at: .zero))
    #expect(info.count == 10)
    #expect(info.length == 100)
    #expect(buffer == Array(payload[0..<10]))
    let next = try #require(try stack.receive(socket, into: &buffer, at: .zero))
    #expect(next.count == 1 && next.length == 1)
    #expect(buffer[0] == 42)
    #expect(try stack.receive(socket, into: &buffer, at: .zero) == nil)
    #expect(throws: StackError.self) {
      try stack.receive(socket, into: &buffer, range: 5..<11, at: .zero)
    }
  }

  @Test("peek leaves the datagram queued")
  func peek() throws {
    let stack = try makeStack()
    let socket = try stack.bindUDP(port: 5000, at: .zero)
    expectAccepted(stack, PeerFrames.udp(sourcePort: 9, destinationPort: 5000, payload: [1, 2, 3]))
    var buffer = [UInt8](repeating: 0, count: 2)
    let peeked = try #require(try stack.receive(socket, into: &buffer, peek: true, at: .zero))
    #expect(peeked.count == 2 && peeked.length == 3)
    #expect(buffer == [1, 2])
    #expect(stack.pendingDatagrams(socket) == 1)
    buffer = [0, 0, 0, 0]
    let taken = try #require(try stack.receive(socket, into: &buffer, at: .zero))
    #expect(taken.count == 3 && taken.length == 3)
    #expect(taken.sourceAddress == TestHosts.ipB && taken.sourcePort == 9)
    #expect(buffer == [1, 2, 3, 0])
    #expect(stack.pendingDatagrams(socket) == 0)
  }

  @Test("a connected socket only receives from its peer")
  func connectedFiltering() throws {
    let stack = try makeStack()
    let socket = try stack.bindUDP(port: 5000, at: .zero)
    try stack.connectUDP(socket, to: (TestHosts.ipB, 6000))
    expectDrop(
      stack, PeerFrames.udp(sourcePort: 6001, destinationPort: 5000, payload: [1]), .udpNoSocket)
    let other = IPv4Address(198, 18, 0, 3)
    expectDrop(
      stack,
      PeerFrames.udp(sourcePort: 6000, destinationPort: 5000, payload: [2], source: other),
      .udpNoSocket)
    expectAccepted(stack, PeerFrames.udp(sourcePort: 6000, destinationPort: 5000, payload: [3]))
    #expect(stack.pendingDatagrams(socket) == 1)
    // Filtered datagrams are not answered with port unreachable.
    #expect(drain(stack, at: .zero).isEmpty)
    // Sending without a destination goes to the peer; disconnecting allows everyone again.
    teachNeighbor(stack, at: .zero)
    try stack.send(socket, [4], at: .zero)
    let sent = drain(stack, at: .zero)
    #expect(sent.count == 1)
    #expect(sent.first?.udp?.destinationPort == 6000)
    try stack.connectUDP(socket, to: nil)
    #expect(throws: StackError.notConnected) { try stack.send(socket, [5], at: .zero) }
    expectAccepted(stack, PeerFrames.udp(sourcePort: 6001, destinationPort: 5000, payload: [6]))
    #expect(stack.pendingDatagrams(socket) == 2)
    #expect(throws: StackError.self) { try stack.connectUDP(socket, to: (TestHosts.ipB, 0)) }
  }

  @Test("a datagram to a closed port is answered with port unreachable quoting it")
  func closedPort() throws {
    let stack = try makeStack()
    let payload = patternBytes(count: 40, seed: 4)
    let frame = PeerFrames.udp(sourcePort: 4444, destinationPort: 9999, payload: payload)
    expectDrop(stack, frame, .udpNoSocket)
    let frames = drain(stack, at: .zero)
    try #require(frames.count == 1)
    let reply = frames[0]
    #expect(reply.error == nil)
    #expect(reply.ethernet?.destination == TestHosts.macB)
    #expect(reply.ip?.source == TestHosts.ipA)
    #expect(reply.ip?.destination == TestHosts.ipB)
    #expect(reply.icmp?.message == .destinationUnreachable(.portUnreachable, nextHopMTU: 0))
    let quoted = try #require(reply.quoted)
    #expect(quoted.header.source == TestHosts.ipB)
    #expect(quoted.header.destination == TestHosts.ipA)
    #expect(quoted.header.protocol == .udp)
    #expect(quoted.sourcePort == 4444)
    #expect(quoted.destinationPort == 9999)
    // The whole small datagram is quoted, byte for byte.
    #expect(reply.payload == Array(frame[EthernetHeader.length...]))
    #expect(stack.counters.icmpUnreachablesSent == 1)
    // A large datagram is quoted up to 576 bytes of ICMP packet.
    expectDrop(
      stack,
      PeerFrames.udp(
        sourcePort: 4444, destinationPort: 9999, payload: patternBytes(count: 1400, seed: 5)),
      .udpNoSocket)
    let large = drain(stack, at: .zero)
    #expect(large.count == 1)
    #expect(large.first.map { $0.payloadRange.count + 28 } == 576)
    // Broadcast datagrams to closed ports are not answered.
    expectDrop(
      stack,
      PeerFrames.udp(
        sourcePort: 4444, destinationPort: 9999, payload: [1],
        destination: IPv4Address(198, 18, 0, 255), to: .broadcast),
      .udpNoSocket)
    #expect(drain(stack, at: .zero).isEmpty)
  }

  @Test("a connected socket reports port unreachable from its next call, once")
  func connectedUnreachable() throws {
    let link = try TestHosts.pair(latency: .milliseconds(1))
    let socket = try link.a.bindUDP(port: 5000, at: link.now)
    try link.a.connectUDP(socket, to: (TestHosts.ipB, 9999))
    try link.a.send(socket, [1, 2, 3], at: link.now)
    #expect(link.run(for: .seconds(1)) { link.b.counters.icmpUnreachablesSent == 1 })
    link.advance(by: .milliseconds(5))
    #expect(link.a.counters.framesAccepted == link.a.counters.framesReceived)
    #expect(throws: StackError.datagramUnreachable(.port)) {
      try link.a.send(socket, [4], at: link.now)
    }
    // Reported once: the next send works.
    try link.a.send(socket, [5], at: link.now)
    #expect(link.run(for: .seconds(1)) { link.b.counters.icmpUnreachablesSent == 2 })
    link.advance(by: .milliseconds(5))
    var buffer = [UInt8](repeating: 0, count: 8)
    #expect(throws: StackError.datagramUnreachable(.port)) {
      try link.a.receive(socket, into: &buffer, at: link.now)
    }
    #expect(try link.a.receive(socket, into: &buffer, at: link.now) == nil)
    #expect(link.b.counters[.udpNoSocket] == 2)

    // An unconnected socket is not told.
    let loose = try link.a.bindUDP(port: 5001, at: link.now)
    try link.a.send(loose, [6], to: (TestHosts.ipB, 9999), at: link.now)
    #expect(link.run(for: .seconds(1)) { link.b.counters.icmpUnreachablesSent == 3 })
    link.advance(by: .milliseconds(5))
    #expect(link.a.counters[.icmpIgnored] == 1)
    try link.a.send(loose, [7], to: (TestHosts.ipB, 9999), at: link.now)
  }

  @Test("beyond 65,507 bytes, or the MTU with don't-fragment, send fails with messageTooLong")
  func messageTooLong() throws {
    let stack = try makeStack()
    teachNeighbor(stack, at: .zero)
    let socket = try stack.bindUDP(port: 5000, at: .zero)
    let fits = [UInt8](repeating: 7, count: 1500 - 28)
    try stack.send(socket, fits, to: (TestHosts.ipB, 7), at: .zero)
    let frames = drain(stack, at: .zero)
    #expect(frames.count == 1)
    #expect(frames.first?.payload == fits)
    #expect(frames.first?.bytes.count == 1514)
    #expect(frames.first?.ip?.dontFragment == false)
    #expect(throws: StackError.messageTooLong) {
      try stack.send(
        socket, [UInt8](repeating: 7, count: 65508), to: (TestHosts.ipB, 7), at: .zero)
    }
    // Don't-fragment: DF on every datagram, and nothing beyond the MTU.
    #expect(try stack.dontFragment(of: socket) == false)
    try stack.setDontFragment(socket, true)
    #expect(try stack.dontFragment(of: socket))
    #expect(throws: StackError.messageTooLong) {
      try stack.send(socket, fits + [7], to: (TestHosts.ipB, 7), at: .zero)
    }
    try stack.send(socket, fits, to: (TestHosts.ipB, 7), at: .zero)
    let withDF = drain(stack, at: .zero)
    #expect(withDF.count == 1 && withDF.first?.ip?.dontFragment == true)
    try stack.setDontFragment(socket, false)
    #expect(throws: StackError.self) {
      try stack.send(socket, fits, range: 0..<2000, to: (TestHosts.ipB, 7), at: .zero)
    }
    #expect(throws: StackError.self) {
      try stack.send(socket, [1], to: (TestHosts.ipB, 0), at: .zero)
    }
    #expect(drain(stack, at: .zero).isEmpty)
    stack.close(socket, at: .zero)
    #expect(throws: StackError.invalidHandle) { try stack.setDontFragment(socket, true) }
  }

  @Test("broadcast datagrams go to the broadcast MAC without ARP and are received")
  func broadcast() throws {
    let stack = try makeStack()
    let socket = try stack.bindUDP(port: 5000, at: .zero)
    try stack.send(socket, [1], to: (IPv4Address(198, 18, 0, 255), 67), at: .zero)
    let frames = drain(stack, at: .zero)
    #expect(frames.count == 1)
    #expect(frames.first?.ethernet?.destination == .broadcast)
    #expect(stack.counters.arpRequestsSent == 0)
    expectAccepted(
      stack,
      PeerFrames.udp(
        sourcePort: 68, destinationPort: 5000, payload: [2], destination: .broadcast,
        to: .broadcast))
    #expect(stack.pendingDatagrams(socket) == 1)
  }

  @Test("bad UDP checksums and length fields are malformedUDP; a zero checksum is accepted")
  func malformed() throws {
    let stack = try makeStack()
    let socket = try stack.bindUDP(port: 5000, at: .zero)
    let udpOffset = EthernetHeader.length + IPv4Header.minimumLength
    var frame = PeerFrames.udp(sourcePort: 9, destinationPort: 5000, payload: [1, 2, 3])
    frame[udpOffset + 8] ^= 0xff
    expectDrop(stack, frame, .malformedUDP)
    frame = PeerFrames.udp(sourcePort: 9, destinationPort: 5000, payload: [1, 2, 3])
    frame[udpOffset + 5] = 7  // length 7 < 8
    expectDrop(stack, frame, .malformedUDP)
    frame = PeerFrames.udp(sourcePort: 9, destinationPort: 5000, payload: [1, 2, 3])
    frame[udpOffset + 5] = 12  // longer than the IP payload
    expectDrop(stack, frame, .malformedUDP)
    frame = PeerFrames.udp(sourcePort: 9, destinationPort: 5000, payload: [1, 2, 3])
    frame[udpOffset + 6] = 0
    frame[udpOffset + 7] = 0
    expectAccepted(stack, frame)
    #expect(stack.pendingDatagrams(socket) == 1)
  }
}
