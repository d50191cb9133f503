import Testing
import UsnetSim
import UsnetStack
import UsnetWire

@Suite("Socket events")
struct SocketEventTests {
  @Test("the handshake, accept queue, data and close each report the sockets involved")
  func eventsFollowStateChanges() throws {
    let link = try TestHosts.pair(latency: .milliseconds(1))
    var events: [SocketEvent] = []
    let listener = try link.b.listen(port: 80, backlog: 4, at: link.now)
    let client = try link.a.connect(to: TestHosts.ipB, port: 80, at: link.now)
    link.a.takeSocketEvents(into: &events)
    #expect(events == [.tcp(client)])
    events.removeAll()
    link.advance(by: .milliseconds(10))
    link.b.takeSocketEvents(into: &events)
    #expect(events.contains(.listener(listener)))
    let server = try #require(try link.b.accept(listener))
    events.removeAll()
    link.a.takeSocketEvents(into: &events)
    #expect(events == [.tcp(client)])
    // Nothing changed since: nothing reported, and each socket appears once per call.
    events.removeAll()
    link.a.takeSocketEvents(into: &events)
    #expect(events.isEmpty)
    _ = try link.a.send(client, [1, 2, 3], at: link.now)
    link.advance(by: .milliseconds(10))
    events.removeAll()
    link.b.takeSocketEvents(into: &events)
    #expect(events.filter { $0 == .tcp(server) }.count == 1)
  }

  @Test("a datagram reports its UDP socket")
  func udpEvent() throws {
    let link = try TestHosts.pair()
    let receiver = try link.b.bindUDP(port: 53, at: link.now)
    let sender = try link.a.bindUDP(port: 0, at: link.now)
    try link.a.send(sender, [9], to: (TestHosts.ipB, 53), at: link.now)
    link.advance(by: .milliseconds(10))
    var events: [SocketEvent] = []
    link.b.takeSocketEvents(into: &events)
    #expect(events == [.udp(receiver)])
  }
}

@Suite("Per-socket TTL")
struct TimeToLiveTests {
  @Test("a connection's TTL is stamped on its packets; accepted connections inherit the listener's")
  func connectionAndListenerTTL() throws {
    let link = try TestHosts.pair(latency: .milliseconds(1))
    let listener = try link.b.listen(port: 80, backlog: 4, at: link.now)
    try link.b.setTimeToLive(listener, 33)
    var seen: [LinkDirection: UInt8] = [:]
    link.dropFilter = { direction, _, frame in
      if let (ip, _) = try? IPv4Header.parse(frame, in: 14..<frame.count), ip.protocol == .tcp {
        seen[direction] = ip.timeToLive
      }
      return false
    }
    let client = try link.a.connect(to: TestHosts.ipB, port: 80, at: link.now)
    try link.a.setTimeToLive(client, 17)
    link.advance(by: .milliseconds(20))
    let server = try #require(try link.b.accept(listener))
    #expect(seen[.aToB] == 17)
    #expect(seen[.bToA] == 33)
    #expect(try link.b.timeToLive(of: server) == 33)
    #expect(throws: StackError.self) { try link.a.setTimeToLive(client, 0) }
    try link.a.setTimeToLive(client, nil)
    #expect(try link.a.timeToLive(of: client) == 64)
  }
}
