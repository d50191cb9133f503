import Synchronization
import Testing
import UsnetSockets
import UsnetWire

/// Runs `body`, expects a `NetError` of `kind`, and returns it.
@discardableResult
func expectResolutionError<Result>(
  _ kind: NetError.Kind, sourceLocation: SourceLocation = #_sourceLocation,
  _ body: () throws(NetError) -> Result
) -> NetError? {
  do throws(NetError) {
    let result = try body()
    Issue.record("expected \(kind), got \(result)", sourceLocation: sourceLocation)
    return nil
  } catch {
    #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
    return error
  }
}

/// The answer to `query`: the same id and question, QR and RA set, the given records.
func dnsAnswer(
  to query: DNSMessage, records: [DNSRecord] = [], code: DNSResponseCode = .noError,
  id: UInt16? = nil, truncated: Bool = false, question: DNSQuestion? = nil
) -> [UInt8] {
  var header = DNSHeader(id: id ?? query.header.id)
  header.isResponse = true
  header.recursionDesired = query.header.recursionDesired
  header.recursionAvailable = true
  header.isTruncated = truncated
  header.responseCode = code
  let questions = question.map { [$0] } ?? query.questions
  let message = DNSMessage(header: header, questions: questions, answers: records)
  return (try? message.bytes()) ?? []
}

/// An A record.
func aRecord(_ name: String, _ address: IPv4Address, ttl: UInt32 = 60) -> DNSRecord {
  DNSRecord(name: (try? DNSName(name)) ?? .root, type: .a, ttl: ttl, data: .a(address))
}

/// A CNAME record.
func cnameRecord(_ name: String, _ target: String) -> DNSRecord {
  DNSRecord(
    name: (try? DNSName(name)) ?? .root, type: .cname, ttl: 60,
    data: .cname((try? DNSName(target)) ?? .root))
}

/// A scripted network for ``FakeDNSSocket``: every datagram a socket sends is handed to the
/// responder, whose replies are queued on that socket at once. A receive with nothing queued
/// behaves as an expired read timeout, so retry logic runs without waiting.
///
/// Installed per test with `FakeDNSNetwork.$current.withValue`, so parallel tests never
/// share one.
final class FakeDNSNetwork: Sendable {
  /// One datagram sent by the resolver.
  struct Sent: Sendable {
    let server: SocketAddress
    let query: DNSMessage?
  }

  /// Replies to the `index`-th datagram (from 0), sent to `server`: (source, bytes) pairs.
  typealias Responder =
    @Sendable (_ query: DNSMessage, _ server: SocketAddress, _ index: Int) -> [(
      SocketAddress, [UInt8]
    )]

  @TaskLocal static var current: FakeDNSNetwork?

  let responder: Responder
  private let state = Mutex<(sent: [Sent], bound: Int, closed: Int)>(([], 0, 0))

  init(responder: @escaping Responder) {
    self.responder = responder
  }

  /// Everything sent so far.
  var sent: [Sent] { state.withLock { $0.sent } }
  /// Sockets bound and closed.
  var sockets: (bound: Int, closed: Int) { state.withLock { ($0.bound, $0.closed) } }

  func didBind() { state.withLock { $0.bound += 1 } }
  func didClose() { state.withLock { $0.closed += 1 } }

  /// Records a datagram and returns the replies to it.
  func deliver(_ bytes: [UInt8], to server: SocketAddress) -> [(SocketAddress, [UInt8])] {
    let query = try? DNSMessage.parse(bytes, in: 0..<bytes.count)
    let index = state.withLock { state in
      state.sent.append(Sent(server: server, query: query))
      return state.sent.count - 1
    }
    guard let query else { return [] }
    return responder(query, server, index)
  }

  /// Runs `body` with this network installed.
  @discardableResult
  func run<Result>(_ body: () throws(NetError) -> Result) throws(NetError) -> Result {
    let outcome: Swift.Result<Result, NetError> = FakeDNSNetwork.$current.withValue(self) {
      do throws(NetError) { return .success(try body()) } catch { return .failure(error) }
    }
    return try outcome.get()
  }
}

