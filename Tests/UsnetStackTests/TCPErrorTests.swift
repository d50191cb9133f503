import Testing
import UsnetStack
import UsnetWire

/// How connections fail (RST, ICMP, ARP) and what the handshake options decide.
@Suite("TCP script: errors and options")
struct TCPErrorTests {
  @Test("reset: buffered data is still read, then receive throws connection(.reset)")
  func resetAfterData() throws {
    let s = try TCPScript()
    let (id, _) = try s.acceptConnection()
    s.send(.ack, seq: 1, ack: 1, payload: [1, 2])
    s.send(.rst, seq: 3)
    s.expectNothing()
    #expect(s.state(id) == .closed)
    #expect(try s.read(id) == [1, 2])
    #expect(throws: StackError.connection(.reset)) { try s.read(id) }
  }

  @Test("ICMP port unreachable quoting our SYN: refused")
  func icmpPortUnreachable() throws {
    let s = try TCPScript()
    let id = try s.stack.connect(to: TCPScript.peerIP, port: 40000, at: s.now)
    let syn = try #require(s.expect(.syn, seq: 0))
    s.sendUnreachable(.portUnreachable, quoting: syn)
    s.expectNothing()
    #expect(s.stack.info(id)?.error == .refused)
    #expect(throws: StackError.connection(.refused)) { try s.read(id) }
  }

  @Test("ICMP host unreachable from a router: unreachable(.host); a bad quote is ignored")
  func icmpHostUnreachable() throws {
    let s = try TCPScript()
    let id = try s.stack.connect(to: TCPScript.peerIP, port: 40000, at: s.now)
    let syn = try #require(s.expect(.syn, seq: 0))
    var forged = syn
    forged.ipPacket[IPv4Header.minimumLength + 4] ^= 0x40  // a sequence number never sent
    let router = IPv4Address(198, 18, 0, 254)
    s.sendUnreachable(.hostUnreachable, quoting: forged, from: router)
    #expect(s.state(id) == .synSent)
    #expect(s.stack.counters[.icmpIgnored] == 1)
    s.sendUnreachable(.hostUnreachable, quoting: syn, from: router)
    s.expectNothing()
    #expect(s.stack.info(id)?.error == .unreachable(.host))
  }

  @Test("ICMP in ESTABLISHED is a soft error, reported only when the retries run out")
  func icmpSoftError() throws {
    let s = try TCPScript { $0.tcp.dataRetries = 2 }
    let (id, _) = try s.acceptConnection()
    try s.write(id, count: 100)
    let data = try #require(s.expect(.pshAck, seq: 1, ack: 1, length: 100))
    s.sendUnreachable(.hostUnreachable, quoting: data, from: IPv4Address(198, 18, 0, 254))
    s.expectNothing()
    #expect(s.state(id) == .established)
    #expect(s.stack.info(id)?.error == nil)
    s.at(.milliseconds(1399))
    s.expect(.pshAck, seq: 1, ack: 1, length: 100, at: .milliseconds(200))
    s.expect(.pshAck, seq: 1, ack: 1, length: 100, at: .milliseconds(600))
    #expect(s.state(id) == .established)
    s.at(.milliseconds(1400))
    let error = StackError.connection(.timedOut(lastICMP: .host))
    #expect(throws: error) { try s.read(id) }
  }

  @Test("no ARP answer for the peer: connect fails with unreachable(.host)")
  func noARPAnswer() throws {
    let s = try TCPScript(answersARP: false)
    let id = try s.stack.connect(to: TCPScript.peerIP, port: 40000, at: s.now)
    s.at(.milliseconds(2999))
    s.expectNothing()
    #expect(s.otherFrames.count == 3)
    #expect(s.state(id) == .synSent)
    s.at(.seconds(3))
    s.expectNothing()
    #expect(s.stack.info(id)?.error == .unreachable(.host))
    #expect(s.stack.counters.arpRequestsSent == 3)
    #expect(throws: StackError.connection(.unreachable(.host))) { try s.read(id) }
  }

