import Testing

@testable import UsnetDevice

/// ``NetlinkAttribute``: encoding with 4-byte alignment, nesting, and typed errors on bad input.
@Suite struct NetlinkAttributeTests {
  @Test func encodesWithAlignment() {
    var bytes: [UInt8] = []
    NetlinkAttribute(type: 3, string: "veth").append(to: &bytes)
    NetlinkAttribute(type: 4, uint32: 1400).append(to: &bytes)
    #expect(
      bytes == [9, 0, 3, 0, 0x76, 0x65, 0x74, 0x68, 0, 0, 0, 0, 8, 0, 4, 0, 0x78, 0x05, 0, 0])
  }

  @Test func nestedAttributesRoundTrip() throws {
    let peer = NetlinkAttribute(
      type: RouteNetlink.vethPeer, header: InterfaceInfoHeader().bytes,
      nested: [NetlinkAttribute(type: RouteNetlink.linkName, string: "b")])
    let info = NetlinkAttribute(
      type: RouteNetlink.linkInfo,
      nested: [
        NetlinkAttribute(type: RouteNetlink.linkInfoKind, string: "veth"),
        NetlinkAttribute(type: RouteNetlink.linkInfoData, nested: [peer]),
      ])
    var bytes: [UInt8] = []
    info.append(to: &bytes)
    #expect(bytes.count == 4 + 12 + 4 + 4 + 16 + 8)
    let parsed = try NetlinkAttribute.parseAll(bytes, from: 0)
    #expect(parsed == [info])
    let inner = try #require(try parsed[0].nested().first(ofType: RouteNetlink.linkInfoData))
    let peerParsed = try #require(try inner.nested().first)
    #expect(Array(peerParsed.payload[0..<16]) == InterfaceInfoHeader().bytes)
    let peerName = try NetlinkAttribute.parseAll(peerParsed.payload, from: 16)
    #expect(peerName.first?.string() == "b")
  }

  @Test func theNestedAndByteOrderFlagsAreMasked() throws {
    let bytes: [UInt8] = [8, 0, 0x12, 0xC0, 1, 0, 0, 0]
    #expect(try NetlinkAttribute.parseAll(bytes, from: 0).first?.type == 0x12)
  }

  @Test func truncatedAndBadLengthAttributesAreTypedErrors() {
    #expect(throws: NetlinkParseError.truncatedAttribute(offset: 8, available: 3)) {
      try NetlinkAttribute.parseAll([8, 0, 1, 0, 1, 0, 0, 0, 8, 0, 2], from: 0)
    }
    #expect(throws: NetlinkParseError.badAttributeLength(type: 1, length: 3, available: 8)) {
      try NetlinkAttribute.parseAll([3, 0, 1, 0, 1, 0, 0, 0], from: 0)
    }
    #expect(throws: NetlinkParseError.badAttributeLength(type: 2, length: 12, available: 8)) {
      try NetlinkAttribute.parseAll([12, 0, 2, 0, 1, 0, 0, 0], from: 0)
    }
    #expect(throws: NetlinkParseError.badAttributeLength(type: 0, length: 0, available: 4)) {
      try NetlinkAttribute.parseAll([0, 0, 0, 0], from: 0)
    }
  }

  @Test func integersAndAddressesMustHaveTheirSize() throws {
    let short = NetlinkAttribute(type: 4, payload: [1, 2])
    #expect(throws: NetlinkParseError.badAttributeSize(type: 4, expected: 4, actual: 2)) {
      try short.uint32()
    }
    #expect(throws: NetlinkParseError.badAttributeSize(type: 4, expected: 4, actual: 2)) {
      try short.ipv4()
    }
    let address = NetlinkAttribute(type: 1, ipv4: 0xC612_0701)
    #expect(address.payload == [198, 18, 7, 1])
    #expect(try address.ipv4() == 0xC612_0701)
  }
}
