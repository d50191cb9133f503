import Testing

@testable import UsnetDevice

/// ``LinkFacts`` read from a captured RTM_NEWLINK dump entry, and from broken copies of it.
@Suite struct LinkFactsTests {
  private func macvtapEntry() throws -> NetlinkMessage {
    try #require(try NetlinkMessage.parseAll(NetlinkFixtures.linkDumpMacvtapEntry).first)
  }

  @Test func readsACapturedMacvtap() throws {
    let entry = try macvtapEntry()
    #expect(entry.flags == 0x2)  // NLM_F_MULTI: a part of a dump
    let facts = try LinkFacts(message: entry)
    #expect(facts.index == 4)
    #expect(facts.name == "usfixmv")
    #expect(facts.mtu == 1500)
    #expect(facts.hardwareAddress == [0x02, 0x00, 0xC6, 0x12, 0x00, 0x0B])
    #expect(facts.kind == "macvtap")
    #expect(facts.macvtapMode == .bridge)
    #expect(facts.parentIndex == 2)
    #expect(!facts.isUp && !facts.isRunning)
  }

  @Test func everyTruncationIsATypedErrorOrAShorterLink() throws {
    let entry = try macvtapEntry()
    for count in 0..<entry.payload.count {
      var cut = entry
      cut.payload.removeLast(entry.payload.count - count)
      // Parsing must throw NetlinkParseError (typed) or succeed at an attribute boundary.
      if let facts = try? LinkFacts(message: cut) {
        #expect(facts.name == "usfixmv")
      }
    }
  }

  @Test func aBadAttributeLengthInsideIsATypedError() throws {
    var entry = try macvtapEntry()
    // The first attribute after the 16-byte ifinfomsg is IFLA_IFNAME; claim 4 KB for it.
    entry.payload[16] = 0x00
    entry.payload[17] = 0x10
    #expect(throws: NetlinkParseError.self) { try LinkFacts(message: entry) }
  }

  @Test func otherMessagesAndMissingNamesAreTypedErrors() throws {
    var entry = try macvtapEntry()
    entry.type = RouteNetlink.newRoute
    #expect(throws: NetlinkParseError.unexpectedMessageType(RouteNetlink.newRoute)) {
      try LinkFacts(message: entry)
    }
    let bare = NetlinkMessage(
      type: RouteNetlink.newLink, flags: 0, sequence: 1, portID: 1,
      payload: InterfaceInfoHeader(index: 5).bytes)
    #expect(
      throws: NetlinkParseError.missingAttribute(
        type: RouteNetlink.linkName, messageType: RouteNetlink.newLink)
    ) {
      try LinkFacts(message: bare)
    }
    let short = NetlinkMessage(
      type: RouteNetlink.newLink, flags: 0, sequence: 1, portID: 1, payload: [0, 0, 1])
    #expect(
      throws: NetlinkParseError.truncatedPayload(
        messageType: RouteNetlink.newLink, needed: 16, available: 3)
    ) {
      try LinkFacts(message: short)
    }
  }
}
