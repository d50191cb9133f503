import Testing

@testable import UsnetDevice

/// ``NetlinkRequest`` encodes byte for byte what a C program (here Python's `struct`) sends.
@Suite struct NetlinkRequestTests {
  @Test func aLinkQueryByName() {
    let request = NetlinkRequest(
      name: "RTM_GETLINK", type: RouteNetlink.getLink, flags: 0,
      header: InterfaceInfoHeader().bytes,
      attributes: [NetlinkAttribute(type: RouteNetlink.linkName, string: "usfix0")],
      detail: "link name usfix0")
    #expect(
      request.encoded(sequence: 101)
        == NetlinkFixtures.bytes(
          """
          2c000000120001006500000000000000000000000000000000000000000000000b0003007573666978300000
          """))
    #expect(!request.isDump && !request.wantsAcknowledgment)
  }

  @Test func aRouteLookupWithAnOutputLink() {
    let request = NetlinkRequest(
      name: "RTM_GETROUTE", type: RouteNetlink.getRoute, flags: 0,
      header: RouteHeader(family: RouteNetlink.ipv4Family, destinationLength: 32).bytes,
      attributes: [
        NetlinkAttribute(type: RouteNetlink.routeDestination, ipv4: 0xC612_0709),
        NetlinkAttribute(type: RouteNetlink.routeOutputLink, uint32: 3),
      ],
      detail: "route to 198.18.7.9")
    #expect(
      request.encoded(sequence: 7)
        == NetlinkFixtures.bytes(
          """
          2c0000001a000100070000000000000002200000000000000000000008000100c61207090800040003000000
          """))
  }

  @Test func dumpAndAcknowledgmentFlags() {
    let dump = NetlinkRequest(
      name: "RTM_GETLINK", type: RouteNetlink.getLink, flags: RouteNetlink.dump, header: [],
      attributes: [], detail: "")
    #expect(dump.isDump && dump.call == "netlink(RTM_GETLINK)")
    let delete = NetlinkRequest(
      name: "RTM_DELLINK", type: RouteNetlink.deleteLink, flags: RouteNetlink.acknowledge,
      header: [], attributes: [], detail: "")
    #expect(!delete.isDump && delete.wantsAcknowledgment)
  }
}
