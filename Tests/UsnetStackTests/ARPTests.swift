import Testing
import UsnetSim
import UsnetStack
import UsnetWire

@Suite("ARP and the neighbour cache")
struct ARPTests {
  static let ipC = IPv4Address(198, 18, 0, 3)
  static let macC = MACAddress(0x02, 0, 0, 0, 0, 0x0c)

  @Test("a request for our address gets exactly one reply with the right fields")
  func requestForUs() throws {
    let stack = try makeStack()
    expectAccepted(stack, PeerFrames.arp(.request))
    let frames = drain(stack, at: .zero)
    try #require(frames.count == 1)
    let reply = frames[0]
    #expect(reply.error == nil)
    #expect(reply.ethernet?.destination == TestHosts.macB)
    #expect(reply.ethernet?.source == TestHosts.macA)
    #expect(reply.ethernet?.etherType == .arp)
    let arp = try #require(reply.arp)
    #expect(arp.operation == .reply)
    #expect(arp.senderMAC == TestHosts.macA)
    #expect(arp.senderIP == TestHosts.ipA)
    #expect(arp.targetMAC == TestHosts.macB)
    #expect(arp.targetIP == TestHosts.ipB)
    #expect(stack.counters.arpRequestsSent == 0)
  }

  @Test("a request for another address is not answered and counted arpNotForUs")
  func requestForAnotherAddress() throws {
    let stack = try makeStack()
    expectDrop(stack, PeerFrames.arp(.request, targetIP: Self.ipC), .arpNotForUs)
    #expect(drain(stack, at: .zero).isEmpty)
    // A reply addressed to us about an address we never asked for is not for us either.
    expectDrop(
      stack,
      PeerFrames.arp(
        .reply, senderMAC: Self.macC, senderIP: Self.ipC, targetMAC: TestHosts.macA,
        targetIP: IPv4Address(198, 18, 0, 9)),
      .arpNotForUs)
    #expect(drain(stack, at: .zero).isEmpty)
  }

  @Test("ARP for other hardware or protocol types, or truncated, is malformed")
  func malformedARP() throws {
    let stack = try makeStack()
    var frame = PeerFrames.arp(.request)
    frame[EthernetHeader.length] = 0x01  // hardware type 0x0101
    expectDrop(stack, frame, .malformedARP)
    frame = PeerFrames.arp(.request)
    frame[EthernetHeader.length + 5] = 16  // protocol address length 16
    expectDrop(stack, frame, .malformedARP)
    frame = PeerFrames.arp(.request)
    frame.removeLast(1)
    expectDrop(stack, frame, .malformedARP)
    // A multicast sender MAC asking for our address: nothing learned, nothing answered.
    expectDrop(
      stack, PeerFrames.arp(.request, senderMAC: MACAddress(0x01, 0, 0x5e, 0, 0, 1)),
      .malformedARP)
    #expect(drain(stack, at: .zero).isEmpty)
  }

  @Test("an ARP probe (sender 0.0.0.0) for our address is answered without learning")
  func probe() throws {
    let stack = try makeStack()
    expectAccepted(stack, PeerFrames.arp(.request, senderIP: .any))
    let frames = drain(stack, at: .zero)
    try #require(frames.count == 1)
    #expect(frames[0].arp?.operation == .reply)
    #expect(frames[0].arp?.targetIP == .any)
    // Nothing was learned: sending to B needs a request.
    let socket = try stack.bindUDP(port: 5000, at: .zero)
    try stack.send(socket, [1], to: (TestHosts.ipB, 7), at: .zero)
    let out = drain(stack, at: .zero)
    #expect(out.count == 1)
    #expect(out.first?.arp?.operation == .request)
  }

