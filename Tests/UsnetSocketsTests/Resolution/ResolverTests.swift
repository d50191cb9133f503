import Testing
import UsnetSockets
import UsnetWire

/// The resolver's logic over ``FakeDNSSocket``: order of the steps, search list, CNAMEs,
/// retries, and which answers it refuses.
@Suite("Resolver")
struct ResolverTests {
  static let server1 = SocketAddress.v4(IPv4Address(192, 0, 2, 53), port: 53)
  static let server2 = SocketAddress.v4(IPv4Address(192, 0, 2, 54), port: 53)
  static let web = IPv4Address(198, 51, 100, 80)
  static let web2 = IPv4Address(198, 51, 100, 81)

  /// A resolver with two servers, the search domain `corp.example`, host name `myhost` at
  /// 10.0.0.2, and `db` in its hosts table.
  func resolver(
    servers: [SocketAddress] = [Self.server1, Self.server2], attempts: Int = 2, rotate: Bool = false
  ) -> Resolver<FakeDNSSocket> {
    Resolver<FakeDNSSocket>(
      configuration: ResolverConfiguration(
        servers: servers, searchDomains: ["corp.example"], timeout: .milliseconds(200),
        attempts: attempts, rotate: rotate),
      hosts: HostsFile(parsing: "192.0.2.10 db myhost\n2001:db8::10 db6\n"),
      hostname: "myhost", hostAddresses: [.v4(IPv4Address(10, 0, 0, 2))])
  }

  /// A network where every server answers `www.example.com` with two A records and every
  /// other name with NXDOMAIN.
  static func webNetwork() -> FakeDNSNetwork {
    FakeDNSNetwork { query, server, _ in
      guard query.questions.first?.name.description == "www.example.com" else {
        return [(server, dnsAnswer(to: query, code: .nameError))]
      }
      let records = [aRecord("www.example.com", Self.web), aRecord("www.example.com", Self.web2)]
      return [(server, dnsAnswer(to: query, records: records))]
    }
  }

  @Test("literals, then the host name, then the hosts table, all without DNS traffic")
  func localSteps() throws {
    let network = Self.webNetwork()
    let resolver = resolver()
    try network.run { () throws(NetError) in
      #expect(try resolver.resolve("192.0.2.99") == [.v4(IPv4Address(192, 0, 2, 99))])
      #expect(try resolver.resolve("::1") == [.v6(.loopback)])
      // The host name wins over the hosts line that also lists it.
      #expect(try resolver.resolve("MyHost") == [.v4(IPv4Address(10, 0, 0, 2))])
      #expect(try resolver.resolve("myhost.") == [.v4(IPv4Address(10, 0, 0, 2))])
      #expect(try resolver.resolve("db") == [.v4(IPv4Address(192, 0, 2, 10))])
    }
    #expect(network.sent.isEmpty && network.sockets.bound == 0)
    var withoutOwnAddress = resolver
    withoutOwnAddress.hostAddresses = []
    #expect(try withoutOwnAddress.resolve("myhost") == [.v4(IPv4Address(192, 0, 2, 10))])
  }

