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
