import Foundation
import UsnetWire

/// Name resolution through usnet's own sockets, in the order the original system used:
/// 1. an address literal (`192.0.2.1`, `::1`) is returned as it is;
/// 2. this machine's ``hostname`` resolves to ``hostAddresses`` (the stack's own addresses,
///    given by the caller; with none given, the step is skipped);
/// 3. the ``hosts`` table (`/etc/hosts`);
/// 4. DNS: A queries (and AAAA with ``includesIPv6``) over a `Socket`, the UDP socket type of
///    the backend, so on the userspace backend the queries travel through the userspace stack
///    and never through the system resolver.
///
/// DNS follows resolv.conf's rules (see ``ResolverConfiguration``): the search list and
/// `ndots`, a `timeout` per server and `attempts` rounds over all servers. Each query has a
/// random id; an answer counts only if it comes from a server that was asked, is a response
/// with that id and repeats the question exactly (name compared case-insensitively), so stray
/// and spoofed datagrams are skipped while waiting. CNAME chains are followed up to
/// ``maximumCNAMEHops``, asking again for the end of a chain the server did not resolve.
///
/// **Blocking.** ``resolve(_:)`` blocks the calling thread while it waits for DNS: up to
/// `timeout × attempts × servers.count` for each query it sends (one per search candidate and
/// record type, more for an unresolved CNAME chain). Steps 1 to 3 never block.
///
/// A plain value; `Sendable`. Each ``resolve(_:)`` call uses its own sockets, so one resolver
/// may be used from many threads at once.
public struct Resolver<Socket: UDPSocketProtocol>: NameResolver {
  /// Servers, search list, timeout and attempts.
  public var configuration: ResolverConfiguration
  /// The static host table.
  public var hosts: HostsFile
  /// This machine's name (step 2), or nil.
  public var hostname: String?
  /// The addresses ``hostname`` resolves to: the stack's own.
  public var hostAddresses: [IPAddress]
  /// Whether IPv6 results are returned (hosts lines, AAAA queries). Off by default while the
  /// userspace stack speaks IPv4 only.
  public var includesIPv6: Bool

  /// The longest CNAME chain followed for one name.
  public static var maximumCNAMEHops: Int { 8 }

  /// Opens the UDP socket for DNS queries on the given wildcard address (`0.0.0.0:0` or
  /// `[::]:0`); by default `Socket.bind(to:)`.
  public var bindSocket: @Sendable (SocketAddress) throws(NetError) -> Socket

  /// Creates a resolver from explicit parts; nothing is read from files.
  ///
  /// `bindSocket` opens the query sockets; the default, `Socket.bind(to:)`, uses the
  /// backend's default (for the userspace backend: the default runtime). Pass a closure to
  /// send the queries through another stack, like
  /// `{ address throws(NetError) in try UserspaceUDPSocket.bind(to: address, on: runtime) }`.
  public init(
    configuration: ResolverConfiguration, hosts: HostsFile = HostsFile(),
    hostname: String? = nil, hostAddresses: [IPAddress] = [], includesIPv6: Bool = false,
    bindSocket: @escaping @Sendable (SocketAddress) throws(NetError) -> Socket = {
      address throws(NetError) in try Socket.bind(to: address)
    }
  ) {
    self.configuration = configuration
    self.hosts = hosts
    self.hostname = hostname
    self.hostAddresses = hostAddresses
    self.includesIPv6 = includesIPv6
    self.bindSocket = bindSocket
  }

  /// The production resolver: `/etc/resolv.conf` for the servers and policy (unless
  /// `configuration` is given), `/etc/hosts`, and the kernel's host name
  /// (`/proc/sys/kernel/hostname`) resolving to `hostAddresses`.
  public static func system(
    hostAddresses: [IPAddress], configuration: ResolverConfiguration? = nil,
    includesIPv6: Bool = false,
    bindSocket: @escaping @Sendable (SocketAddress) throws(NetError) -> Socket = {
      address throws(NetError) in try Socket.bind(to: address)
    }
  ) -> Resolver {
    let hostname = ConfigurationText.read(path: "/proc/sys/kernel/hostname")?
      .trimmingCharacters(in: .whitespacesAndNewlines)
    return Resolver(
      configuration: configuration ?? .system(), hosts: .system(),
      hostname: hostname?.isEmpty == false ? hostname : nil, hostAddresses: hostAddresses,
      includesIPv6: includesIPv6, bindSocket: bindSocket)
  }

