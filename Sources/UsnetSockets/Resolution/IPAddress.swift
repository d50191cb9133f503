import UsnetWire

/// An IPv4 or IPv6 address (Rust's `IpAddr`): what name resolution yields before a port is
/// attached.
public enum IPAddress: Hashable, Sendable, CustomStringConvertible, LosslessStringConvertible {
  /// An IPv4 address.
  case v4(IPv4Address)
  /// An IPv6 address.
  case v6(IPv6Address)

  /// Parses a strict dotted quad (``IPv4Address/init(_:)``) or an RFC 4291 text form
  /// (``IPv6Address/init(_:)``), without brackets.
  public init?(_ string: String) {
    if let address = IPv4Address(string) {
      self = .v4(address)
    } else if let address = IPv6Address(string) {
      self = .v6(address)
    } else {
      return nil
    }
  }

  /// True for an IPv6 address.
  public var isIPv6: Bool {
    if case .v6 = self { return true }
    return false
  }

  /// The endpoint of this address and `port`.
  public func socketAddress(port: UInt16) -> SocketAddress {
    switch self {
    case .v4(let address): .v4(address, port: port)
    case .v6(let address): .v6(address, port: port)
    }
  }

  /// Dotted quad or RFC 5952 form, without brackets.
  public var description: String {
    switch self {
    case .v4(let address): address.description
    case .v6(let address): address.description
    }
  }
}

extension SocketAddress {
  /// The address without the port.
  public var ipAddress: IPAddress {
    switch self {
    case .v4(let address, _): .v4(address)
    case .v6(let address, _): .v6(address)
    }
  }
}
