import Testing
import UsnetSockets
import UsnetStack
import UsnetWire

@Suite("Runtime ping")
struct RuntimePingTests {
  @Test("a ping through the stack gets the peer stack's reply with our data")
  func pingPeer() throws {
    let pair = try UserspacePair()
    let payload: [UInt8] = Array(0..<56)
    let answer = try pair.a.ping(UserspacePair.ipB, sequence: 1, payload: payload)
    #expect(answer.reply.source == UserspacePair.ipB)
    #expect(answer.reply.sequence == 1)
    #expect(answer.reply.payload == payload)
    #expect(answer.roundTrip > .zero)
    let second = try pair.a.ping(UserspacePair.ipB, sequence: 2, timeout: .seconds(2))
    #expect(second.reply.sequence == 2)
    #expect(try pair.b.counters().icmpEchoRepliesSent == 2)
  }

  @Test("no answer is timedOut after the timeout; no route is networkUnreachable")
  func pingErrors() throws {
    let pair = try UserspacePair()
    let start = ContinuousClock.now
    expectNetError(.timedOut) { () throws(NetError) in
      try pair.a.ping(IPv4Address(198, 18, 0, 99), sequence: 1, timeout: .milliseconds(200))
    }
    #expect(ContinuousClock.now - start >= .milliseconds(190))
    expectNetError(.networkUnreachable) { () throws(NetError) in
      try pair.a.ping(IPv4Address(203, 0, 113, 1), sequence: 1)
    }
    expectNetError(.invalidInput) { () throws(NetError) in
      try pair.a.ping(UserspacePair.ipB, sequence: 1, timeout: .zero)
    }
  }

  @Test("a single-thread runtime's ping drives the stack while it waits")
  func singleThreadPing() throws {
    let pair = try SingleThreadPair()
    let answer = JoinableThread { try? pair.a.ping(UserspacePair.ipB, sequence: 9) }
    // The peer stack needs a thread in a call to answer (ARP, then the echo request).
    for _ in 0..<20 { try pair.b.poll(waitingUpTo: .milliseconds(50)) }
    #expect(answer.join()??.reply.sequence == 9)
  }
}
