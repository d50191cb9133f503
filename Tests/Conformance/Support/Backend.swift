import Synchronization
import Testing
import UsnetSockets
import UsnetWire

#if canImport(Glibc)
  import Glibc
#endif

/// The IP version a test case runs on (std's `each_ip` runs a test on both).
enum IPFamily: String, Sendable, CaseIterable, CustomTestStringConvertible {
  case v4
  case v6

  var testDescription: String { rawValue }
}

/// One socket backend under test: the socket types plus where the peers of a test live.
///
/// A test's listener (or first UDP socket) lives on the *server* host and its connecting
/// peers on the *client* host. For Host both are the kernel's loopback; for userspace they are
/// two stacks joined by an in-memory link, each with its own address.
protocol ConformanceBackend: Sendable {
  associatedtype Stream: TCPStreamProtocol
  associatedtype Listener: TCPListenerProtocol where Listener.Stream == Stream
  associatedtype UDP: UDPSocketProtocol

  /// Why `family` cannot run on this backend, or nil when it can.
  func unsupportedReason(_ family: IPFamily) -> String?

  /// A fresh address with an explicit port on the server host (std's `next_test_ip4/6`).
  func nextAddress(_ family: IPFamily) -> SocketAddress
  /// The server host's address with port 0 (std's `LOCALHOST_IP4/6`).
  func serverAddress(_ family: IPFamily) -> SocketAddress
  /// The client host's address with port 0.
  func clientAddress(_ family: IPFamily) -> SocketAddress
  /// An IPv4 address with a port that no interface of the server host owns (std uses
  /// 1.1.1.1:9999).
  var foreignAddress: SocketAddress { get }
  /// What "localhost" resolves to as seen from the client host, in order, with `port`.
  func resolveLocalhost(port: UInt16) throws -> [SocketAddress]

  /// Binds a listener on the server host.
  func bindListener(_ address: SocketAddress, backlog: Int?) throws(NetError) -> Listener
  /// Connects from the client host.
  func connect(to address: SocketAddress, timeout: Duration?) throws(NetError) -> Stream
  /// Binds a UDP socket on the host that owns `address`'s IP.
  func bindUDP(_ address: SocketAddress) throws(NetError) -> UDP

  /// A destination the client host has no route to, for the unreachable-connect test; nil
  /// with the reason when the backend cannot offer one.
  var unreachableTarget: (address: SocketAddress?, reason: String) { get }
}

extension ConformanceBackend {
  func bindListener(_ address: SocketAddress) throws(NetError) -> Listener {
    try bindListener(address, backlog: nil)
  }

  func connect(to address: SocketAddress) throws(NetError) -> Stream {
    try connect(to: address, timeout: nil)
  }
}

/// The backends the suite runs on, as test arguments.
enum BackendID: String, Sendable, CaseIterable, CustomTestStringConvertible {
  /// Kernel sockets (`HostTCPStream` …) on 127.0.0.1 and ::1.
  case host
  /// The userspace stack, multi-thread runtime (`UserspaceTCPStream` …), peers on two stacks.
  case userspace
  /// The userspace stack, single-thread runtime (`SingleThreadTCPStream` …), peers on two
  /// stacks.
  case single
  /// The multi-thread userspace types through the kernel loopback twin, on loopback
  /// addresses (every socket is a kernel socket behind the userspace types).
  case twin

  var testDescription: String { rawValue }

  /// A fresh fixture for one test case.
  func make() throws -> any ConformanceBackend {
    switch self {
    case .host: HostBackend()
    case .userspace: try UserspaceBackend()
    case .single: try SingleThreadBackend()
    case .twin: try TwinBackend()
    }
  }

  /// Every backend; each test runs on all of them.
  static let all: [BackendID] = allCases

  /// Whether the backend runs IPv6 (std's `each_ip` second pass).
  var hasIPv6: Bool { self == .host || self == .twin }

  /// Whether the backend offers an unreachable destination that stays local.
  var hasUnreachableTarget: Bool { self != .host && self != .twin }

  static let withUnreachableTarget = all.filter(\.hasUnreachableTarget)
  static let withoutUnreachableTarget = all.filter { !$0.hasUnreachableTarget }
}

/// Why Host and the twin run have no unreachable-connect case.
let noUnreachableTargetReason: Comment = """
  Host and twin (kernel sockets): an unreachable destination depends on the machine's routing \
  table (a default route makes every address routable); no destination is unreachable while \
  staying local
  """

/// One case of a test that std runs through `each_ip`: a backend and an IP family.
struct NetCase: Sendable, CustomTestStringConvertible {
  let backend: BackendID
  let family: IPFamily

  var testDescription: String { "\(backend.rawValue) \(family.rawValue)" }

  /// The cases that run: v4 on every backend, v6 where the backend has IPv6.
  static let eachIP: [NetCase] = BackendID.all.flatMap { backend in
    IPFamily.allCases.filter { $0 == .v4 || backend.hasIPv6 }.map {
      NetCase(backend: backend, family: $0)
    }
  }

  /// The IPv6 cases of backends without IPv6: recorded as disabled tests, with the reason.
  static let ipv6Pending: [NetCase] = BackendID.all.filter { !$0.hasIPv6 }.map {
    NetCase(backend: $0, family: .v6)
  }
}

