import Testing
import UsnetSim
import UsnetStack
import UsnetWire

@Suite("IPv4 fragmentation")
struct IPv4FragmentationTests {
  /// Sends `count` pattern bytes from A:5000 to B:6000 on a fresh stack (B's MAC known) with
  /// `adjust`ed configuration, returning the data and the frames that left.
  static func sendOversized(
    count: Int, _ adjust: (inout StackConfiguration) -> Void = { _ in }
  ) throws -> (NetworkStack, [UInt8], [ParsedFrame]) {
    let stack = try makeStack(adjust)
    teachNeighbor(stack, at: .zero)
    let socket = try stack.bindUDP(port: 5000, at: .zero)
    let data = patternBytes(count: count, seed: UInt64(count))
    try stack.send(socket, data, to: (TestHosts.ipB, 6000), at: .zero)
    return (stack, data, drain(stack, at: .zero))
  }

  /// Checks the fragments of one UDP datagram of `data` from A:5000 to B:6000: one
  /// identification, DF clear, MF on all but the last, offsets in order and multiples of 8,
  /// each as long as `mtu` allows, and the UDP checksum valid over the reassembled payload.
  static func expectFragments(
    _ frames: [ParsedFrame], of data: [UInt8], mtu: Int,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let chunk = (mtu - 20) & ~7
    let total = data.count + 8
    let expectedCount = (total + chunk - 1) / chunk
    #expect(frames.count == expectedCount, sourceLocation: sourceLocation)
    let identification = frames.first?.ip?.identification
    for (index, frame) in frames.enumerated() {
      let ip = try #require(frame.ip, sourceLocation: sourceLocation)
      let last = index == frames.count - 1
      let length = last ? total - index * chunk : chunk
      #expect(frame.ethernet?.destination == TestHosts.macB, sourceLocation: sourceLocation)
      #expect(ip.identification == identification, sourceLocation: sourceLocation)
      #expect(!ip.dontFragment, sourceLocation: sourceLocation)
      #expect(ip.moreFragments == !last, sourceLocation: sourceLocation)
      #expect(ip.fragmentOffset == index * chunk, sourceLocation: sourceLocation)
      #expect(Int(ip.totalLength) == 20 + length, sourceLocation: sourceLocation)
      #expect(frame.bytes.count == 14 + 20 + length, sourceLocation: sourceLocation)
      #expect(Int(ip.totalLength) <= mtu, sourceLocation: sourceLocation)
      #expect(ip.protocol == .udp && ip.timeToLive == 64, sourceLocation: sourceLocation)
      #expect(ip.source == TestHosts.ipA, sourceLocation: sourceLocation)
      #expect(ip.destination == TestHosts.ipB, sourceLocation: sourceLocation)
    }
    let whole = try #require(FragmentFrames.reassemble(frames), sourceLocation: sourceLocation)
    let (udp, payload) = try UDPHeader.parse(
      whole, in: 0..<whole.count, source: TestHosts.ipA, destination: TestHosts.ipB,
      verifyChecksum: true)
    #expect(udp.sourcePort == 5000 && udp.destinationPort == 6000, sourceLocation: sourceLocation)
    #expect(Array(whole[payload]) == data, sourceLocation: sourceLocation)
  }

  @Test("a UDP datagram beyond the MTU leaves as fragments with correct fields")
  func fragmentFields() throws {
    let (stack, data, frames) = try Self.sendOversized(count: 4000)
    #expect(frames.count == 3)
    #expect(frames.map { $0.ip?.fragmentOffset } == [0, 1480, 2960])
    #expect(frames.map { $0.ip?.moreFragments } == [true, true, false])
    #expect(frames.map { $0.ip.map { Int($0.totalLength) } } == [1500, 1500, 1068])
    try Self.expectFragments(frames, of: data, mtu: 1500)
    #expect(stack.counters.ipv4DatagramsFragmented == 1)
    #expect(stack.counters.ipv4FragmentsCreated == 3)
    #expect(stack.counters.framesTransmitted >= 3)
  }

