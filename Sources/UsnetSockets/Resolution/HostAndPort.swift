/// A host (an address literal or a name) and a port: the Swift spelling of Rust's
/// `(&str, u16)` argument to `connect` and `bind`.
public struct HostAndPort: Hashable, Sendable, CustomStringConvertible {
  /// The host: `"example.com"`, `"192.0.2.1"` or `"::1"` (no brackets).
  public var host: String
  /// The port.
  public var port: UInt16

  /// Creates a host and port.
  public init(host: String, port: UInt16) {
    self.host = host
    self.port = port
  }

  /// Creates a host and port from a `(host, port)` pair.
  public init(_ pair: (host: String, port: UInt16)) {
    self.init(host: pair.host, port: pair.port)
  }

  /// `host:port`, with brackets around an IPv6 literal.
  public var description: String {
    if case .v6 = IPAddress(host) { return "[\(host)]:\(port)" }
    return "\(host):\(port)"
  }
}
