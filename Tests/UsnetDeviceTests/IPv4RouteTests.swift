import Testing

@testable import UsnetDevice

/// ``IPv4Route`` read from captured route lookups and a route dump.
@Suite struct IPv4RouteTests {
  private func routes(in datagram: [UInt8]) throws -> [IPv4Route] {
    try NetlinkMessage.parseAll(datagram).compactMap { try IPv4Route(message: $0) }
  }

  @Test func aLookupOnTheLink() throws {
    let route = try #require(try routes(in: NetlinkFixtures.routeReplyOnLink).first)
    #expect(route.destination == 0xC612_0709)
    #expect(route.destinationPrefixLength == 32)
    #expect(route.gateway == nil)
    #expect(route.outputLinkIndex == 3)
    #expect(route.preferredSource == 0xC612_0701)
    #expect(route.table == 254)
  }

  @Test func aLookupThroughTheGateway() throws {
    let route = try #require(try routes(in: NetlinkFixtures.routeReplyViaGateway).first)
    #expect(route.destination == 0xCB00_7105)
    #expect(route.gateway == 0xC612_0702)
    #expect(route.outputLinkIndex == 3)
    #expect(route.preferredSource == 0xC612_0701)
  }

  @Test func theDefaultRouteOfADump() throws {
    let all = try routes(in: NetlinkFixtures.routeDump)
    #expect(all.count == 4)
    #expect(all.filter { $0.table == 255 }.count == 2)
    let route = try #require(IPv4Route.preferredDefault(among: all))
    #expect(route.destinationPrefixLength == 0)
    #expect(route.gateway == 0xC612_0702)
    #expect(route.outputLinkIndex == 3)
    #expect(IPv4Route.preferredDefault(among: all.filter { $0.gateway == nil }) == nil)
  }

  @Test func aLowerMetricWins() throws {
    let all = try NetlinkMessage.parseAll(NetlinkFixtures.routeDump)
    var second = all[0]
    second.payload += [8, 0, 6, 0, 5, 0, 0, 0]  // RTA_PRIORITY 5
    var first = all[0]
    first.payload += [8, 0, 6, 0, 2, 0, 0, 0]  // RTA_PRIORITY 2
    let parsed = try [second, first].compactMap { try IPv4Route(message: $0) }
    #expect(IPv4Route.preferredDefault(among: parsed)?.priority == 2)
  }

  @Test func aWrongSizedGatewayIsATypedError() throws {
    var reply = try #require(try NetlinkMessage.parseAll(NetlinkFixtures.routeReplyOnLink).first)
    reply.payload += [7, 0, 5, 0, 198, 18, 7, 0]  // RTA_GATEWAY with 3 bytes
    #expect(throws: NetlinkParseError.badAttributeSize(type: 5, expected: 4, actual: 3)) {
      try IPv4Route(message: reply)
    }
  }
}
