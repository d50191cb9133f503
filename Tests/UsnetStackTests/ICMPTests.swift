import Testing
import UsnetSim
import UsnetStack
import UsnetWire

@Suite("ICMP")
struct ICMPTests {
  @Test(
    "an echo request gets one echo reply with the same id, sequence and data",
    arguments: [
      0, 1, 7, 56, 1472,
    ])
  func echo(dataLength: Int) throws {
    let stack = try makeStack()
    let data = patternBytes(count: dataLength, seed: UInt64(dataLength))
    expectAccepted(
      stack, PeerFrames.echoRequest(identifier: 0x1234, sequence: 0xbeef, data: data))
    let frames = drain(stack, at: .zero)
    try #require(frames.count == 1)
    let reply = frames[0]
    // ParsedFrame verifies the IPv4 and ICMP checksums.
    #expect(reply.error == nil)
    #expect(reply.ethernet?.destination == TestHosts.macB)
    #expect(reply.ethernet?.source == TestHosts.macA)
    #expect(reply.ip?.source == TestHosts.ipA)
    #expect(reply.ip?.destination == TestHosts.ipB)
    #expect(reply.ip?.protocol == .icmp)
    #expect(reply.icmp?.message == .echoReply(identifier: 0x1234, sequence: 0xbeef))
    #expect(reply.payload == data)
    #expect(stack.counters.icmpEchoRepliesSent == 1)
    // The reply went to the requester's MAC without an ARP exchange.
    #expect(stack.counters.arpRequestsSent == 0)
  }

  @Test("echo requests to a broadcast address are ignored")
  func broadcastEcho() throws {
    let stack = try makeStack()
    for destination in [IPv4Address(198, 18, 0, 255), .broadcast] {
      expectDrop(
        stack,
        PeerFrames.echoRequest(
          identifier: 1, sequence: 1, data: [1, 2, 3], destination: destination,
          to: .broadcast),
        .icmpIgnored)
    }
    #expect(drain(stack, at: .zero).isEmpty)
    #expect(stack.counters.icmpEchoRepliesSent == 0)
  }

  @Test("a bad ICMP checksum or a truncated message is malformedICMP")
  func badChecksum() throws {
    let stack = try makeStack()
    var frame = PeerFrames.echoRequest(identifier: 1, sequence: 2, data: [9, 9, 9, 9])
    let icmpOffset = EthernetHeader.length + IPv4Header.minimumLength
    frame[icmpOffset + 2] ^= 0x01
    expectDrop(stack, frame, .malformedICMP)
    frame = PeerFrames.echoRequest(identifier: 1, sequence: 2, data: [9, 9, 9, 9])
    frame[icmpOffset + 9] ^= 0x40  // a data byte
    expectDrop(stack, frame, .malformedICMP)
    // Only four bytes of ICMP.
    expectDrop(
      stack, PeerFrames.ipv4(protocol: .icmp, payload: [8, 0, 0xf7, 0xff]), .malformedICMP)
    #expect(drain(stack, at: .zero).isEmpty)
  }

  @Test("echo replies, unknown types and unmatched errors are ignored")
  func ignored() throws {
    let stack = try makeStack()
    expectDrop(
      stack,
      PeerFrames.ipv4(
        protocol: .icmp,
        payload: PeerFrames.icmpBody(.echoReply(identifier: 1, sequence: 1), data: [1])),
      .icmpIgnored)
    expectDrop(
      stack,
      PeerFrames.ipv4(
        protocol: .icmp,
        payload: PeerFrames.icmpBody(.other(type: 13, code: 0, rest: 0), data: [])),
      .icmpIgnored)
    // A port unreachable quoting a datagram no socket of ours sent.
    let quoted = Array(
      PeerFrames.udp(
        sourcePort: 5000, destinationPort: 53, payload: [1, 2, 3, 4], source: TestHosts.ipA,
        destination: TestHosts.ipB, to: TestHosts.macB
      ).dropFirst(EthernetHeader.length))
    expectDrop(
      stack,
      PeerFrames.ipv4(
        protocol: .icmp,
        payload: PeerFrames.icmpBody(
          .destinationUnreachable(.portUnreachable, nextHopMTU: 0), data: quoted)),
      .icmpIgnored)
    // An error quoting too little to name a flow.
    expectDrop(
      stack,
      PeerFrames.ipv4(
        protocol: .icmp,
        payload: PeerFrames.icmpBody(
          .destinationUnreachable(.portUnreachable, nextHopMTU: 0),
          data: Array(quoted.prefix(24)))),
      .icmpIgnored)
    #expect(drain(stack, at: .zero).isEmpty)
  }

  @Test("ping between two stacks: reply comes back over the link")
  func pingOverLink() throws {
    let link = try TestHosts.pair()
    // Teach A where B is, then inject an echo request from B's identity into A.
    link.a.receive(
      frame: PeerFrames.echoRequest(identifier: 7, sequence: 1, data: [1]), at: link.now)
    var replies = 0
    link.dropFilter = { direction, _, frame in
      if direction == .aToB,
        ParsedFrame(frame).icmp?.message
          == .echoReply(identifier: 7, sequence: 1)
      {
        replies += 1
      }
      return false
    }
    link.advance(by: .milliseconds(1))
    #expect(replies == 1)
    // B dropped A's echo reply as an ICMP message it does not act on.
    #expect(link.b.counters[.icmpIgnored] == 1)
  }
}
