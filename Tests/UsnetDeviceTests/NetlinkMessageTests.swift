import Testing

@testable import UsnetDevice

/// ``NetlinkMessage``: splitting datagrams and encoding, with every length checked.
@Suite struct NetlinkMessageTests {
  @Test func splitsACapturedDatagramIntoItsMessages() throws {
    let messages = try NetlinkMessage.parseAll(NetlinkFixtures.routeDump)
    #expect(messages.count == 4)
    #expect(messages.allSatisfy { $0.type == RouteNetlink.newRoute && $0.sequence == 101 })
    #expect(messages.allSatisfy { $0.flags == 0x2 })  // NLM_F_MULTI: parts of a dump
    #expect(messages.map(\.payload.count) == [36, 44, 44, 44])
    let done = try NetlinkMessage.parseAll(NetlinkFixtures.linkDumpDone)
    #expect(done.map(\.type) == [RouteNetlink.done])
  }

  @Test func encodingRoundTrips() throws {
    let message = NetlinkMessage(
      type: RouteNetlink.getLink, flags: 0x301, sequence: 7, portID: 9, payload: [1, 2, 3])
    let bytes = message.encoded()
    #expect(bytes.count == 20)
    #expect(Array(bytes[0..<4]) == [19, 0, 0, 0])
    #expect(Array(bytes[16..<20]) == [1, 2, 3, 0])
    #expect(try NetlinkMessage.parseAll(bytes) == [message])
  }

  @Test func theLastMessageMayLackItsPadding() throws {
    var bytes = NetlinkMessage(type: 3, flags: 2, sequence: 1, portID: 0, payload: [7]).encoded()
    bytes.removeLast(3)
    #expect(try NetlinkMessage.parseAll(bytes).first?.payload == [7])
  }

  @Test func aTruncatedHeaderIsATypedError() {
    let datagram = Array(NetlinkFixtures.linkDumpDone[0..<10])
    #expect(throws: NetlinkParseError.truncatedMessageHeader(offset: 0, available: 10)) {
      try NetlinkMessage.parseAll(datagram)
    }
  }

  @Test func lengthsBelowTheHeaderOrBeyondTheDatagramAreTypedErrors() {
    var short = NetlinkFixtures.linkDumpDone
    short[0] = 15
    #expect(throws: NetlinkParseError.badMessageLength(offset: 0, length: 15, available: 20)) {
      try NetlinkMessage.parseAll(short)
    }
    var long = NetlinkFixtures.linkDumpDone
    long[0] = 24
    #expect(throws: NetlinkParseError.badMessageLength(offset: 0, length: 24, available: 20)) {
      try NetlinkMessage.parseAll(long)
    }
    var huge = NetlinkFixtures.linkDumpDone
    huge[3] = 0xFF
    #expect(throws: NetlinkParseError.self) { try NetlinkMessage.parseAll(huge) }
  }

  @Test func everyCutOfACapturedDatagramFailsCleanly() {
    let datagram = NetlinkFixtures.routeDump
    for count in 1..<datagram.count {
      let cut = Array(datagram[0..<count])
      // A cut exactly at a message boundary is a shorter but valid datagram.
      if let messages = try? NetlinkMessage.parseAll(cut) {
        #expect(messages.reduce(0) { $0 + 16 + netlinkAligned($1.payload.count) } == count)
      }
    }
  }
}
