import Testing
import UsnetSockets
import UsnetWire

@Suite("SocketAddress")
struct SocketAddressTests {
  @Test(
    "parses and prints IPv4 and IPv6 forms",
    arguments: [
      ("1.2.3.4:80", SocketAddress.v4(IPv4Address(1, 2, 3, 4), port: 80), "1.2.3.4:80"),
      ("0.0.0.0:0", .v4(.any, port: 0), "0.0.0.0:0"),
      ("255.255.255.255:65535", .v4(.broadcast, port: 65535), "255.255.255.255:65535"),
      ("[::1]:80", .v6(.loopback, port: 80), "[::1]:80"),
      ("[::]:0", .v6(.unspecified, port: 0), "[::]:0"),
      (
        "[2001:DB8::1]:443", .v6(IPv6Address(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1), port: 443),
        "[2001:db8::1]:443"
      ),
      (
        "[::ffff:1.2.3.4]:8", .v6(IPv6Address(ipv4Mapped: IPv4Address(1, 2, 3, 4)), port: 8),
        "[::ffff:1.2.3.4]:8"
      ),
      ("1.2.3.4:080", .v4(IPv4Address(1, 2, 3, 4), port: 80), "1.2.3.4:80"),
    ])
  func parses(text: String, address: SocketAddress, printed: String) {
    #expect(SocketAddress(text) == address)
    #expect(address.description == printed)
    #expect(SocketAddress(address.description) == address)
  }

  @Test(
    "rejects malformed text",
    arguments: [
      "", "1.2.3.4", "1.2.3.4:", ":80", "1.2.3.4:65536", "1.2.3.4:-1", "1.2.3.4:8a",
      "1.2.3:80", "01.2.3.4:80", "localhost:80", "::1:80", "[::1]", "[::1]:", "[::1:80",
      "::1]:80", "[1.2.3.4]:80", "[::1%eth0]:80", " 1.2.3.4:80", "1.2.3.4:80 ", "[]:80",
      "[::1]x:80", "1.2.3.4:+80", "[::1]:99999999999999999999",
    ])
  func rejects(text: String) {
    #expect(SocketAddress(text) == nil)
  }

  @Test("accessors")
  func accessors() {
    let v4 = SocketAddress.v4(IPv4Address(127, 0, 0, 1), port: 7)
    let v6 = SocketAddress.v6(.loopback, port: 8)
    #expect(v4.port == 7 && v6.port == 8)
    #expect(v4.isIPv4 && !v4.isIPv6 && v6.isIPv6 && !v6.isIPv4)
    #expect(v4.ipv4Address == IPv4Address(127, 0, 0, 1) && v4.ipv6Address == nil)
    #expect(v6.ipv6Address == .loopback && v6.ipv4Address == nil)
    #expect(v4.isLoopback && v6.isLoopback)
    #expect(SocketAddress.v4(.any, port: 1).isUnspecified)
    #expect(SocketAddress.v6(.unspecified, port: 1).isUnspecified)
    #expect(v4.withPort(9) == .v4(IPv4Address(127, 0, 0, 1), port: 9))
    #expect(v6.withPort(9) == .v6(.loopback, port: 9))
  }
}
