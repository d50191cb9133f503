import Testing
import UsnetStack
import UsnetWire

/// Path MTU discovery (RFC 1191) through ICMP fragmentation needed, per destination: the
/// cache, its checks and expiry, and what TCP connections do with it.
@Suite("TCP script: path MTU discovery")
struct TCPPathMTUTests {
  static let router = IPv4Address(198, 18, 0, 254)

  /// The payload lengths of `segments`.
  static func lengths(_ segments: [ScriptSegment]) -> [Int] { segments.map(\.payload.count) }

  @Test("fragmentation needed shrinks every connection to the destination, and new ones")
  func allConnectionsShrink() throws {
    let s = try TCPScript { $0.tcp.delayedACKTimeout = nil }
    let (first, _) = try s.acceptConnection()
    s.peerPort = 40001
    let second = try s.openConnection()
    try s.stack.setNoDelay(first, true)
    try s.stack.setNoDelay(second, true)
    let secondPort = s.stackPort
    #expect(s.stack.info(second)?.sendMSS == 1460)
    s.peerPort = 40000
    s.stackPort = 80
    try s.write(first, count: 3000)
    let sent = s.takeAll()
    #expect(Self.lengths(sent) == [1460, 1460, 80])
    s.sendUnreachable(.fragmentationNeeded, quoting: sent[0], from: Self.router, mtu: 1280)
    // Everything in flight goes again at once in the smaller size, without a timeout.
    #expect(Self.lengths(s.takeAll()) == [1240, 1240, 520])
    #expect(s.stack.info(first)?.sendMSS == 1240)
    #expect(s.stack.info(second)?.sendMSS == 1240)
    #expect(s.stack.counters.pathMTUUpdates == 1)
    #expect(s.stack.counters.tcpTimeouts == 0)
    // The idle connection's next data uses it too.
    s.peerPort = 40001
    s.stackPort = secondPort
    try s.write(second, count: 2000)
    #expect(Self.lengths(s.takeAll()) == [1240, 760])

    // A new connection offers the interface MSS in its SYN but sends at the path's.
    s.peerPort = 40002
    let third = try s.stack.connect(to: TCPScript.peerIP, port: 40002, at: s.now)
    let syn = s.expect(.syn, seq: 0)
    #expect(syn?.header.options.maximumSegmentSize == 1460)
    s.send(.synAck, seq: 0, ack: 1, options: TCPOptions(maximumSegmentSize: 1460))
    s.expect(.ack, seq: 1, ack: 1)
    #expect(s.stack.info(third)?.sendMSS == 1240)
    // A passive open from the same destination too.
    s.peerPort = 40003
    s.stackPort = 81
    let (fourth, _) = try s.acceptConnection()
    #expect(s.stack.info(fourth)?.sendMSS == 1240)
  }

  @Test("the quoted sequence number must be in flight (RFC 5927): others are ignored")
  func quotedSequenceChecked() throws {
    let s = try TCPScript()
    let (id, _) = try s.acceptConnection()
    try s.write(id, count: 1000)
    let data = try #require(s.expect(.pshAck, seq: 1, ack: 1, length: 1000))
    try s.write(id, count: 1000)
    s.send(.ack, seq: 1, ack: 1001)
    let inFlight = try #require(s.expect(.pshAck, seq: 1001, ack: 1, length: 1000))
    // Below SND.UNA: that data was acknowledged, so it cannot have been refused.
    s.sendUnreachable(.fragmentationNeeded, quoting: data, from: Self.router, mtu: 1280)
    // Beyond SND.MAX: never sent.
    var forged = inFlight
    forged.ipPacket[IPv4Header.minimumLength + 4] &+= 0x10
    s.sendUnreachable(.fragmentationNeeded, quoting: forged, from: Self.router, mtu: 1280)
    s.expectNothing()
    #expect(s.stack.counters[.icmpIgnored] == 2)
    #expect(s.stack.info(id)?.sendMSS == 1460)
    #expect(s.stack.counters.pathMTUUpdates == 0)
    // The genuine one is taken.
    s.sendUnreachable(.fragmentationNeeded, quoting: inFlight, from: Self.router, mtu: 1280)
    #expect(s.stack.info(id)?.sendMSS == 1240)
    s.expect(.pshAck, seq: 1001, ack: 1, length: 1000)
  }

