import Testing
import UsnetSockets
import UsnetWire

/// A resolver with a fixed table, counting its calls.
struct TableResolver: NameResolver {
  let table: [String: [IPAddress]]

  func resolve(_ host: String) throws(NetError) -> [IPAddress] {
    if let address = IPAddress(host) { return [address] }
    guard let addresses = table[host], !addresses.isEmpty else {
      throw NetError(.invalidInput, message: "could not resolve to any addresses: \(host)")
    }
    return addresses
  }
}

@Suite("ToSocketAddresses")
struct ToSocketAddressesTests {
  static let db = IPv4Address(192, 0, 2, 10)
  static let db2 = IPv4Address(192, 0, 2, 11)
  let resolver = TableResolver(table: [
    "db": [.v4(db), .v4(db2)], "v6only": [.v6(.loopback)], "empty": [],
  ])

  @Test("socket addresses and lists are taken as they are")
  func literals() throws {
    let address = SocketAddress.v4(Self.db, port: 80)
    #expect(try address.socketAddresses(using: resolver) == [address])
    let list = [address, .v6(.loopback, port: 81)]
    #expect(try list.socketAddresses(using: resolver) == list)
    #expect(try [SocketAddress]().socketAddresses(using: resolver).isEmpty)
  }

  @Test("strings: literals, host:port through the resolver, Rust's errors for bad ones")
  func strings() throws {
    #expect(
      try "192.0.2.1:80".socketAddresses(using: resolver) == [
        .v4(IPv4Address(192, 0, 2, 1), port: 80)
      ])
    #expect(try "[::1]:8080".socketAddresses(using: resolver) == [.v6(.loopback, port: 8080)])
    #expect(
      try "db:5432".socketAddresses(using: resolver)
        == [.v4(Self.db, port: 5432), .v4(Self.db2, port: 5432)])
    #expect(try "v6only:1".socketAddresses(using: resolver) == [.v6(.loopback, port: 1)])
    for (text, message) in [
      ("db", "invalid socket address"), ("db:", "invalid port value"),
      ("db:65536", "invalid port value"), ("db:-1", "invalid port value"),
      ("db:+80", "invalid port value"), ("db: 80", "invalid port value"),
    ] {
      let error = expectResolutionError(.invalidInput) { () throws(NetError) in
        try text.socketAddresses(using: resolver)
      }
      #expect(error?.message == message, "\(text)")
    }
    let error = expectResolutionError(.invalidInput) { () throws(NetError) in
      try "nowhere:80".socketAddresses(using: resolver)
    }
    #expect(error?.message.hasPrefix("could not resolve to any addresses") == true)
  }

  @Test("host and port: literals skip the resolver; names resolve with the port attached")
  func hostAndPort() throws {
    #expect(
      try HostAndPort(host: "::1", port: 9).socketAddresses(using: resolver)
        == [.v6(.loopback, port: 9)])
    #expect(
      try HostAndPort(("db", 7)).socketAddresses(using: resolver)
        == [.v4(Self.db, port: 7), .v4(Self.db2, port: 7)])
    #expect(HostAndPort(host: "::1", port: 9).description == "[::1]:9")
    #expect(HostAndPort(host: "db", port: 7).description == "db:7")
  }

  @Test("firstSuccess tries each address in turn, like Rust's each_addr")
  func firstSuccess() throws {
    var tried: [SocketAddress] = []
    let result = try "db:1".firstSuccess(using: resolver) { (address) throws(NetError) in
      tried.append(address)
      if address.ipv4Address == Self.db { throw NetError(.connectionRefused) }
      return address.port
    }
    #expect(result == 1 && tried == [.v4(Self.db, port: 1), .v4(Self.db2, port: 1)])
    expectResolutionError(.connectionRefused) { () throws(NetError) in
      try "db:1".firstSuccess(using: resolver) { (_) throws(NetError) -> Int in
        throw NetError(.connectionRefused)
      }
    }
    let error = expectResolutionError(.invalidInput) { () throws(NetError) in
      try [SocketAddress]().firstSuccess(using: resolver) { (_) throws(NetError) in 0 }
    }
    #expect(error?.message == "could not resolve to any addresses")
  }

  @Test("the default resolver: literals without one installed; an installed one is used")
  func defaultResolver() throws {
    #expect(
      try "127.0.0.1:80".socketAddresses() == [.v4(IPv4Address(127, 0, 0, 1), port: 80)])
    #expect(try DefaultResolver.localOnly.resolve("::1") == [.v6(.loopback)])
    DefaultResolver.install(TableResolver(table: ["only-in-test-table": [.v4(Self.db)]]))
    defer { DefaultResolver.install(nil) }
    #expect(try "only-in-test-table:2".socketAddresses() == [.v4(Self.db, port: 2)])
  }
}