  @Test("IPv6 hosts lines are returned only when IPv6 is on")
  func ipv6Hosts() throws {
    let network = Self.webNetwork()
    var resolver = resolver()
    try network.run { () throws(NetError) in
      expectResolutionError(.invalidInput) { () throws(NetError) in try resolver.resolve("db6") }
      resolver.includesIPv6 = true
      #expect(
        try resolver.resolve("db6") == [.v6(IPv6Address(0x2001, 0xDB8, 0, 0, 0, 0, 0, 0x10))])
    }
  }

  @Test("DNS: one A query with RD to the first server; the answer's addresses in order")
  func aQuery() throws {
    let network = Self.webNetwork()
    let addresses = try network.run { () throws(NetError) in
      try resolver().resolve("www.example.com")
    }
    #expect(addresses == [.v4(Self.web), .v4(Self.web2)])
    #expect(network.sent.count == 1)
    let sent = try #require(network.sent.first)
    #expect(sent.server == Self.server1)
    let query = try #require(sent.query)
    #expect(query.header.recursionDesired && !query.header.isResponse)
    #expect(query.questions == [DNSQuestion(name: try DNSName("www.example.com"), type: .a)])
    #expect(network.sockets.bound == 1 && network.sockets.closed == 1)
  }

  @Test("search list: short names try the search domains first, dotted names themselves first")
  func searchList() throws {
    let network = FakeDNSNetwork { query, server, _ in
      let name = query.questions.first?.name.description ?? ""
      let known = ["intranet.corp.example": Self.web, "printer": Self.web2, "a.b": Self.web]
      guard let address = known[name] else {
        return [(server, dnsAnswer(to: query, code: .nameError))]
      }
      return [(server, dnsAnswer(to: query, records: [aRecord(name, address)]))]
    }
    let resolver = resolver()
    let names = { network.sent.compactMap { $0.query?.questions.first?.name.description } }
    try network.run { () throws(NetError) in
      #expect(try resolver.resolve("intranet") == [.v4(Self.web)])
      #expect(names() == ["intranet.corp.example"])
      #expect(try resolver.resolve("printer") == [.v4(Self.web2)])
      #expect(names().suffix(2) == ["printer.corp.example", "printer"])
      #expect(try resolver.resolve("a.b") == [.v4(Self.web)])
      #expect(names().last == "a.b")
      expectResolutionError(.invalidInput) { () throws(NetError) in
        try resolver.resolve("intranet.")
      }
      #expect(names().last == "intranet")
    }
  }

  @Test("CNAME chains: inside one answer, and asked again when the server stops at an alias")
  func cnameChains() throws {
    let network = FakeDNSNetwork { query, server, _ in
      let records: [DNSRecord]
      switch query.questions.first?.name.description ?? "" {
      case "www.example.com":
        records = [
          cnameRecord("www.example.com", "edge.example.net"),
          cnameRecord("edge.example.net", "cdn.example.org"),
          aRecord("other.example", Self.web2),
          aRecord("cdn.example.org", Self.web),
        ]
      case "alias.example": records = [cnameRecord("alias.example", "real.example")]
      case "real.example": records = [aRecord("real.example", Self.web2)]
      default: return [(server, dnsAnswer(to: query, code: .nameError))]
      }
      return [(server, dnsAnswer(to: query, records: records))]
    }
    try network.run { () throws(NetError) in
      #expect(try resolver().resolve("www.example.com") == [.v4(Self.web)])
      #expect(try resolver().resolve("alias.example") == [.v4(Self.web2)])
    }
    #expect(network.sent.count == 3)
  }

  @Test("CNAME loops and endless chains stop after the hop limit")
  func cnameLimits() throws {
    let loop = FakeDNSNetwork { query, server, _ in
      let records = [cnameRecord("a.example", "b.example"), cnameRecord("b.example", "a.example")]
      return [(server, dnsAnswer(to: query, records: records))]
    }
    try loop.run { () throws(NetError) in
      let error = expectResolutionError(.other) { () throws(NetError) in
        try resolver().resolve("a.example")
      }
      #expect(error?.message.contains("CNAME chain") == true)
    }
    let endless = FakeDNSNetwork { query, server, index in
      let name = query.questions.first?.name.description ?? ""
      let records = [cnameRecord(name, "n\(index).example")]
      return [(server, dnsAnswer(to: query, records: records))]
    }
    try endless.run { () throws(NetError) in
      expectResolutionError(.other) { () throws(NetError) in try resolver().resolve("x.example") }
    }
    // Both search candidates (x.example, then x.example.corp.example) hit the limit.
    #expect(endless.sent.count == 2 * (Resolver<FakeDNSSocket>.maximumCNAMEHops + 1))
  }

  @Test("a dropped query is retried on the next server, then again in the next round")
  func retries() throws {
    let dropFirst = FakeDNSNetwork { query, server, index in
      index == 0 ? [] : [(server, dnsAnswer(to: query, records: [aRecord("w.example", Self.web)]))]
    }
    try dropFirst.run { () throws(NetError) in
      #expect(try resolver().resolve("w.example") == [.v4(Self.web)])
    }
    #expect(dropFirst.sent.map(\.server) == [Self.server1, Self.server2])
    // One server: the retry goes to it again, with the same id and question.
    let single = FakeDNSNetwork { query, server, index in
      index == 0 ? [] : [(server, dnsAnswer(to: query, records: [aRecord("w.example", Self.web)]))]
    }
    try single.run { () throws(NetError) in
      #expect(try resolver(servers: [Self.server1]).resolve("w.example") == [.v4(Self.web)])
    }
    #expect(single.sent.map(\.server) == [Self.server1, Self.server1])
    #expect(single.sent[0].query == single.sent[1].query)
  }

  @Test("no answer at all: timedOut after attempts × servers queries, sockets closed")
  func timeout() throws {
    let silent = FakeDNSNetwork { _, _, _ in [] }
    try silent.run { () throws(NetError) in
      let error = expectResolutionError(.timedOut) { () throws(NetError) in
        try resolver(attempts: 3).resolve("w.example")
      }
      #expect(error?.message.contains("192.0.2.53:53") == true)
    }
    // The search stops at the first timeout (w.example has a dot: no search candidates tried).
    #expect(silent.sent.count == 3 * 2)
    #expect(silent.sockets.bound == silent.sockets.closed)
  }

  @Test("wrong id, spoofed source, other question, a query, garbage: ignored; then the answer")
  func mismatchedAnswersIgnored() throws {
    let network = FakeDNSNetwork { query, server, _ in
      let id = query.header.id
      var notResponse = query
      notResponse.header.recursionAvailable = true
      let otherQuestion = DNSQuestion(name: (try? DNSName("evil.example")) ?? .root, type: .a)
      let wrongType = DNSQuestion(name: query.questions[0].name, type: .aaaa)
      let evil = [aRecord("w.example", IPv4Address(203, 0, 113, 66))]
      return [
        (server, dnsAnswer(to: query, records: evil, id: id &+ 1)),
        (.v4(IPv4Address(203, 0, 113, 1), port: 53), dnsAnswer(to: query, records: evil)),
        (server.withPort(5353), dnsAnswer(to: query, records: evil)),
        (server, dnsAnswer(to: query, records: evil, question: otherQuestion)),
        (server, dnsAnswer(to: query, records: evil, question: wrongType)),
        (server, (try? notResponse.bytes()) ?? []),
        (server, [0xDE, 0xAD]),
        (server, dnsAnswer(to: query, records: [aRecord("w.example", Self.web)])),
      ]
    }
    try network.run { () throws(NetError) in
      #expect(try resolver().resolve("w.example") == [.v4(Self.web)])
    }
    #expect(network.sent.count == 1)
    let onlyForged = FakeDNSNetwork { query, server, _ in
      [(server, dnsAnswer(to: query, records: [aRecord("w.example", Self.web)], id: 0))]
        .filter { _ in query.header.id != 0 }
    }
    try onlyForged.run { () throws(NetError) in
      expectResolutionError(.timedOut) { () throws(NetError) in
        try resolver().resolve("w.example")
      }
    }
  }

  @Test("SERVFAIL moves on to the next server; failure everywhere is reported")
  func serverFailure() throws {
    let firstFails = FakeDNSNetwork { query, server, _ in
      server == Self.server1
        ? [(server, dnsAnswer(to: query, code: .serverFailure))]
        : [(server, dnsAnswer(to: query, records: [aRecord("w.example", Self.web)]))]
    }
    try firstFails.run { () throws(NetError) in
      #expect(try resolver().resolve("w.example") == [.v4(Self.web)])
    }
    #expect(firstFails.sent.map(\.server) == [Self.server1, Self.server2])
    let allFail = FakeDNSNetwork { query, server, _ in
      [(server, dnsAnswer(to: query, code: .refused))]
    }
    try allFail.run { () throws(NetError) in
      let error = expectResolutionError(.other) { () throws(NetError) in
        try resolver().resolve("w.example")
      }
      #expect(error?.message.contains("REFUSED") == true)
    }
  }

  @Test("a truncated answer without records tries the next server; with records it is used")
  func truncated() throws {
    let network = FakeDNSNetwork { query, server, _ in
      let name = query.questions.first?.name.description ?? ""
      if server == Self.server1 && name == "w.example" {
        return [(server, dnsAnswer(to: query, truncated: true))]
      }
      let records = [aRecord(name, Self.web)]
      return [(server, dnsAnswer(to: query, records: records, truncated: server == Self.server1))]
    }
    try network.run { () throws(NetError) in
      #expect(try resolver().resolve("w.example") == [.v4(Self.web)])
      #expect(try resolver().resolve("v.example") == [.v4(Self.web)])
    }
    #expect(network.sent.map(\.server) == [Self.server1, Self.server2, Self.server1])
  }

  @Test("NXDOMAIN and NOERROR without records: invalidInput, could not resolve")
  func notFound() throws {
    let network = FakeDNSNetwork { query, server, _ in
      let name = query.questions.first?.name.description ?? ""
      let code: DNSResponseCode = name.hasPrefix("nodata") ? .noError : .nameError
      return [(server, dnsAnswer(to: query, code: code))]
    }
    try network.run { () throws(NetError) in
      for name in ["nothing.example", "nodata.example", "nothing"] {
        let error = expectResolutionError(.invalidInput) { () throws(NetError) in
          try resolver().resolve(name)
        }
        #expect(error?.message.hasPrefix("could not resolve to any addresses") == true)
      }
      expectResolutionError(.invalidInput) { () throws(NetError) in
        try resolver().resolve("bad..name")
      }
    }
    // nothing.example, nothing.example.corp.example; nodata.example + search; nothing + 1.
    #expect(network.sent.count == 6)
  }

  @Test("no servers configured: a clear error, no traffic")
  func noServers() throws {
    let network = Self.webNetwork()
    try network.run { () throws(NetError) in
      let error = expectResolutionError(.other) { () throws(NetError) in
        try resolver(servers: []).resolve("www.example.com")
      }
      #expect(error?.message.contains("no DNS servers configured") == true)
    }
    #expect(network.sent.isEmpty)
  }

  @Test("rotate starts queries at different servers")
  func rotate() throws {
    let network = Self.webNetwork()
    let resolver = resolver(rotate: true)
    try network.run { () throws(NetError) in
      for _ in 0..<40 { _ = try resolver.resolve("www.example.com") }
    }
    let first = Set(network.sent.map(\.server))
    #expect(first == [Self.server1, Self.server2])
  }

  @Test("ids are random per query")
  func randomIDs() throws {
    let network = Self.webNetwork()
    try network.run { () throws(NetError) in
      for _ in 0..<20 { _ = try resolver().resolve("www.example.com") }
    }
    #expect(Set(network.sent.compactMap { $0.query?.header.id }).count > 10)
  }
}