/// A UDP socket on the ``FakeDNSNetwork`` of the current task. Only what the resolver uses
/// works; the rest throws `unsupported`.
final class FakeDNSSocket: UDPSocketProtocol {
  private let network: FakeDNSNetwork
  private let inbox = Mutex<[(SocketAddress, [UInt8])]>([])
  private let timeout = Mutex<Duration?>(nil)
  private let isClosed = Mutex(false)
  private let address: SocketAddress

  private init(network: FakeDNSNetwork, address: SocketAddress) {
    self.network = network
    self.address = address
  }

  static func bind(to address: SocketAddress) throws(NetError) -> FakeDNSSocket {
    guard let network = FakeDNSNetwork.current else {
      throw NetError(.other, message: "no FakeDNSNetwork installed")
    }
    network.didBind()
    return FakeDNSSocket(network: network, address: address.withPort(40000))
  }

  func send(_ bytes: [UInt8], to address: SocketAddress) throws(NetError) -> Int {
    let replies = network.deliver(bytes, to: address)
    inbox.withLock { $0 += replies }
    return bytes.count
  }

  func receiveFrom(
    into buffer: inout [UInt8]
  ) throws(NetError) -> (
    count: Int, peer: SocketAddress
  ) {
    guard let (peer, bytes) = inbox.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else {
      throw NetError(.wouldBlock, message: "read timeout")
    }
    let count = min(bytes.count, buffer.count)
    buffer[0..<count] = bytes[0..<count]
    return (count, peer)
  }

  func peekFrom(into buffer: inout [UInt8]) throws(NetError) -> (count: Int, peer: SocketAddress) {
    throw unsupported
  }
  func connect(to address: SocketAddress) throws(NetError) { throw unsupported }
  func send(_ bytes: [UInt8]) throws(NetError) -> Int { throw unsupported }
  func receive(into buffer: inout [UInt8]) throws(NetError) -> Int { throw unsupported }
  func peek(into buffer: inout [UInt8]) throws(NetError) -> Int { throw unsupported }
  var peerAddress: SocketAddress { get throws(NetError) { throw unsupported } }
  var localAddress: SocketAddress { get throws(NetError) { address } }
  func tryClone() throws(NetError) -> FakeDNSSocket { throw unsupported }
  func setReadTimeout(_ timeout: Duration?) throws(NetError) {
    guard timeout != .zero else { throw NetError(.invalidInput) }
    self.timeout.withLock { $0 = timeout }
  }
  var readTimeout: Duration? { get throws(NetError) { timeout.withLock { $0 } } }
  func setWriteTimeout(_ timeout: Duration?) throws(NetError) {}
  var writeTimeout: Duration? { get throws(NetError) { nil } }
  func setNonblocking(_ nonblocking: Bool) throws(NetError) { throw unsupported }
  func setTTL(_ ttl: UInt32) throws(NetError) { throw unsupported }
  var ttl: UInt32 { get throws(NetError) { 64 } }
  func takeError() throws(NetError) -> NetError? { nil }
  func setBroadcast(_ enabled: Bool) throws(NetError) { throw unsupported }
  var isBroadcastEnabled: Bool { get throws(NetError) { false } }
  func joinMulticast(v4 group: IPv4Address, interface: IPv4Address) throws(NetError) {
    throw unsupported
  }
  func leaveMulticast(v4 group: IPv4Address, interface: IPv4Address) throws(NetError) {
    throw unsupported
  }
  func joinMulticast(v6 group: IPv6Address, interface: UInt32) throws(NetError) {
    throw unsupported
  }
  func leaveMulticast(v6 group: IPv6Address, interface: UInt32) throws(NetError) {
    throw unsupported
  }
  func setMulticastLoop(v4 enabled: Bool) throws(NetError) { throw unsupported }
  var isMulticastLoopV4Enabled: Bool { get throws(NetError) { false } }
  func setMulticastTTL(v4 ttl: UInt32) throws(NetError) { throw unsupported }
  var multicastTTLV4: UInt32 { get throws(NetError) { 1 } }
  func setMulticastLoop(v6 enabled: Bool) throws(NetError) { throw unsupported }
  var isMulticastLoopV6Enabled: Bool { get throws(NetError) { false } }

  func close() {
    let first = isClosed.withLock { closed in
      defer { closed = true }
      return !closed
    }
    if first { network.didClose() }
  }

  private var unsupported: NetError { NetError(.unsupported, message: "not in the fake") }
}
