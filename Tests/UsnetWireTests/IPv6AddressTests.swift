import Testing
import UsnetWire

@Suite struct IPv6AddressTests {
  @Test(
    "parses RFC 4291 text forms",
    arguments: [
      ("::", IPv6Address(0, 0, 0, 0, 0, 0, 0, 0)),
      ("::1", IPv6Address(0, 0, 0, 0, 0, 0, 0, 1)),
      ("1::", IPv6Address(1, 0, 0, 0, 0, 0, 0, 0)),
      ("2001:db8::ff00:42:8329", IPv6Address(0x2001, 0xdb8, 0, 0, 0, 0xff00, 0x42, 0x8329)),
      (
        "2001:0DB8:0000:0000:0000:FF00:0042:8329",
        IPv6Address(0x2001, 0xdb8, 0, 0, 0, 0xff00, 0x42, 0x8329)
      ),
      ("1:2:3:4:5:6:7:8", IPv6Address(1, 2, 3, 4, 5, 6, 7, 8)),
      ("1:2:3:4:5:6:7::", IPv6Address(1, 2, 3, 4, 5, 6, 7, 0)),
      ("::2:3:4:5:6:7:8", IPv6Address(0, 2, 3, 4, 5, 6, 7, 8)),
      ("fe80::1:2", IPv6Address(0xfe80, 0, 0, 0, 0, 0, 1, 2)),
      ("::ffff:1.2.3.4", IPv6Address(0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304)),
      ("::1.2.3.4", IPv6Address(0, 0, 0, 0, 0, 0, 0x0102, 0x0304)),
      ("64:ff9b::192.0.2.33", IPv6Address(0x64, 0xff9b, 0, 0, 0, 0, 0xc000, 0x0221)),
      ("1:2:3:4:5:6:1.2.3.4", IPv6Address(1, 2, 3, 4, 5, 6, 0x0102, 0x0304)),
      ("0:0:0:0:0:0:0:0", IPv6Address.unspecified),
    ])
  func parses(text: String, address: IPv6Address) {
    #expect(IPv6Address(text) == address)
  }

  @Test(
    "rejects malformed text",
    arguments: [
      "", ":", ":::", "1:::2", "1::2::3", ":1::2", "1::2:", ":1:2:3:4:5:6:7:8",
      "1:2:3:4:5:6:7:8:", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::8",
      "::1:2:3:4:5:6:7:8", "12345::", "g::", "1.2.3.4", "::1.2.3", "::1.2.3.4:5",
      "::01.2.3.4", "::256.0.0.0", "1.2.3.4::", "1:2:3:4:5:6:7:1.2.3.4", "::1%eth0", "[::1]",
      " ::1", "::1 ", "1:2:3:4:5:6:7:8:1.2.3.4", "::ffff:1.2.3.4.5",
    ])
  func rejects(text: String) {
    #expect(IPv6Address(text) == nil)
  }

  @Test(
    "formats as RFC 5952 recommends",
    arguments: [
      ("::", "::"), ("::1", "::1"), ("1::", "1::"),
      ("2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
      ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),  // the first of equal runs
      ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),  // a single zero group stays
      ("2001:0:0:1:0:0:0:1", "2001:0:0:1::1"),  // the longest run wins
      ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"), ("fe80::abcd", "fe80::abcd"),
      ("0:0:0:0:0:ffff:c000:0201", "::ffff:192.0.2.1"), ("::1.2.3.4", "::102:304"),
      ("1:0:0:0:0:0:0:0", "1::"), ("0:1:0:0:0:0:0:0", "0:1::"),
    ])
  func formats(text: String, printed: String) throws {
    let address = try #require(IPv6Address(text))
    #expect(address.description == printed)
    #expect(IPv6Address(printed) == address)
  }

  @Test func classificationAndConversions() {
    #expect(IPv6Address.loopback.isLoopback && !IPv6Address.loopback.isUnspecified)
    #expect(IPv6Address.unspecified.isUnspecified && !IPv6Address.unspecified.isLoopback)
    #expect(IPv6Address("ff02::1")?.isMulticast == true)
    #expect(IPv6Address("::ffff:10.0.0.1")?.ipv4Mapped == IPv4Address(10, 0, 0, 1))
    #expect(IPv6Address.loopback.ipv4Mapped == nil)
    let address = IPv6Address(0x0102, 0x0304, 0x0506, 0x0708, 0x090a, 0x0b0c, 0x0d0e, 0x0f10)
    #expect(address.high == 0x0102_0304_0506_0708 && address.low == 0x090a_0b0c_0d0e_0f10)
    #expect(address.octets == Array(1...16))
    #expect(IPv6Address(reading: [0xAA] + Array(1...16), at: 1) == address)
    #expect(address.groups == [0x0102, 0x0304, 0x0506, 0x0708, 0x090a, 0x0b0c, 0x0d0e, 0x0f10])
    #expect(IPv6Address.loopback < address)
  }
}
