/// RFC 6528 initial sequence numbers:
/// ISN = M + F(localIP, localPort, remoteIP, remotePort, secret), M a 4 µs clock.
///
/// `F` is SipHash-2-4 keyed with a 128-bit secret drawn once at creation, folded to 32 bits. An
/// off-path attacker who cannot learn the secret cannot predict the ISN of a connection, while a
/// given 4-tuple still sees ISNs that advance with the clock (about 1 per 4 µs, a full wrap every
/// ~4.77 hours), which keeps segments of an old incarnation of the same connection out of the
/// new one's window. An immutable value; safe to share.
public struct InitialSequenceNumbers: Sendable {
  private let hasher: SipHash24

  /// Creates a generator whose 128-bit secret is drawn from `random`.
  public init<R: RandomNumberGenerator>(using random: inout R) {
    let key0 = random.next()
    let key1 = random.next()
    hasher = SipHash24(key0: key0, key1: key1)
  }

  /// The initial sequence number for a new connection on the given 4-tuple at `now`.
  ///
  /// Addresses and ports are plain numbers in host order (any fixed convention works as long as
  /// it is consistent).
  public func next(
    localAddress: UInt32, localPort: UInt16, remoteAddress: UInt32, remotePort: UInt16,
    at now: Instant
  ) -> UInt32 {
    // Floor division so the clock stays monotonic across a negative origin as well.
    var ticks = now.nanoseconds / 4_000
    if now.nanoseconds % 4_000 < 0 { ticks -= 1 }
    let clock = UInt32(truncatingIfNeeded: ticks)
    let addresses = UInt64(localAddress) << 32 | UInt64(remoteAddress)
    let ports = UInt64(localPort) << 16 | UInt64(remotePort)
    let digest = hasher.hash(addresses, ports)
    return clock &+ UInt32(truncatingIfNeeded: digest ^ (digest >> 32))
  }

  /// The offset added to the millisecond clock for the TCP timestamps of connections between
  /// two addresses (Linux's `tsoffset`), so TSval does not reveal the host's uptime. Keyed on
  /// the addresses only, as Linux does, so successive connections to a host see one clock.
  func timestampOffset(localAddress: UInt32, remoteAddress: UInt32) -> UInt32 {
    // The high bits set keep the input apart from any ISN input (ports fill 32 bits).
    let digest = hasher.hash(
      UInt64(localAddress) << 32 | UInt64(remoteAddress), 0x7473_6F66_0000_0000)
    return UInt32(truncatingIfNeeded: digest ^ (digest >> 32))
  }
}
