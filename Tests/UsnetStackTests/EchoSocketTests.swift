import Testing
import UsnetSim
import UsnetStack
import UsnetWire

@Suite("ICMP echo sockets")
struct EchoSocketTests {
  @Test("a request goes out with the socket's identifier, and its reply comes back to it")
  func requestAndReply() throws {
    let stack = try makeStack()
    teachNeighbor(stack, at: .zero)
    let socket = try stack.openEchoSocket()
    let identifier = try #require(stack.echoIdentifier(of: socket))
    let data = patternBytes(count: 56, seed: 3)
    try stack.sendEchoRequest(socket, to: TestHosts.ipB, sequence: 7, payload: data, at: .zero)
    let frames = drain(stack, at: .zero)
    try #require(frames.count == 1)
    #expect(frames[0].error == nil)
    #expect(frames[0].ethernet?.destination == TestHosts.macB)
    #expect(frames[0].ip?.destination == TestHosts.ipB)
    #expect(frames[0].icmp?.message == .echoRequest(identifier: identifier, sequence: 7))
    #expect(frames[0].payload == data)
    #expect(try stack.receiveEchoReply(socket) == nil)

    var reply = PeerFrames.ipv4(
      protocol: .icmp,
      payload: PeerFrames.icmpBody(
        .echoReply(identifier: identifier, sequence: 7), data: data))
    reply[EthernetHeader.length + 8] = 61  // the TTL the reply arrives with
    PeerFrames.fixIPv4Checksum(&reply)
    expectAccepted(stack, reply)
    var events: [SocketEvent] = []
    stack.takeSocketEvents(into: &events)
    #expect(events == [.echo(socket)])
    let received = try #require(try stack.receiveEchoReply(socket))
    #expect(
      received == EchoReply(source: TestHosts.ipB, sequence: 7, payload: data, timeToLive: 61))
    #expect(stack.counters.icmpEchoRepliesReceived == 1)
  }

  @Test("a reply with an identifier no socket owns is ignored")
  func strayReply() throws {
    let stack = try makeStack()
    let socket = try stack.openEchoSocket()
    let identifier = try #require(stack.echoIdentifier(of: socket))
    expectDrop(
      stack,
      PeerFrames.ipv4(
        protocol: .icmp,
        payload: PeerFrames.icmpBody(
          .echoReply(identifier: identifier &+ 1, sequence: 1), data: [1])),
      .icmpIgnored)
    #expect(try stack.receiveEchoReply(socket) == nil)
  }

  @Test("two sockets get different identifiers; a closed socket's replies are ignored")
  func identifiersAndClose() throws {
    let stack = try makeStack()
    let first = try stack.openEchoSocket()
    let second = try stack.openEchoSocket()
    let identifier = try #require(stack.echoIdentifier(of: first))
    #expect(identifier != stack.echoIdentifier(of: second))
    stack.close(first)
    #expect(stack.echoIdentifier(of: first) == nil)
    #expect(throws: StackError.self) { try stack.receiveEchoReply(first) }
    expectDrop(
      stack,
      PeerFrames.ipv4(
        protocol: .icmp,
        payload: PeerFrames.icmpBody(.echoReply(identifier: identifier, sequence: 1), data: [])),
      .icmpIgnored)
  }

  @Test("the reply queue is bounded; the overflow is dropped and counted")
  func boundedQueue() throws {
    let stack = try makeStack()
    let socket = try stack.openEchoSocket()
    let identifier = try #require(stack.echoIdentifier(of: socket))
    for sequence in 0..<70 {
      stack.receive(
        frame: PeerFrames.ipv4(
          protocol: .icmp,
          payload: PeerFrames.icmpBody(
            .echoReply(identifier: identifier, sequence: UInt16(sequence)), data: [])),
        at: .zero)
    }
    #expect(stack.counters.icmpEchoRepliesReceived == 64)
    #expect(stack.counters.icmpEchoRepliesDropped == 6)
    var sequences: [UInt16] = []
    while let reply = try stack.receiveEchoReply(socket) { sequences.append(reply.sequence) }
    #expect(sequences == (0..<64).map { UInt16($0) })
  }

  @Test("a request to the stack's own address is answered at once; no route is an error")
  func ownAddressAndNoRoute() throws {
    let stack = try makeStack()
    let socket = try stack.openEchoSocket()
    try stack.sendEchoRequest(socket, to: TestHosts.ipA, sequence: 2, payload: [4], at: .zero)
    #expect(drain(stack, at: .zero).isEmpty)
    #expect(try stack.receiveEchoReply(socket)?.source == TestHosts.ipA)
    #expect(throws: StackError.networkUnreachable) {
      try stack.sendEchoRequest(
        socket, to: IPv4Address(203, 0, 113, 1), sequence: 3, payload: [], at: .zero)
    }
  }

  @Test("before the neighbour is known the request waits for ARP")
  func waitsForARP() throws {
    let stack = try makeStack()
    let socket = try stack.openEchoSocket()
    try stack.sendEchoRequest(socket, to: TestHosts.ipB, sequence: 1, payload: [], at: .zero)
    let frames = drain(stack, at: .zero)
    #expect(frames.count == 1)
    #expect(frames.first?.arp?.operation == .request)
    teachNeighbor(stack, at: .zero)
    #expect(stack.counters.arpRequestsSent == 1)
  }
}