/// Why the IPv6 cases are skipped on the backends without IPv6.
let ipv6PendingReason: Comment = "IPv6: not in the userspace stack yet (issue 4: known skip)"

/// Ports for ``ConformanceBackend/nextAddress(_:)``: a counter, as std's `next_test_ip4`,
/// from a base that depends on the process id so that two test runs on one machine (the tree
/// is shared) rarely collide. The range stays below Linux's ephemeral ports (32768...).
let nextTestPort = Atomic<Int>(10_000 + Int(getpid() % 100) * 220)

func takeTestPort() -> UInt16 {
  UInt16(nextTestPort.add(1, ordering: .relaxed).oldValue)
}

/// The kernel backend, on 127.0.0.1 and ::1.
struct HostBackend: ConformanceBackend {
  typealias Stream = HostTCPStream
  typealias Listener = HostTCPListener
  typealias UDP = HostUDPSocket

  func unsupportedReason(_ family: IPFamily) -> String? { nil }

  func nextAddress(_ family: IPFamily) -> SocketAddress {
    serverAddress(family).withPort(takeTestPort())
  }

  func serverAddress(_ family: IPFamily) -> SocketAddress {
    switch family {
    case .v4: .v4(IPv4Address(127, 0, 0, 1), port: 0)
    case .v6: .v6(.loopback, port: 0)
    }
  }

  func clientAddress(_ family: IPFamily) -> SocketAddress { serverAddress(family) }

  var foreignAddress: SocketAddress { .v4(IPv4Address(1, 1, 1, 1), port: 9999) }

  func resolveLocalhost(port: UInt16) throws -> [SocketAddress] {
    try systemResolve("localhost", port: port)
  }

  func bindListener(_ address: SocketAddress, backlog: Int?) throws(NetError) -> Listener {
    try HostTCPListener.bind(to: address, backlog: backlog)
  }

  func connect(to address: SocketAddress, timeout: Duration?) throws(NetError) -> Stream {
    try HostTCPStream.connect(to: address, timeout: timeout)
  }

  func bindUDP(_ address: SocketAddress) throws(NetError) -> UDP {
    try HostUDPSocket.bind(to: address)
  }

  var unreachableTarget: (address: SocketAddress?, reason: String) {
    (
      nil,
      "Host: an unreachable destination needs a routing table without a default route or a "
        + "network namespace; the test machine's routes are not ours to depend on"
    )
  }
}

/// Resolves `host` with the system resolver (getaddrinfo, stream sockets), in its order, as
/// std's `ToSocketAddrs` for `(&str, u16)` does on the Host backend.
func systemResolve(_ host: String, port: UInt16) throws -> [SocketAddress] {
  var hints = addrinfo()
  hints.ai_family = AF_UNSPEC
  hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
  var list: UnsafeMutablePointer<addrinfo>?
  let status = getaddrinfo(host, String(port), &hints, &list)
  guard status == 0 else {
    throw ConformanceFailure(
      "getaddrinfo(\(host)) failed: \(String(cString: gai_strerror(status)))", #_sourceLocation)
  }
  defer { freeaddrinfo(list) }
  var addresses: [SocketAddress] = []
  var entry = list
  while let current = entry {
    var text = [CChar](repeating: 0, count: Int(NI_MAXHOST))
    let family = current.pointee.ai_family
    if getnameinfo(
      current.pointee.ai_addr, current.pointee.ai_addrlen, &text, socklen_t(text.count), nil, 0,
      NI_NUMERICHOST) == 0
    {
      let ip = String(
        decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
      let literal = family == AF_INET6 ? "[\(ip)]:\(port)" : "\(ip):\(port)"
      if let address = SocketAddress(literal), !addresses.contains(address) {
        addresses.append(address)
      }
    }
    entry = current.pointee.ai_next
  }
  return addresses
}

/// Connects to each of `addresses` in turn and returns the first stream, or the last error
/// (std's `each_addr`; no address at all is `invalidInput`).
func connectEach<B: ConformanceBackend>(
  _ backend: B, _ addresses: [SocketAddress]
) throws(NetError) -> B.Stream {
  var lastError = NetError(.invalidInput, message: "could not resolve to any addresses")
  for address in addresses {
    do throws(NetError) {
      return try backend.connect(to: address)
    } catch {
      lastError = error
    }
  }
  throw lastError
}

/// Runs a conformance body for `backend` and `family` on its own OS thread; cancels the test
/// case (a recorded skip) when the backend cannot run `family`. A failure listed in
/// ``KnownIssues`` for this test and backend is recorded as a known issue (shown in the output,
/// not counted as a failure); once it stops failing, the run fails until the entry is removed.
func run(
  _ suite: ConformanceSuite, _ id: BackendID, _ family: IPFamily = .v4,
  sourceLocation: SourceLocation = #_sourceLocation,
  _ body: @escaping @Sendable (any ConformanceBackend, IPFamily) throws -> Void
) async throws {
  let backend = try id.make()
  if let reason = backend.unsupportedReason(family) {
    try Test.cancel(Comment(rawValue: reason))
  }
  let test = Test.current?.displayName ?? Test.current?.name ?? ""
  if let issue = KnownIssues.issue(suite: suite, test: test, backend: id, family: family) {
    await withKnownIssue(Comment(rawValue: issue), sourceLocation: sourceLocation) {
      try await onThread { try body(backend, family) }
    }
  } else {
    try await onThread { try body(backend, family) }
  }
}