  /// The addresses of `host`, trying the four steps in order; see the type's documentation.
  ///
  /// - Throws: `invalidInput` "could not resolve to any addresses" when the name has no
  ///   address (NXDOMAIN, or no records, for every search candidate) or is not a valid
  ///   domain name; `other` when no DNS server is configured or every server failed
  ///   (SERVFAIL, REFUSED, a truncated answer); `timedOut` when no server answered.
  public func resolve(_ host: String) throws(NetError) -> [IPAddress] {
    if let address = IPAddress(host) { return [address] }
    if let hostname, !hostAddresses.isEmpty,
      ConfigurationText.canonicalName(hostname) == ConfigurationText.canonicalName(host)
    {
      let addresses = hostAddresses.filter { includesIPv6 || !$0.isIPv6 }
      if !addresses.isEmpty { return addresses }
    }
    let fromHosts = hosts.addresses(for: host).filter { includesIPv6 || !$0.isIPv6 }
    if !fromHosts.isEmpty { return fromHosts }
    return try resolveWithDNS(host)
  }

  /// Step 4: every search candidate in turn until one has addresses.
  func resolveWithDNS(_ host: String) throws(NetError) -> [IPAddress] {
    guard !configuration.servers.isEmpty else {
      throw NetError(
        .other,
        message:
          "cannot resolve '\(host)': no DNS servers configured (no nameserver in "
          + "\(ResolverConfiguration.path) and none in the configuration)")
    }
    let candidates: [DNSName]
    do {
      candidates = try searchCandidates(host)
    } catch {
      throw NetError(
        .invalidInput,
        message: "could not resolve to any addresses: '\(host)' is not a valid "
          + "host name (\(error))")
    }
    let types: [DNSRecordType] = includesIPv6 ? [.a, .aaaa] : [.a]
    var failure: NetError?
    for candidate in candidates {
      var addresses: [IPAddress] = []
      for type in types {
        do {
          addresses += try lookup(candidate, type: type)
        } catch let error where error.kind == .timedOut {
          throw error  // as glibc: an unreachable server ends the search
        } catch {
          failure = failure ?? error
        }
      }
      if !addresses.isEmpty { return addresses }
    }
    throw failure
      ?? NetError(
        .invalidInput,
        message: "could not resolve to any addresses: no address for '\(host)' in DNS")
  }

  /// The names to ask for, in order: as given first when it has at least `ndots` dots (or
  /// ends in a dot, then only that), and with each search domain appended.
  func searchCandidates(_ host: String) throws(DNSError) -> [DNSName] {
    let name = try DNSName(host)
    if host.hasSuffix(".") { return [name] }
    var suffixed: [DNSName] = []
    for domain in configuration.searchDomains {
      guard let suffix = try? DNSName(domain), let full = try? name.appending(suffix) else {
        continue
      }
      suffixed.append(full)
    }
    let dots = host.utf8.count { $0 == UInt8(ascii: ".") }
    return dots >= configuration.ndots ? [name] + suffixed : suffixed + [name]
  }

  /// The addresses of type `type` for `name`, following CNAMEs. Empty when the name does
  /// not exist or has no such records.
  func lookup(_ name: DNSName, type: DNSRecordType) throws(NetError) -> [IPAddress] {
    var current = name
    var hops = 0
    while true {
      let response = try exchange(DNSQuestion(name: current, type: type))
      guard response.header.responseCode == .noError else { return [] }  // NXDOMAIN
      var owner = current
      while true {
        let addresses = response.answers.compactMap { record -> IPAddress? in
          guard record.name == owner else { return nil }
          switch record.data {
          case .a(let address) where type == .a: return .v4(address)
          case .aaaa(let address) where type == .aaaa: return .v6(address)
          default: return nil
          }
        }
        if !addresses.isEmpty { return addresses }
        let alias = response.answers.lazy.compactMap { record -> DNSName? in
          guard record.name == owner, case .cname(let target) = record.data else { return nil }
          return target
        }.first
        guard let alias else { break }
        hops += 1
        guard hops <= Self.maximumCNAMEHops else {
          throw NetError(
            .other,
            message: "CNAME chain for '\(name)' longer than \(Self.maximumCNAMEHops) names")
        }
        owner = alias
      }
      guard owner != current else { return [] }  // NOERROR without data
      current = owner  // the server gave the alias but not its addresses: ask for them
    }
  }
}
