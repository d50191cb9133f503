import UsnetWire

/// Path MTU discovery (RFC 1191) per destination: a validated ICMP fragmentation needed lowers
/// the destination's entry in the path MTU cache, every TCP connection to it shrinks its MSS
/// at once, new connections start with it (their SYN still offers the interface MSS), and UDP
/// and ICMP datagrams to it are fragmented at it. The entry expires after
/// ``PathMTUConfiguration/entryLifetime`` and the destination gets the interface MTU again.
extension NetworkStack {
  /// The MTU of the path to `destination`: the cached one, or the interface MTU.
  func pathMTU(to destination: IPv4Address) -> Int {
    pathMTUCache.mtu(for: destination, at: environment.now) ?? configuration.interface.mtu
  }

  /// The MSS the path to `destination` allows, or `Int.max` with nothing cached (the
  /// interface MSS then limits through the connection's negotiated MSS).
  func pathMSS(to destination: IPv4Address) -> Int {
    guard let mtu = pathMTUCache.mtu(for: destination, at: environment.now) else { return .max }
    return Self.mss(forMTU: mtu)
  }

  /// The TCP MSS of an MTU: minus IPv4 and TCP headers, at least 64.
  static func mss(forMTU mtu: Int) -> Int {
    Swift.max(mtu - IPv4Header.minimumLength - TCPHeader.minimumLength, 64)
  }

  /// The next-hop MTU an ICMP fragmentation needed reports for a quoted datagram: its MTU
  /// field, or for an old router that leaves it 0, the RFC 1191 plateau below the quoted
  /// datagram's length. `nil` when that is below the IPv4 minimum of 68 (RFC 1191 §3: such
  /// a message is bogus).
  static func nextHopMTU(_ mtu: Int, quotedLength: Int) -> Int? {
    let value = mtu != 0 ? mtu : PathMTUCache.plateau(below: quotedLength) ?? 0
    return value >= 68 ? value : nil
  }

  /// A validated fragmentation needed says the path to `destination` carries only `mtu`
  /// bytes: unless that is no decrease (RFC 1191 §6.3: increases are ignored), the cache
  /// entry is set (and its expiry restarted) and every connection to the destination shrinks.
  /// Returns whether the path MTU was lowered.
  @discardableResult
  func lowerPathMTU(to destination: IPv4Address, mtu: Int) -> Bool {
    guard mtu < pathMTU(to: destination) else { return false }
    let now = environment.now
    if let evicted = pathMTUCache.update(destination, mtu: mtu, at: now) {
      timers.cancel(.pathMTU(evicted))
      pathMTUEntryEnded(evicted)
    }
    timers.schedule(.pathMTU(destination), at: now + pathMTUCache.lifetime)
    environment.counters.pathMTUUpdates += 1
    applyPathMSS(Self.mss(forMTU: mtu), to: destination)
    return true
  }

  /// The cache entry's timer fired: the destination gets the interface MTU again.
  func pathMTUTimerFired(_ destination: IPv4Address) {
    pathMTUCache.remove(destination)
    pathMTUEntryEnded(destination)
  }

  /// A cache entry expired or was evicted: connections to its destination may grow again
  /// (as Linux's `tcp_current_mss` follows the route's MTU up).
  private func pathMTUEntryEnded(_ destination: IPv4Address) {
    environment.counters.pathMTUExpirations += 1
    applyPathMSS(.max, to: destination)
  }

  /// Sets the path MSS of every connection to `destination`. ICMP is rare, so walking the
  /// connection table here costs nothing in steady state.
  private func applyPathMSS(_ mss: Int, to destination: IPv4Address) {
    for (tuple, id) in connectionsByTuple where tuple.remoteAddress == destination {
      guard let connection = connection(id), connection.pathMSS != mss else { continue }
      connection.setPathMSS(mss)
      refresh(connection)
    }
  }
}
