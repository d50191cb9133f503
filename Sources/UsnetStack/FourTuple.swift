import UsnetWire

/// A TCP or UDP flow as seen from this stack: local and remote address and port.
public struct FourTuple: Hashable, Sendable, CustomStringConvertible {
  /// Our address.
  public var localAddress: IPv4Address
  /// Our port.
  public var localPort: UInt16
  /// The peer's address.
  public var remoteAddress: IPv4Address
  /// The peer's port.
  public var remotePort: UInt16

  /// Creates a tuple.
  public init(
    localAddress: IPv4Address, localPort: UInt16, remoteAddress: IPv4Address, remotePort: UInt16
  ) {
    self.localAddress = localAddress
    self.localPort = localPort
    self.remoteAddress = remoteAddress
    self.remotePort = remotePort
  }

  /// `local:port -> remote:port`.
  public var description: String {
    "\(localAddress):\(localPort) -> \(remoteAddress):\(remotePort)"
  }

  /// One hash input combining all four fields, cheaper to hash than four separate values.
  public func hash(into hasher: inout Hasher) {
    hasher.combine(UInt64(localAddress.rawValue) << 32 | UInt64(remoteAddress.rawValue))
    hasher.combine(UInt32(localPort) << 16 | UInt32(remotePort))
  }
}