  @Test("resolving for a UDP datagram: one request, the datagram waits, then goes to the MAC")
  func resolutionForUDP() throws {
    let stack = try makeStack()
    let socket = try stack.bindUDP(port: 5000, at: .zero)
    let payload: [UInt8] = [1, 2, 3, 4, 5]
    try stack.send(socket, payload, to: (TestHosts.ipB, 7), at: .zero)
    var frames = drain(stack, at: .zero)
    try #require(frames.count == 1)
    let request = try #require(frames[0].arp)
    #expect(frames[0].ethernet?.destination == .broadcast)
    #expect(frames[0].ethernet?.source == TestHosts.macA)
    #expect(request.operation == .request)
    #expect(request.senderMAC == TestHosts.macA)
    #expect(request.senderIP == TestHosts.ipA)
    #expect(request.targetMAC == .zero)
    #expect(request.targetIP == TestHosts.ipB)
    #expect(stack.counters.arpRequestsSent == 1)
    // A second datagram while resolving: no second request.
    try stack.send(socket, payload, to: (TestHosts.ipB, 8), at: .milliseconds(10))
    #expect(drain(stack, at: .milliseconds(10)).isEmpty)

    let now = Instant.milliseconds(20)
    expectAccepted(
      stack,
      PeerFrames.arp(.reply, targetMAC: TestHosts.macA, targetIP: TestHosts.ipA), at: now)
    frames = drain(stack, at: now)
    try #require(frames.count == 2)
    for (frame, port) in zip(frames, [UInt16(7), 8]) {
      #expect(frame.error == nil)
      #expect(frame.ethernet?.destination == TestHosts.macB)
      #expect(frame.ethernet?.source == TestHosts.macA)
      #expect(frame.ip?.source == TestHosts.ipA)
      #expect(frame.ip?.destination == TestHosts.ipB)
      #expect(frame.udp?.sourcePort == 5000)
      #expect(frame.udp?.destinationPort == port)
      #expect(frame.payload == payload)
    }
    #expect(stack.counters.neighborPendingDrops == 0)
    #expect(stack.nextDeadline == nil)
    // Resolved: the next datagram goes straight out.
    try stack.send(socket, payload, to: (TestHosts.ipB, 9), at: now)
    frames = drain(stack, at: now)
    #expect(frames.count == 1)
    #expect(frames.first?.udp?.destinationPort == 9)
    #expect(stack.counters.arpRequestsSent == 1)
  }

  @Test("requests are rate-limited, retried at the interval, then queued packets are dropped")
  func retriesThenGiveUp() throws {
    let stack = try makeStack()
    let interval = stack.configuration.neighbors.requestInterval
    let maximum = stack.configuration.neighbors.maximumRequests
    #expect(maximum == 3)
    let socket = try stack.bindUDP(port: 5000, at: .zero)
    try stack.send(socket, [1], to: (TestHosts.ipB, 7), at: .zero)
    try stack.send(socket, [2], to: (TestHosts.ipB, 7), at: .zero)
    #expect(drain(stack, at: .zero).count == 1)
    #expect(stack.nextDeadline == Instant.zero + interval)
    var now = Instant.zero
    for attempt in 2...maximum {
      // More datagrams and the time just before the interval: no request.
      try stack.send(socket, [3], to: (TestHosts.ipB, 7), at: now + interval / 2)
      #expect(drain(stack, at: now + interval / 2).isEmpty)
      #expect(drain(stack, at: now + interval - .nanoseconds(1)).isEmpty)
      now = now + interval
      let frames = drain(stack, at: now)
      #expect(frames.count == 1, "attempt \(attempt)")
      #expect(frames.first?.arp?.operation == .request)
      #expect(frames.first?.arp?.targetIP == TestHosts.ipB)
      #expect(stack.counters.arpRequestsSent == attempt)
    }
    #expect(stack.counters.neighborPendingDrops == 0)
    // The last request's interval runs out: everything queued (2 + 2 datagrams) is dropped.
    #expect(drain(stack, at: now + interval - .nanoseconds(1)).isEmpty)
    now = now + interval
    #expect(drain(stack, at: now).isEmpty)
    #expect(stack.counters.arpRequestsSent == maximum)
    #expect(stack.counters.neighborPendingDrops == 4)
    #expect(stack.nextDeadline == nil)
    // A new datagram starts a fresh resolution.
    try stack.send(socket, [4], to: (TestHosts.ipB, 7), at: now)
    #expect(drain(stack, at: now).first?.arp?.operation == .request)
    #expect(stack.counters.arpRequestsSent == maximum + 1)
    // Its answer releases only that datagram; the dropped ones stay dropped.
    expectAccepted(
      stack, PeerFrames.arp(.reply, targetMAC: TestHosts.macA, targetIP: TestHosts.ipA), at: now)
    let frames = drain(stack, at: now)
    #expect(frames.map(\.payload) == [[4]])
  }