  @Test("the largest datagram, 65,507 bytes, needs 45 fragments; a smaller MTU more")
  func largestAndSmallMTU() throws {
    let (_, data, frames) = try Self.sendOversized(count: 65507)
    try Self.expectFragments(frames, of: data, mtu: 1500)
    #expect(frames.count == 45)
    let (_, small, smallFrames) = try Self.sendOversized(count: 3000) {
      $0.interface.mtu = 576
    }
    try Self.expectFragments(smallFrames, of: small, mtu: 576)
    #expect(smallFrames.map { $0.ip?.fragmentOffset } == [0, 552, 1104, 1656, 2208, 2760])
    // Consecutive datagrams get different identifications.
    let stack = try makeStack()
    teachNeighbor(stack, at: .zero)
    let socket = try stack.bindUDP(port: 5000, at: .zero)
    try stack.send(socket, data, range: 0..<3000, to: (TestHosts.ipB, 6000), at: .zero)
    try stack.send(socket, data, range: 0..<3000, to: (TestHosts.ipB, 6000), at: .zero)
    let both = drain(stack, at: .zero)
    #expect(both.count == 6)
    #expect(Set(both.compactMap { $0.ip?.identification }).count == 2)
  }

  @Test("while ARP is pending the datagram waits whole, and leaves as fragments once resolved")
  func waitsForARP() throws {
    let stack = try makeStack { $0.neighbors.pendingPacketLimit = 2 }
    let socket = try stack.bindUDP(port: 5000, at: .zero)
    let data = patternBytes(count: 9000, seed: 1)
    try stack.send(socket, data, to: (TestHosts.ipB, 6000), at: .zero)
    try stack.send(socket, data, range: 0..<100, to: (TestHosts.ipB, 6000), at: .zero)
    let requests = drain(stack, at: .zero)
    #expect(requests.count == 1 && requests.first?.arp?.operation == .request)
    #expect(stack.counters.ipv4DatagramsFragmented == 0)
    // The reply releases the datagram as 7 fragments, then the small one.
    stack.receive(
      frame: PeerFrames.arp(
        .reply, targetMAC: TestHosts.macA, ethernetDestination: TestHosts.macA),
      at: .zero)
    let frames = drain(stack, at: .zero)
    #expect(frames.count == 8)
    try Self.expectFragments(Array(frames.prefix(7)), of: data, mtu: 1500)
    #expect(frames.last?.ip?.isFragment == false)
    #expect(frames.last?.payload.count == 100)
    #expect(stack.counters.neighborPendingDrops == 0)
  }

