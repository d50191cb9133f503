import Testing
import UsnetStack
import UsnetWire

/// The path MTU cache as UDP sees it: datagrams to a lowered destination are fragmented at its
/// MTU, or refused with don't-fragment, and the cache stays within its capacity.
@Suite("UDP and the path MTU cache")
struct UDPPathMTUTests {
  static let router = IPv4Address(198, 18, 0, 254)

  /// An ICMP fragmentation needed from the router that quotes the first 28 bytes of the IPv4
  /// packet in `frame`.
  static func fragmentationNeeded(quoting frame: ParsedFrame, mtu: UInt16) -> [UInt8] {
    let quoted = Array(frame.bytes[EthernetHeader.length..<(EthernetHeader.length + 28)])
    return PeerFrames.ipv4(
      source: router, protocol: .icmp,
      payload: PeerFrames.icmpBody(
        .destinationUnreachable(.fragmentationNeeded, nextHopMTU: mtu), data: quoted))
  }

  @Test("after fragmentation needed, datagrams are fragmented at the path MTU; DF ones refused")
  func fragmentsAtPathMTU() throws {
    let stack = try makeStack()
    teachNeighbor(stack, at: .zero)
    let socket = try stack.bindUDP(port: 5000, at: .zero)
    let data = patternBytes(count: 1400, seed: 5)
    try stack.send(socket, data, to: (TestHosts.ipB, 6000), at: .zero)
    let first = drain(stack, at: .zero)
    #expect(first.count == 1)
    // The socket is not connected, but it sent the quoted datagram: the path is lowered.
    expectAccepted(stack, Self.fragmentationNeeded(quoting: first[0], mtu: 1000))
    #expect(stack.counters.pathMTUUpdates == 1)
    try stack.send(socket, data, to: (TestHosts.ipB, 6000), at: .zero)
    let fragments = drain(stack, at: .zero)
    try IPv4FragmentationTests.expectFragments(fragments, of: data, mtu: 1000)
    #expect(fragments.count == 2)
    // Another destination still has the interface MTU.
    teachNeighbor(stack, ip: IPv4Address(198, 18, 0, 3), at: .zero)
    try stack.send(socket, data, to: (IPv4Address(198, 18, 0, 3), 6000), at: .zero)
    #expect(drain(stack, at: .zero).count == 1)
    // With don't-fragment, only what fits the path MTU goes.
    try stack.setDontFragment(socket, true)
    #expect(throws: StackError.messageTooLong) {
      try stack.send(socket, data, to: (TestHosts.ipB, 6000), at: .zero)
    }
    try stack.send(socket, Array(data.prefix(972)), to: (TestHosts.ipB, 6000), at: .zero)
    let fitting = drain(stack, at: .zero)
    #expect(fitting.count == 1 && fitting.first?.ip?.totalLength == 1000)
    #expect(fitting.first?.ip?.dontFragment == true)
  }

  @Test("a fragmentation needed for a port no socket has is ignored")
  func unknownSocketIgnored() throws {
    let stack = try makeStack()
    teachNeighbor(stack, at: .zero)
    let socket = try stack.bindUDP(port: 5000, at: .zero)
    try stack.send(socket, [1, 2, 3], to: (TestHosts.ipB, 6000), at: .zero)
    let sent = drain(stack, at: .zero)
    stack.close(socket, at: .zero)
    expectDrop(stack, Self.fragmentationNeeded(quoting: sent[0], mtu: 1000), .icmpIgnored)
    #expect(stack.counters.pathMTUUpdates == 0)
  }

  @Test("the cache holds at most its capacity: the oldest entry is evicted and expires early")
  func capacity() throws {
    let stack = try makeStack { $0.pathMTU.capacity = 1 }
    let c = IPv4Address(198, 18, 0, 3)
    teachNeighbor(stack, at: .zero)
    teachNeighbor(stack, ip: c, mac: MACAddress(0x02, 0, 0, 0, 0, 0x0c), at: .zero)
    let socket = try stack.bindUDP(port: 5000, at: .zero)
    let data = patternBytes(count: 1400, seed: 6)
    try stack.send(socket, data, to: (TestHosts.ipB, 6000), at: .zero)
    try stack.send(socket, data, to: (c, 6000), at: .zero)
    let sent = drain(stack, at: .zero)
    #expect(sent.count == 2)
    expectAccepted(stack, Self.fragmentationNeeded(quoting: sent[0], mtu: 1000))
    expectAccepted(stack, Self.fragmentationNeeded(quoting: sent[1], mtu: 900))
    #expect(stack.counters.pathMTUUpdates == 2)
    #expect(stack.counters.pathMTUExpirations == 1)
    try stack.send(socket, data, to: (TestHosts.ipB, 6000), at: .zero)
    #expect(drain(stack, at: .zero).count == 1)  // B's entry was evicted
    try stack.send(socket, data, to: (c, 6000), at: .zero)
    #expect(drain(stack, at: .zero).count == 2)
  }
}