  @Test("the pending queue keeps the newest pendingPacketLimit packets")
  func pendingQueueBound() throws {
    let stack = try makeStack { $0.neighbors.pendingPacketLimit = 4 }
    let socket = try stack.bindUDP(port: 5000, at: .zero)
    for index in 0..<7 {
      try stack.send(socket, [UInt8(index)], to: (TestHosts.ipB, 7), at: .zero)
    }
    #expect(drain(stack, at: .zero).count == 1)
    #expect(stack.counters.neighborPendingDrops == 3)
    expectAccepted(
      stack, PeerFrames.arp(.reply, targetMAC: TestHosts.macA, targetIP: TestHosts.ipA))
    let frames = drain(stack, at: .zero)
    #expect(frames.map(\.payload) == [[3], [4], [5], [6]])
    #expect(frames.allSatisfy { $0.ethernet?.destination == TestHosts.macB })
  }

  @Test("an entry older than entryLifetime is refreshed while its MAC stays in use")
  func expiry() throws {
    let stack = try makeStack()
    let lifetime = stack.configuration.neighbors.entryLifetime
    let interval = stack.configuration.neighbors.requestInterval
    teachNeighbor(stack, at: .zero)
    let socket = try stack.bindUDP(port: 5000, at: .zero)
    var now = Instant.zero + lifetime - .nanoseconds(1)
    try stack.send(socket, [1], to: (TestHosts.ipB, 7), at: now)
    var frames = drain(stack, at: now)
    #expect(frames.count == 1)
    #expect(frames.first?.udp != nil)
    #expect(stack.counters.arpRequestsSent == 0)

    now = .zero + lifetime
    try stack.send(socket, [2], to: (TestHosts.ipB, 7), at: now)
    frames = drain(stack, at: now)
    #expect(frames.count == 2)
    #expect(frames.filter { $0.arp?.operation == .request }.count == 1)
    let datagram = try #require(frames.first { $0.udp != nil })
    #expect(datagram.ethernet?.destination == TestHosts.macB)
    #expect(datagram.payload == [2])
    #expect(stack.counters.arpRequestsSent == 1)
    // More datagrams during the refresh: sent at once, no more requests.
    try stack.send(socket, [3], to: (TestHosts.ipB, 7), at: now)
    frames = drain(stack, at: now)
    #expect(frames.count == 1)
    #expect(frames.first?.ethernet?.destination == TestHosts.macB)

    // The neighbour answers with a new MAC: it is used from then on, and no retry follows.
    let newMAC = MACAddress(0x02, 0, 0, 0, 0, 0xbb)
    now = now + .milliseconds(5)
    expectAccepted(
      stack,
      PeerFrames.arp(
        .reply, senderMAC: newMAC, targetMAC: TestHosts.macA, targetIP: TestHosts.ipA),
      at: now)
    try stack.send(socket, [4], to: (TestHosts.ipB, 7), at: now)
    frames = drain(stack, at: now)
    #expect(frames.count == 1)
    #expect(frames.first?.ethernet?.destination == newMAC)
    #expect(drain(stack, at: now + interval * 5).isEmpty)
    #expect(stack.counters.arpRequestsSent == 1)
  }