  @Test("increases and MTUs below 68 are ignored; an MTU of 0 takes the RFC 1191 plateau")
  func mtuChecks() throws {
    let s = try TCPScript()
    let (id, _) = try s.acceptConnection()
    try s.write(id, count: 3000)
    let sent = s.takeAll()
    s.sendUnreachable(.fragmentationNeeded, quoting: sent[0], from: Self.router, mtu: 1280)
    let resent = s.takeAll()
    #expect(Self.lengths(resent) == [1240, 1240, 520])
    s.sendUnreachable(.fragmentationNeeded, quoting: resent[0], from: Self.router, mtu: 1400)
    #expect(s.stack.info(id)?.sendMSS == 1240)
    #expect(s.takeAll().isEmpty)
    s.sendUnreachable(.fragmentationNeeded, quoting: resent[0], from: Self.router, mtu: 60)
    #expect(s.stack.counters[.icmpIgnored] == 1)
    #expect(s.stack.info(id)?.sendMSS == 1240)
    #expect(s.stack.counters.pathMTUUpdates == 1)
    // A pre-RFC 1191 router: the quoted packet was 1280 bytes, the plateau below is 1006.
    s.sendUnreachable(.fragmentationNeeded, quoting: resent[0], from: Self.router, mtu: 0)
    #expect(s.stack.info(id)?.sendMSS == 1006 - 40)
    #expect(Self.lengths(s.takeAll()) == [966, 966, 966, 102])
    s.expectNothing()
  }

  @Test("a lowered path MTU expires and connections to the destination grow again")
  func expiry() throws {
    let s = try TCPScript { $0.pathMTU.entryLifetime = .seconds(60) }
    let (id, _) = try s.acceptConnection()
    try s.stack.setNoDelay(id, true)
    try s.write(id, count: 3000)
    let sent = s.takeAll()
    s.sendUnreachable(.fragmentationNeeded, quoting: sent[0], from: Self.router, mtu: 1280)
    #expect(Self.lengths(s.takeAll()) == [1240, 1240, 520])
    s.send(.ack, seq: 1, ack: 3001)
    s.at(.milliseconds(59_999))
    #expect(s.stack.info(id)?.sendMSS == 1240)
    s.at(.seconds(60))
    #expect(s.stack.info(id)?.sendMSS == 1460)
    #expect(s.stack.counters.pathMTUExpirations == 1)
    try s.write(id, count: 3000)
    #expect(Self.lengths(s.takeAll()) == [1460, 1460, 80])
  }

  @Test("path MTU settings are validated, naming the field")
  func validation() throws {
    func rejection(_ adjust: (inout StackConfiguration) -> Void) -> ConfigurationError? {
      var configuration = TestHosts.configuration(mac: TestHosts.macA, ip: TestHosts.ipA)
      adjust(&configuration)
      do {
        try configuration.validate()
        return nil
      } catch {
        return error
      }
    }
    let capacity = rejection { $0.pathMTU.capacity = 0 }
    #expect(
      capacity
        == ConfigurationError(
          field: "pathMTU.capacity", value: "0", accepted: "1 to 1000000"))
    #expect(rejection { $0.pathMTU.entryLifetime = .zero }?.field == "pathMTU.entryLifetime")
    #expect(rejection { $0.tcp.pathMTUProbeBaseMSS = 100 }?.field == "tcp.pathMTUProbeBaseMSS")
    #expect(rejection { $0.tcp.pathMTUProbeInterval = .zero }?.field == "tcp.pathMTUProbeInterval")
    #expect(rejection { $0.tcp.userTimeout = .zero }?.field == "tcp.userTimeout")
    #expect(rejection { $0.tcp.userTimeout = .seconds(30) } == nil)
  }
}
