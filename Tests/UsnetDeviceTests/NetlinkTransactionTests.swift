import Testing

@testable import UsnetDevice

/// ``NetlinkTransaction``: collecting answers and turning NLMSG_ERROR into ``DeviceError``, fed
/// with captured datagrams.
@Suite struct NetlinkTransactionTests {
  /// A request like the one each fixture answered.
  private func transaction(
    answering datagram: [UInt8], name: String, flags: UInt16, detail: String
  ) throws -> NetlinkTransaction {
    let first = try #require(try NetlinkMessage.parseAll(datagram).first)
    let request = NetlinkRequest(
      name: name, type: 0, flags: flags, header: [], attributes: [], detail: detail)
    return NetlinkTransaction(request: request, sequence: 101, portID: first.portID)
  }

  @Test func aDumpIsCompleteAtDone() throws {
    var dump = try transaction(
      answering: NetlinkFixtures.addressDump, name: "RTM_GETADDR", flags: RouteNetlink.dump,
      detail: "all links")
    try dump.receive(NetlinkFixtures.addressDump)
    #expect(!dump.isComplete && dump.messages.count == 1)
    try dump.receive(NetlinkFixtures.addressDumpDone)
    #expect(dump.isComplete && !dump.wasInterrupted)
    #expect(dump.messages.map(\.type) == [RouteNetlink.newAddress])
  }

  @Test func aPlainRequestIsCompleteWithItsAnswer() throws {
    var lookup = try transaction(
      answering: NetlinkFixtures.routeReplyOnLink, name: "RTM_GETROUTE", flags: 0,
      detail: "route")
    try lookup.receive(NetlinkFixtures.routeReplyOnLink)
    #expect(lookup.isComplete && lookup.messages.count == 1)
  }

  @Test func answersToOtherRequestsAreSkipped() throws {
    let first = try #require(try NetlinkMessage.parseAll(NetlinkFixtures.routeReplyOnLink).first)
    let request = NetlinkRequest(
      name: "RTM_GETROUTE", type: 0, flags: 0, header: [], attributes: [], detail: "route")
    var other = NetlinkTransaction(request: request, sequence: 102, portID: first.portID)
    try other.receive(NetlinkFixtures.routeReplyOnLink)
    #expect(!other.isComplete && other.messages.isEmpty)
    var otherPort = NetlinkTransaction(request: request, sequence: 101, portID: 1)
    try otherPort.receive(NetlinkFixtures.routeReplyOnLink)
    #expect(!otherPort.isComplete)
  }

  @Test func anErrorNamesTheRequestAndCarriesTheErrno() throws {
    var lookup = try transaction(
      answering: NetlinkFixtures.missingLinkError, name: "RTM_GETLINK", flags: 0,
      detail: "link name nosuchlink0")
    #expect(
      throws: DeviceError(
        call: "netlink(RTM_GETLINK)", errno: 19, detail: "link name nosuchlink0")
    ) {
      try lookup.receive(NetlinkFixtures.missingLinkError)
    }
  }

  @Test func theKernelsErrorTextJoinsTheDetail() throws {
    var create = try transaction(
      answering: NetlinkFixtures.unknownKindError, name: "RTM_NEWLINK",
      flags: RouteNetlink.acknowledge, detail: "create usfixbad")
    #expect(
      throws: DeviceError(
        call: "netlink(RTM_NEWLINK)", errno: 95,
        detail: "create usfixbad: Unknown device type")
    ) {
      try create.receive(NetlinkFixtures.unknownKindError)
    }
  }

  @Test func anAcknowledgmentCompletesAChange() throws {
    var error = try #require(try NetlinkMessage.parseAll(NetlinkFixtures.missingLinkError).first)
    error.payload.replaceSubrange(0..<4, with: [0, 0, 0, 0])
    var change = try transaction(
      answering: NetlinkFixtures.missingLinkError, name: "RTM_SETLINK",
      flags: RouteNetlink.acknowledge, detail: "set up")
    try change.receive(error.encoded())
    #expect(change.isComplete && change.messages.isEmpty)
  }

  @Test func interruptedDumpsAreFlagged() throws {
    var entry = try #require(try NetlinkMessage.parseAll(NetlinkFixtures.addressDump).first)
    entry.flags |= RouteNetlink.dumpInterrupted
    var dump = try transaction(
      answering: NetlinkFixtures.addressDump, name: "RTM_GETADDR", flags: RouteNetlink.dump,
      detail: "all links")
    try dump.receive(entry.encoded() + NetlinkFixtures.addressDumpDone)
    #expect(dump.isComplete && dump.wasInterrupted)
  }

  @Test func malformedAnswersAreBadMessageErrors() throws {
    var lookup = try transaction(
      answering: NetlinkFixtures.routeReplyOnLink, name: "RTM_GETROUTE", flags: 0,
      detail: "route")
    var cut = NetlinkFixtures.routeReplyOnLink
    cut.removeLast(40)
    #expect(
      throws: DeviceError(
        call: "netlink(RTM_GETROUTE)", errno: 74,
        detail: "route: netlink message at offset 0 has length 104 but 64 bytes are left")
    ) {
      try lookup.receive(cut)
    }
    var error = try #require(try NetlinkMessage.parseAll(NetlinkFixtures.missingLinkError).first)
    error.payload = [0xED, 0xFF]
    error.portID = lookup.portID
    #expect(throws: DeviceError.self) { try lookup.receive(error.encoded()) }
  }
}
