import Testing

@testable import UsnetDevice

/// ``IPv4InterfaceAddress`` read from a captured address dump.
@Suite struct IPv4InterfaceAddressTests {
  @Test func readsACapturedAddress() throws {
    let message = try #require(try NetlinkMessage.parseAll(NetlinkFixtures.addressDump).first)
    let address = try #require(try IPv4InterfaceAddress(message: message))
    #expect(address.linkIndex == 3)
    #expect(address.address == 0xC612_0701)
    #expect(address.prefixLength == 24)
    #expect(address.label == "usfix0")
  }

  @Test func otherFamiliesAreSkippedAndMissingAddressesAreTypedErrors() throws {
    var message = try #require(try NetlinkMessage.parseAll(NetlinkFixtures.addressDump).first)
    let original = message
    message.payload[0] = 10  // AF_INET6
    #expect(try IPv4InterfaceAddress(message: message) == nil)
    message = original
    message.payload.removeLast(message.payload.count - InterfaceAddressHeader.length)
    #expect(
      throws: NetlinkParseError.missingAttribute(
        type: RouteNetlink.addressLocal, messageType: RouteNetlink.newAddress)
    ) {
      try IPv4InterfaceAddress(message: message)
    }
  }
}
