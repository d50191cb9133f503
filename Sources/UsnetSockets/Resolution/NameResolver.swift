import Synchronization

/// Something that turns a host (an address literal or a name) into addresses: the
/// ``Resolver``, or a program's own (a fixed table in tests, a cache ...).
///
/// Resolution is blocking; see each conforming type for how long it can take.
public protocol NameResolver: Sendable {
  /// The addresses of `host`, in preference order; never empty.
  ///
  /// - Throws: `invalidInput` ("could not resolve to any addresses ...") when the name does
  ///   not resolve; other kinds for failures on the way (`timedOut` when no DNS server
  ///   answered).
  func resolve(_ host: String) throws(NetError) -> [IPAddress]
}

/// The resolver ``ToSocketAddresses/socketAddresses()`` uses when none is passed in.
///
/// A program or backend may ``install(_:)`` any resolver. Without one, the default follows the
/// default userspace runtime (``UserspaceRuntime/current``): when one is set, it is
/// ``Resolver/system(on:)`` on that runtime, so DNS goes through the userspace stack (the
/// system files are read at each call); when none is set, it is ``localOnly``: address
/// literals and `/etc/hosts` work, and names that would need DNS fail with an `unsupported`
/// error that says how to get a resolver.
public enum DefaultResolver {
  private static let slot = Mutex<(any NameResolver)?>(nil)

  /// Literal addresses, then `/etc/hosts` (read at each call), and no DNS.
  public static let localOnly: any NameResolver = LocalNameResolver()

  /// The installed resolver; else one on the default userspace runtime; else ``localOnly``.
  public static var current: any NameResolver {
    if let installed = slot.withLock({ $0 }) { return installed }
    if let runtime = UserspaceRuntime.current {
      return Resolver<UserspaceUDPSocket>.system(on: runtime)
    }
    return localOnly
  }

  /// Installs `resolver` as the default for the whole process (nil goes back to
  /// ``localOnly``). Thread-safe.
  public static func install(_ resolver: (any NameResolver)?) {
    slot.withLock { $0 = resolver }
  }
}

/// Literals and `/etc/hosts`; a name beyond those is `unsupported` (no DNS transport).
private struct LocalNameResolver: NameResolver {
  func resolve(_ host: String) throws(NetError) -> [IPAddress] {
    if let address = IPAddress(host) { return [address] }
    let addresses = HostsFile.system().addresses(for: host).filter { !$0.isIPv6 }
    guard addresses.isEmpty else { return addresses }
    throw NetError(
      .unsupported,
      message:
        "cannot resolve '\(host)': not in \(HostsFile.path), and DNS needs a resolver: pass "
        + "one, call DefaultResolver.install, or set a default UserspaceRuntime")
  }
}