  @Test("TCP segments never fragment and keep DF")
  func tcpKeepsDF() throws {
    let link = try TestHosts.pair(latency: .milliseconds(1))
    let listener = try link.b.listen(port: 80, backlog: 4, at: link.now)
    let client = try link.a.connect(to: TestHosts.ipB, port: 80, at: link.now)
    var sawFragment = false
    var allDF = true
    link.dropFilter = { _, _, frame in
      if let parsed = try? EthernetHeader.parse(frame, in: 0..<frame.count),
        parsed.header.etherType == .ipv4,
        let ip = try? IPv4Header.parse(frame, in: parsed.payload), ip.header.protocol == .tcp
      {
        sawFragment = sawFragment || ip.header.isFragment
        allDF = allDF && ip.header.dontFragment
      }
      return false
    }
    var server: TCPSocketID?
    #expect(
      link.run(for: .seconds(1)) {
        server = try? link.b.accept(listener)
        return server != nil
      })
    let accepted = try #require(server)
    let payload = patternBytes(count: 100_000, seed: 2)
    var sent = 0
    var received = 0
    var buffer = [UInt8](repeating: 0, count: 65536)
    #expect(
      link.run(for: .seconds(10)) {
        if sent < payload.count {
          sent +=
            (try? link.a.send(client, payload, range: sent..<payload.count, at: link.now))
            ?? 0
        }
        while let count = try? link.b.receive(accepted, into: &buffer, at: link.now), count > 0 {
          received += count
        }
        return received == payload.count
      })
    #expect(!sawFragment && allDF)
    #expect(link.a.counters.ipv4DatagramsFragmented == 0)
  }

  @Test("two stacks exchange 9000- and 65,507-byte UDP datagrams across MTU 1500")
  func twoStacks() throws {
    let link = try TestHosts.pair(latency: .milliseconds(1))
    let socketA = try link.a.bindUDP(port: 5000, at: link.now)
    let socketB = try link.b.bindUDP(port: 6000, at: link.now)
    var buffer = [UInt8](repeating: 0, count: 70_000)
    for (index, count) in [9000, 65507].enumerated() {
      let up = patternBytes(count: count, seed: UInt64(10 + index))
      try link.a.send(socketA, up, to: (TestHosts.ipB, 6000), at: link.now)
      #expect(link.run(for: .seconds(1)) { link.b.pendingDatagrams(socketB) == 1 })
      let info = try #require(try link.b.receive(socketB, into: &buffer, at: link.now))
      #expect(info.length == count && info.sourcePort == 5000)
      #expect(Array(buffer[0..<info.count]) == up)

      let down = patternBytes(count: count, seed: UInt64(20 + index))
      try link.b.send(socketB, down, to: (info.sourceAddress, info.sourcePort), at: link.now)
      #expect(link.run(for: .seconds(1)) { link.a.pendingDatagrams(socketA) == 1 })
      let back = try #require(try link.a.receive(socketA, into: &buffer, at: link.now))
      #expect(back.length == count && back.sourcePort == 6000)
      #expect(Array(buffer[0..<back.count]) == down)
    }
    for stack in [link.a, link.b] {
      #expect(stack.counters.ipv4DatagramsFragmented == 2)
      #expect(stack.counters.ipv4FragmentsCreated == 7 + 45)
      #expect(stack.counters.ipv4DatagramsReassembled == 2)
      #expect(stack.counters.ipv4FragmentsReceived == 7 + 45)
      #expect(stack.counters.totalDrops == 0)
      #expect(stack.reassemblyBytesHeld == 0)
    }
  }

  @Test("a ping of 4000 bytes between two stacks goes out and back in fragments")
  func fragmentedPing() throws {
    let link = try TestHosts.pair(latency: .milliseconds(1))
    let echo = try link.a.openEchoSocket()
    let payload = patternBytes(count: 4000, seed: 30)
    try link.a.sendEchoRequest(echo, to: TestHosts.ipB, sequence: 1, payload: payload, at: link.now)
    var reply: EchoReply?
    #expect(
      link.run(for: .seconds(1)) {
        reply = try? link.a.receiveEchoReply(echo)
        return reply != nil
      })
    #expect(reply?.payload == payload && reply?.sequence == 1)
    #expect(link.a.counters.ipv4DatagramsFragmented == 1)
    #expect(link.b.counters.ipv4DatagramsFragmented == 1)
    #expect(throws: StackError.messageTooLong) {
      try link.a.sendEchoRequest(
        echo, to: TestHosts.ipB, sequence: 2, payload: [UInt8](repeating: 0, count: 65508),
        at: link.now)
    }
  }

  @Test("a lost fragment: the receiver frees the datagram after 30 s and says so")
  func lostFragment() throws {
    let link = try TestHosts.pair(latency: .milliseconds(1))
    let socketA = try link.a.bindUDP(port: 5000, at: link.now)
    try link.a.connectUDP(socketA, to: (TestHosts.ipB, 6000))
    let socketB = try link.b.bindUDP(port: 6000, at: link.now)
    // Resolve first, so that the frame indices below are the fragments.
    try link.a.send(socketA, [1], at: link.now)
    #expect(link.run(for: .seconds(1)) { link.b.pendingDatagrams(socketB) == 1 })
    let sentBefore = link.framesSent.aToB
    link.dropFilter = { direction, index, _ in direction == .aToB && index == sentBefore + 1 }
    try link.a.send(socketA, patternBytes(count: 5000, seed: 31), at: link.now)
    link.advance(by: .seconds(29))
    #expect(link.b.pendingDatagrams(socketB) == 1)
    #expect(link.b.reassemblyDatagramsInProgress == 1)
    link.advance(by: .seconds(2))
    #expect(link.b.reassemblyDatagramsInProgress == 0)
    #expect(link.b.counters.ipv4ReassemblyTimeouts == 1)
    #expect(link.b.counters.icmpTimeExceededSent == 1)
    // The sender takes the time exceeded as information only.
    #expect(link.a.counters[.icmpIgnored] == 1)
    try link.a.send(socketA, [2], at: link.now)
  }
}
