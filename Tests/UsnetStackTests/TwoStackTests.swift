import Testing
import UsnetSim
import UsnetStack
import UsnetWire

@Suite("Two stacks over an in-memory link")
struct TwoStackTests {
  @Test("handshake: SYN, SYN-ACK, ACK, then both ends established")
  func handshake() throws {
    let link = try TestHosts.pair(latency: .milliseconds(5))
    let (client, server, _) = try establish(link)
    #expect(link.a.info(client)?.state == .established)
    #expect(link.b.info(server)?.state == .established)
    #expect(link.a.info(client)?.tuple.remotePort == 80)
    #expect(link.b.info(server)?.tuple.remoteAddress == TestHosts.ipA)
    // One ARP exchange plus the three-way handshake.
    #expect(link.a.counters.arpRequestsSent == 1)
    #expect(link.a.counters.tcpConnectionsEstablished == 1)
    #expect(link.b.counters.tcpConnectionsEstablished == 1)
  }

  @Test("10 MB each way at once arrive intact (SHA-256)")
  func tenMegabytesEachWay() throws {
    let link = try TestHosts.pair(latency: .microseconds(100))
    let (client, server, _) = try establish(link)
    var up = BulkTransfer(payload: patternBytes(count: 10_000_000, seed: 1))
    var down = BulkTransfer(payload: patternBytes(count: 10_000_000, seed: 2))
    try runBidirectional(link, client, server, &up, &down, limit: .seconds(120))
    #expect(link.a.counters.tcpRetransmissions == 0)
    #expect(link.b.counters.tcpRetransmissions == 0)
  }

  @Test("orderly close: FIN both ways, TIME-WAIT on the closer, then released")
  func orderlyClose() throws {
    let link = try TestHosts.pair(latency: .milliseconds(1))
    let (client, server, _) = try establish(link)
    var buffer = [UInt8](repeating: 0, count: 100)
    try link.a.shutdown(client, read: false, write: true, at: link.now)
    let serverSawEOF = link.run(for: .seconds(1)) {
      (try? link.b.receive(server, into: &buffer, at: link.now)) == 0
    }
    #expect(serverSawEOF)
    link.advance(by: .milliseconds(5))
    #expect(link.b.info(server)?.state == .closeWait)
    #expect(link.a.info(client)?.state == .finWait2)
    link.b.close(server, at: link.now)
    let clientSawEOF = link.run(for: .seconds(1)) {
      (try? link.a.receive(client, into: &buffer, at: link.now)) == 0
    }
    #expect(clientSawEOF)
    link.advance(by: .milliseconds(10))
    #expect(link.a.info(client)?.state == .timeWait)
    #expect(link.b.info(server) == nil)
    link.advance(by: .seconds(61))
    #expect(link.a.info(client)?.state == .closed)
    link.a.close(client, at: link.now)
    #expect(link.a.info(client) == nil)
    #expect(link.a.nextDeadline == nil || link.a.nextDeadline.map { $0 > link.now } == true)
  }

  @Test("a link that drops every 7th frame still delivers 2 MB each way intact")
  func everySeventhFrameDropped() throws {
    let link = try TestHosts.pair(latency: .milliseconds(2))
    let (client, server, _) = try establish(link)
    link.dropFilter = { _, index, _ in index % 7 == 6 }
    var up = BulkTransfer(payload: patternBytes(count: 2_000_000, seed: 3))
    var down = BulkTransfer(payload: patternBytes(count: 2_000_000, seed: 4))
    try runBidirectional(link, client, server, &up, &down, limit: .seconds(600))
    #expect(link.framesDropped > 0)
    #expect(link.a.counters.tcpRetransmissions > 0)
  }
}

@Suite("Loss recovery between two stacks")
struct LossRecoveryTests {
  @Test("2 % random loss one way: fast retransmit and NewReno recover, data intact")
  func randomLossUsesFastRetransmit() throws {
    let link = try TestHosts.pair(latency: .milliseconds(5))
    let (client, server, _) = try establish(link)
    var random = SeededRandom(seed: 99)
    link.dropFilter = { direction, _, _ in
      direction == .aToB && random.next() % 100 < 2
    }
    var up = BulkTransfer(payload: patternBytes(count: 4_000_000, seed: 5))
    var down = BulkTransfer(payload: [])
    try runBidirectional(link, client, server, &up, &down, limit: .seconds(600))
    let counters = link.a.counters
    #expect(counters.tcpFastRetransmits > 0)
    #expect(counters.tcpFastRetransmits > counters.tcpTimeouts)
  }
}

/// Runs `up` (A to B) and `down` (B to A) at once until both finish, and checks that they did
/// within `limit` of virtual time with their payloads intact.
private func runBidirectional(
  _ link: StackPairLink, _ client: TCPSocketID, _ server: TCPSocketID,
  _ up: inout BulkTransfer, _ down: inout BulkTransfer, limit: Duration,
  sourceLocation: SourceLocation = #_sourceLocation
) throws {
  var failure: Error?
  var upward = up
  var downward = down
  let done = link.run(for: limit) {
    do {
      try upward.pump(from: link.a, client, to: link.b, server, at: link.now)
      try downward.pump(from: link.b, server, to: link.a, client, at: link.now)
    } catch {
      failure = error
      return true
    }
    return upward.finished && downward.finished
  }
  up = upward
  down = downward
  #expect(failure == nil, sourceLocation: sourceLocation)
  #expect(done, sourceLocation: sourceLocation)
  #expect(up.receivedHash.hexDigest() == up.payloadHash, sourceLocation: sourceLocation)
  #expect(down.receivedHash.hexDigest() == down.payloadHash, sourceLocation: sourceLocation)
}
