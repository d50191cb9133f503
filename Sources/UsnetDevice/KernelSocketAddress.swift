import CUsnetDevice

/// An IPv4 or IPv6 socket address in the kernel's terms, as plain integers (UsnetDevice does
/// not depend on UsnetWire; UsnetSockets converts to and from its `SocketAddress`).
public enum KernelSocketAddress: Hashable, Sendable {
  /// An IPv4 address (a.b.c.d as `a << 24 | b << 16 | c << 8 | d`) and a port.
  case v4(address: UInt32, port: UInt16)
  /// An IPv6 address (first octet in the top bits of `high`), a port and a scope id.
  case v6(high: UInt64, low: UInt64, port: UInt16, scopeID: UInt32)

  /// 4 or 6.
  public var family: Int32 {
    switch self {
    case .v4: 4
    case .v6: 6
    }
  }

  /// The C form.
  var raw: usnet_sockaddr {
    switch self {
    case .v4(let address, let port):
      usnet_sockaddr(family: 4, v4: address, v6_high: 0, v6_low: 0, port: port, scope_id: 0)
    case .v6(let high, let low, let port, let scopeID):
      usnet_sockaddr(
        family: 6, v4: 0, v6_high: high, v6_low: low, port: port, scope_id: scopeID)
    }
  }

  /// No address: the destination of a send on a connected socket.
  static let none = usnet_sockaddr(
    family: 0, v4: 0, v6_high: 0, v6_low: 0, port: 0, scope_id: 0)

  /// The Swift form of a C address; nil for family 0 (none, or a family other than IPv4/6).
  init?(_ raw: usnet_sockaddr) {
    switch raw.family {
    case 4: self = .v4(address: raw.v4, port: raw.port)
    case 6: self = .v6(high: raw.v6_high, low: raw.v6_low, port: raw.port, scopeID: raw.scope_id)
    default: return nil
    }
  }
}
