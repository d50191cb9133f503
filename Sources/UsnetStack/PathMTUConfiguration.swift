/// Limits of the per-destination path MTU cache (RFC 1191), Linux-like unless stated.
///
/// An ICMP fragmentation needed that passes the RFC 5927 checks lowers the path MTU of its
/// destination: TCP connections to it shrink their MSS, and UDP and ICMP datagrams to it are
/// fragmented at (or, with don't-fragment, refused beyond) the lower MTU. An entry expires after
/// ``entryLifetime``, and the interface MTU applies to the destination again.
public struct PathMTUConfiguration: Sendable {
  /// Destinations the cache remembers; beyond it, the entry that expires first is dropped
  /// (Linux keeps them in route exceptions, 2048 buckets per route).
  public var capacity: Int = 4096
  /// How long a lowered path MTU is kept before it is raised to the interface MTU again, so
  /// that a route that got better is used again (Linux `mtu_expires`: 600 s; RFC 1191
  /// suggests 10 minutes).
  public var entryLifetime: Duration = .seconds(600)

  /// Creates the defaults.
  public init() {}

  func validate() throws(ConfigurationError) {
    try check(
      (1...1_000_000).contains(capacity), "pathMTU.capacity", "\(capacity)", "1 to 1000000")
    try check(
      entryLifetime >= .seconds(1) && entryLifetime <= .seconds(86_400),
      "pathMTU.entryLifetime", "\(entryLifetime)", "1 second to 24 hours")
  }
}
