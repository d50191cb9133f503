import Foundation
import Synchronization
import Testing
import UsnetSockets
import UsnetWire

/// A DNS server for tests, on any backend's UDP socket and its own thread. `behavior` gets
/// each parsed query with its index (from 0) and returns the datagrams to send back, each with
/// the socket to send it from: the server's own or `spoofer`, a second socket on another port.
final class LocalDNSResponder<Socket: UDPSocketProtocol>: Sendable {
  /// Which socket a reply leaves from.
  enum Source: Sendable { case server, spoofer }

  typealias Behavior = @Sendable (DNSMessage, Int) -> [(Source, [UInt8])]

  let socket: Socket
  let spoofer: Socket
  let address: SocketAddress
  private let behavior: Behavior
  private let stopping = Atomic<Bool>(false)
  private let queries = Mutex<[DNSMessage]>([])
  private let finished = DispatchSemaphore(value: 0)

  /// Serves on `address`, with the spoofer on the same IP and a free port.
  init(
    at address: SocketAddress, bind: (SocketAddress) throws(NetError) -> Socket,
    _ behavior: @escaping Behavior
  ) throws {
    socket = try bind(address)
    spoofer = try bind(address.withPort(0))
    self.address = try socket.localAddress
    self.behavior = behavior
    try socket.setReadTimeout(.milliseconds(20))
    Thread.detachNewThread { [self] in serve() }
  }

  /// The queries received so far.
  var received: [DNSMessage] { queries.withLock { $0 } }

  private func serve() {
    var buffer = [UInt8](repeating: 0, count: 1500)
    while !stopping.load(ordering: .acquiring) {
      guard let (count, peer) = try? socket.receiveFrom(into: &buffer),
        let query = try? DNSMessage.parse(buffer, in: 0..<count)
      else { continue }
      let index = queries.withLock { queries in
        queries.append(query)
        return queries.count - 1
      }
      for (source, reply) in behavior(query, index) {
        _ = try? (source == .server ? socket : spoofer).send(reply, to: peer)
      }
    }
    finished.signal()
  }

  /// Stops the thread and closes the sockets.
  func stop() {
    stopping.store(true, ordering: .releasing)
    finished.wait()
    socket.close()
    spoofer.close()
  }
}

extension LocalDNSResponder where Socket == HostUDPSocket {
  /// Serves on 127.0.0.1 and a free port, over the Host backend.
  convenience init(_ behavior: @escaping Behavior) throws {
    try self.init(
      at: .v4(IPv4Address(127, 0, 0, 1), port: 0),
      bind: { address throws(NetError) in try HostUDPSocket.bind(to: address) }, behavior)
  }
}

/// The resolver against real UDP: the Host backend's sockets talking to a DNS responder on
/// 127.0.0.1 that the test runs itself. Nothing leaves the machine.
@Suite("Resolver over Host UDP")
struct LocalDNSResponderTests {
  static let web = IPv4Address(198, 51, 100, 80)

  func resolver(
    _ servers: [SocketAddress], timeout: Duration = .milliseconds(300), attempts: Int = 2
  ) -> Resolver<HostUDPSocket> {
    Resolver<HostUDPSocket>(
      configuration: ResolverConfiguration(
        servers: servers, timeout: timeout, attempts: attempts))
  }

  @Test("an A query and a CNAME chain answered by the local responder")
  func exchange() throws {
    let responder = try LocalDNSResponder<HostUDPSocket> { query, _ in
      let name = query.questions.first?.name.description ?? ""
      let records =
        name == "www.example.com"
        ? [cnameRecord(name, "cdn.example.com"), aRecord("cdn.example.com", Self.web)]
        : [aRecord(name, IPv4Address(192, 0, 2, 7))]
      return [(.server, dnsAnswer(to: query, records: records))]
    }
    defer { responder.stop() }
    let resolver = resolver([responder.address])
    #expect(try resolver.resolve("www.example.com") == [.v4(Self.web)])
    #expect(
      try HostAndPort(host: "api.example.com", port: 443).socketAddresses(using: resolver)
        == [.v4(IPv4Address(192, 0, 2, 7), port: 443)])
    #expect(responder.received.map { $0.questions.first?.type } == [.a, .a])
  }

  @Test("the first query is dropped: answered on the retry after one timeout")
  func dropFirst() throws {
    let responder = try LocalDNSResponder<HostUDPSocket> { query, index in
      index == 0 ? [] : [(.server, dnsAnswer(to: query, records: [aRecord("w.example", Self.web)]))]
    }
    defer { responder.stop() }
    let start = ContinuousClock.now
    #expect(try resolver([responder.address]).resolve("w.example") == [.v4(Self.web)])
    let elapsed = ContinuousClock.now - start
    #expect(elapsed >= .milliseconds(300) && elapsed < .seconds(3), "\(elapsed)")
    #expect(responder.received.count == 2)
    #expect(responder.received[0].header.id == responder.received[1].header.id)
  }

  @Test("a wrong id and a spoofed source are ignored while the right answer is awaited")
  func mismatchIgnored() throws {
    let responder = try LocalDNSResponder<HostUDPSocket> { query, _ in
      let evil = [aRecord("w.example", IPv4Address(203, 0, 113, 66))]
      return [
        (.server, dnsAnswer(to: query, records: evil, id: query.header.id &+ 1)),
        (.spoofer, dnsAnswer(to: query, records: evil)),
        (.server, dnsAnswer(to: query, records: [aRecord("w.example", Self.web)])),
      ]
    }
    defer { responder.stop() }
    #expect(try resolver([responder.address]).resolve("w.example") == [.v4(Self.web)])
    #expect(responder.received.count == 1)
  }

  @Test("a silent first server: the second answers; none answering is timedOut in time")
  func silentServer() throws {
    let silent = try LocalDNSResponder<HostUDPSocket> { _, _ in [] }
    defer { silent.stop() }
    let good = try LocalDNSResponder<HostUDPSocket> { query, _ in
      [(.server, dnsAnswer(to: query, records: [aRecord("w.example", Self.web)]))]
    }
    defer { good.stop() }
    #expect(
      try resolver([silent.address, good.address], timeout: .milliseconds(200))
        .resolve("w.example") == [.v4(Self.web)])
    #expect(silent.received.count == 1 && good.received.count == 1)
    let start = ContinuousClock.now
    let error = expectResolutionError(.timedOut) { () throws(NetError) in
      try resolver([silent.address], timeout: .milliseconds(150), attempts: 3)
        .resolve("w.example")
    }
    let elapsed = ContinuousClock.now - start
    #expect(error != nil)
    #expect(elapsed >= .milliseconds(450) && elapsed < .seconds(3), "\(elapsed)")
    #expect(silent.received.count == 1 + 3)
  }
}
