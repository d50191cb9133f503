import UsnetWire

/// Where and how the ``Resolver`` asks DNS: the servers, the search list and the retry policy,
/// as `/etc/resolv.conf` (resolv.conf(5)) states them or as a program configures them. There
/// are no built-in servers: with none configured, DNS lookups fail with a `NetError` saying so.
///
/// A plain value; `Sendable`.
public struct ResolverConfiguration: Hashable, Sendable {
  /// The DNS servers, tried in order (from a rotating start with ``rotate``).
  public var servers: [SocketAddress]
  /// Domains appended to names with fewer than ``ndots`` dots (`search` / `domain`).
  public var searchDomains: [String]
  /// Names with at least this many dots are tried as given before the search list (0...15).
  public var ndots: Int
  /// How long to wait for an answer from one server (resolv.conf: whole seconds, 1...30).
  public var timeout: Duration
  /// How many rounds over all servers before giving up (1...5).
  public var attempts: Int
  /// Start each query at a random server instead of the first (`options rotate`).
  public var rotate: Bool

  /// The standard location.
  public static let path = "/etc/resolv.conf"
  /// glibc's limit on the number of `nameserver` lines used (MAXNS); later ones are ignored.
  public static let maximumServers = 3

  /// Creates a configuration; the defaults are glibc's (timeout 5 s, 2 attempts, ndots 1).
  /// Out-of-range values are clamped: attempts to 1...5, ndots to 0...15, the timeout to at
  /// least 1 ms.
  public init(
    servers: [SocketAddress] = [], searchDomains: [String] = [], ndots: Int = 1,
    timeout: Duration = .seconds(5), attempts: Int = 2, rotate: Bool = false
  ) {
    self.servers = servers
    self.searchDomains = searchDomains
    self.ndots = min(max(ndots, 0), 15)
    self.timeout = max(timeout, .milliseconds(1))
    self.attempts = min(max(attempts, 1), 5)
    self.rotate = rotate
  }

  /// Parses the text of a resolv.conf.
  ///
  /// Understood: `nameserver ADDRESS` (IPv4 or IPv6, port 53, at most ``maximumServers``;
  /// zone ids and bad addresses are skipped), `search DOMAIN...` and `domain DOMAIN` (the
  /// last of them wins), `options` with `ndots:N`, `timeout:N`, `attempts:N` and `rotate`
  /// (values clamped as glibc clamps them). Comments start with `#` or `;`; unknown keywords
  /// and options are ignored, never an error.
  public init(resolvConf text: String) {
    self.init()
    for fields in ConfigurationText.fieldLines(text, comments: ["#", ";"]) {
      switch fields[0] {
      case "nameserver":
        guard fields.count >= 2, servers.count < Self.maximumServers,
          let address = IPAddress(String(fields[1]))
        else { continue }
        servers.append(address.socketAddress(port: 53))
      case "search":
        searchDomains = fields.dropFirst().map(String.init)
      case "domain":
        searchDomains = fields.count >= 2 ? [String(fields[1])] : []
      case "options":
        for option in fields.dropFirst() { apply(option: option) }
      default:
        continue
      }
    }
  }

  /// Applies one word of an `options` line.
  private mutating func apply(option: Substring) {
    if option == "rotate" {
      rotate = true
      return
    }
    let parts = option.split(separator: ":", maxSplits: 1)
    guard parts.count == 2, let value = Int(parts[1]), value >= 0 else { return }
    switch parts[0] {
    case "ndots": ndots = min(value, 15)
    case "timeout": timeout = .seconds(min(max(value, 1), 30))
    case "attempts": attempts = min(max(value, 1), 5)
    default: break
    }
  }

  /// Reads and parses ``path``; the defaults (and no servers) when it is missing.
  public static func system() -> ResolverConfiguration {
    ResolverConfiguration(resolvConf: ConfigurationText.read(path: path) ?? "")
  }
}