  @Test("no MSS option: the send MSS is 536, in both directions of opening")
  func defaultMSS() throws {
    let s = try TCPScript()
    let (id, _) = try s.acceptConnection(options: TCPOptions())
    #expect(s.stack.info(id)?.sendMSS == 536)
    try s.write(id, count: 1000)
    s.expect(.ack, seq: 1, ack: 1, length: 536)
    s.expectNothing()
    s.send(.ack, seq: 1, ack: 537)
    s.expect(.pshAck, seq: 537, ack: 1, length: 464)
    s.peerPort = 40001
    let active = try s.openConnection(options: TCPOptions())
    #expect(s.stack.info(active)?.sendMSS == 536)
  }

  @Test("window scaling on a passive open: only when the peer's SYN offers it")
  func windowScalingPassive() throws {
    let s = try TCPScript()
    s.stackPort = 81
    let listener = try s.stack.listen(port: 81, backlog: 4, at: s.now)
    s.send(.syn, seq: 0, options: TCPOptions(maximumSegmentSize: 1460, windowScale: 7))
    let synAck = s.expect(.synAck, seq: 0, ack: 1, window: 65535)
    #expect(synAck?.header.options.windowScale == 3)
    s.send(.ack, seq: 1, ack: 1, window: 100)
    let scaled = try #require(try s.stack.accept(listener))
    // The peer's 100 << 7 = 12800 bytes: eight full segments (Nagle holds the rest).
    try s.write(scaled, count: 20_000)
    for index in 0..<8 {
      s.expect(.ack, seq: 1 + 1460 * index, ack: 1, window: 32768, length: 1460)
    }
    s.expectNothing()

    let (plain, _) = try s.acceptConnectionWithoutScaling(port: 82)
    try s.write(plain, count: 20_000)
    s.expect(.ack, seq: 1, ack: 1, window: 65535, length: 100)
    s.expectNothing()
  }

  @Test("window scaling on an active open: used only when the SYN-ACK carries it too")
  func windowScalingActive() throws {
    let s = try TCPScript()
    let plain = try s.openConnection()
    try s.write(plain, count: 10)
    s.expect(.pshAck, seq: 1, ack: 1, window: 65535, length: 10)
    s.peerPort = 40001
    let scaled = try s.openConnection(
      options: TCPOptions(maximumSegmentSize: 1460, windowScale: 2))
    try s.write(scaled, count: 10)
    s.expect(.pshAck, seq: 1, ack: 1, window: 32768, length: 10)
  }

  @Test("with window scaling configured off, no SYN carries it")
  func windowScalingDisabled() throws {
    let s = try TCPScript { $0.tcp.windowScaling = false }
    _ = try s.stack.connect(to: TCPScript.peerIP, port: 40000, at: s.now)
    let syn = s.expect(.syn, seq: 0)
    #expect(syn?.header.options.windowScale == nil)
    s.peerPort = 40001
    s.stackPort = 80
    _ = try s.stack.listen(port: 80, backlog: 1, at: s.now)
    s.send(.syn, seq: 0, options: TCPOptions(maximumSegmentSize: 1460, windowScale: 7))
    let synAck = s.expect(.synAck, seq: 0, ack: 1)
    #expect(synAck?.header.options.windowScale == nil)
  }
}

extension TCPScript {
  /// A passive open on `port` whose SYN has no window scale; the peer's window is 100.
  fileprivate func acceptConnectionWithoutScaling(
    port: UInt16
  ) throws -> (TCPSocketID, TCPListenerID) {
    stackPort = port
    peerPort = 40001
    let listener = try stack.listen(port: port, backlog: 4, at: now)
    send(.syn, seq: 0, options: TCPOptions(maximumSegmentSize: 1460))
    let synAck = expect(.synAck, seq: 0, ack: 1)
    #expect(synAck?.header.options.windowScale == nil)
    send(.ack, seq: 1, ack: 1, window: 100)
    let id = try #require(try stack.accept(listener))
    return (id, listener)
  }
}