  @Test("a stale entry that stops answering is forgotten after the retries")
  func staleEntryForgotten() throws {
    let stack = try makeStack()
    let lifetime = stack.configuration.neighbors.entryLifetime
    let interval = stack.configuration.neighbors.requestInterval
    teachNeighbor(stack, at: .zero)
    let socket = try stack.bindUDP(port: 5000, at: .zero)
    var now = Instant.zero + lifetime
    try stack.send(socket, [1], to: (TestHosts.ipB, 7), at: now)
    #expect(drain(stack, at: now).count == 2)
    for _ in 0..<3 {
      now = now + interval
      _ = drain(stack, at: now)
    }
    #expect(stack.counters.arpRequestsSent == 3)
    #expect(stack.nextDeadline == nil)
    // Forgotten: the next datagram waits for a fresh resolution.
    try stack.send(socket, [2], to: (TestHosts.ipB, 7), at: now)
    let frames = drain(stack, at: now)
    #expect(frames.count == 1)
    #expect(frames.first?.arp?.operation == .request)
  }

  @Test("gratuitous ARP updates a known entry and creates none")
  func gratuitous() throws {
    let stack = try makeStack()
    teachNeighbor(stack, at: .zero)
    let newMAC = MACAddress(0x02, 0, 0, 0, 0, 0xbb)
    // Gratuitous request from B (sender = target = B) with a new MAC.
    expectAccepted(
      stack,
      PeerFrames.arp(.request, senderMAC: newMAC, senderIP: TestHosts.ipB, targetIP: TestHosts.ipB))
    #expect(drain(stack, at: .zero).isEmpty)
    let socket = try stack.bindUDP(port: 5000, at: .zero)
    try stack.send(socket, [1], to: (TestHosts.ipB, 7), at: .zero)
    var frames = drain(stack, at: .zero)
    #expect(frames.count == 1)
    #expect(frames.first?.ethernet?.destination == newMAC)
    // Gratuitous reply from an unknown C: not learned.
    expectDrop(
      stack,
      PeerFrames.arp(
        .reply, senderMAC: Self.macC, senderIP: Self.ipC, targetMAC: .broadcast,
        targetIP: Self.ipC, ethernetDestination: .broadcast),
      .arpNotForUs)
    try stack.send(socket, [2], to: (Self.ipC, 7), at: .zero)
    frames = drain(stack, at: .zero)
    #expect(frames.count == 1)
    #expect(frames.first?.arp?.operation == .request)
    #expect(frames.first?.arp?.targetIP == Self.ipC)
  }

  @Test("the cache holds at most `capacity` entries, evicting the stalest")
  func capacity() throws {
    let stack = try makeStack { $0.neighbors.capacity = 2 }
    let socket = try stack.bindUDP(port: 5000, at: .zero)
    for host in UInt8(10)...12 {
      let ip = IPv4Address(198, 18, 0, host)
      let mac = MACAddress(0x02, 0, 0, 0, 1, host)
      teachNeighbor(stack, ip: ip, mac: mac, at: .milliseconds(Int64(host)))
    }
    // 198.18.0.10 was the stalest and is gone; .11 and .12 resolve at once.
    let now = Instant.milliseconds(20)
    for host in UInt8(11)...12 {
      try stack.send(socket, [host], to: (IPv4Address(198, 18, 0, host), 7), at: now)
      let frames = drain(stack, at: now)
      #expect(frames.count == 1)
      #expect(frames.first?.ethernet?.destination == MACAddress(0x02, 0, 0, 0, 1, host))
    }
    try stack.send(socket, [10], to: (IPv4Address(198, 18, 0, 10), 7), at: now)
    let frames = drain(stack, at: now)
    #expect(frames.count == 1)
    #expect(frames.first?.arp?.operation == .request)
  }
}
