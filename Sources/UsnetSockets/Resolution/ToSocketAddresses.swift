/// A value that names one or more socket addresses, Rust's `ToSocketAddrs` in Swift: what
/// `connect`, `bind` and `send(to:)` accept, so that ported code resolves names through
/// usnet's ``Resolver`` and never silently through the system resolver.
///
/// Conformances: ``SocketAddress`` (itself), `[SocketAddress]` (the list as it is),
/// ``HostAndPort``, and `String` (`"host:port"`, `"1.2.3.4:80"`, `"[::1]:80"`). A name is
/// resolved by the resolver passed in, or by ``DefaultResolver/current``.
///
/// **Blocking.** Resolving a name may block for up to the resolver's timeout × attempts per
/// server and query (see ``Resolver``); literals never block.
public protocol ToSocketAddresses {
  /// The addresses this value names, in the order to try them.
  ///
  /// - Throws: `invalidInput` for a malformed `"host:port"` string or a name that does not
  ///   resolve; whatever else the resolver throws.
  func socketAddresses(using resolver: some NameResolver) throws(NetError) -> [SocketAddress]
}

extension ToSocketAddresses {
  /// The addresses this value names, resolved by ``DefaultResolver/current``.
  public func socketAddresses() throws(NetError) -> [SocketAddress] {
    try socketAddresses(using: DefaultResolver.current)
  }

  /// Calls `body` with each address in turn until one succeeds, as Rust's `each_addr` does
  /// for `connect` and `bind`: returns the first success, or throws the last failure.
  ///
  /// - Throws: the resolution error; `invalidInput` "could not resolve to any addresses"
  ///   when the value names no address; otherwise the last error `body` threw.
  public func firstSuccess<Result>(
    using resolver: some NameResolver,
    _ body: (SocketAddress) throws(NetError) -> Result
  ) throws(NetError) -> Result {
    var lastError: NetError?
    for address in try socketAddresses(using: resolver) {
      do {
        return try body(address)
      } catch {
        lastError = error
      }
    }
    throw lastError ?? NetError(.invalidInput, message: "could not resolve to any addresses")
  }

  /// ``firstSuccess(using:_:)`` with ``DefaultResolver/current``.
  public func firstSuccess<Result>(
    _ body: (SocketAddress) throws(NetError) -> Result
  ) throws(NetError) -> Result {
    try firstSuccess(using: DefaultResolver.current, body)
  }
}

extension SocketAddress: ToSocketAddresses {
  /// `[self]`; nothing is resolved.
  public func socketAddresses(
    using resolver: some NameResolver
  ) throws(NetError)
    -> [SocketAddress]
  {
    [self]
  }
}

extension Array: ToSocketAddresses where Element == SocketAddress {
  /// The addresses as they are; nothing is resolved.
  public func socketAddresses(
    using resolver: some NameResolver
  ) throws(NetError)
    -> [SocketAddress]
  {
    self
  }
}

extension HostAndPort: ToSocketAddresses {
  /// The literal with the port, or the resolved addresses with the port.
  public func socketAddresses(
    using resolver: some NameResolver
  ) throws(NetError)
    -> [SocketAddress]
  {
    if let address = IPAddress(host) { return [address.socketAddress(port: port)] }
    let addresses = try resolver.resolve(host)
    guard !addresses.isEmpty else {
      throw NetError(
        .invalidInput, message: "could not resolve to any addresses: no address for '\(host)'")
    }
    return addresses.map { $0.socketAddress(port: port) }
  }
}

extension String: ToSocketAddresses {
  /// A socket address literal as it is; otherwise `host:port` split at the last colon, the
  /// host resolved.
  ///
  /// - Throws: `invalidInput` "invalid socket address" without a colon, "invalid port value"
  ///   for a port that is not a decimal number up to 65535 (Rust's messages).
  public func socketAddresses(
    using resolver: some NameResolver
  ) throws(NetError)
    -> [SocketAddress]
  {
    if let address = SocketAddress(self) { return [address] }
    guard let colon = lastIndex(of: ":") else {
      throw NetError(.invalidInput, message: "invalid socket address")
    }
    let portText = self[index(after: colon)...]
    guard !portText.isEmpty, portText.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
      let port = UInt16(portText)
    else {
      throw NetError(.invalidInput, message: "invalid port value")
    }
    return try HostAndPort(host: String(self[..<colon]), port: port)
      .socketAddresses(using: resolver)
  }
}
