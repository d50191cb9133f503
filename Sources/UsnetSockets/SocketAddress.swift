import UsnetWire

/// An IP address and a port: the address of a TCP or UDP endpoint (Rust's `SocketAddr`).
///
/// The text forms are `a.b.c.d:port` and `[v6]:port`, parsed strictly (no host names, no
/// spaces, no zone ids yet) and printed the same way, so `SocketAddress(address.description)`
/// gives `address` back.
public enum SocketAddress: Hashable, Sendable, CustomStringConvertible,
  LosslessStringConvertible
{
  /// An IPv4 endpoint.
  case v4(IPv4Address, port: UInt16)
  /// An IPv6 endpoint.
  case v6(IPv6Address, port: UInt16)

  /// Parses `"1.2.3.4:80"` or `"[::1]:80"`.
  ///
  /// The address part follows ``IPv4Address/init(_:)`` and ``IPv6Address/init(_:)``. The port
  /// is one or more decimal digits with a value of at most 65535 (leading zeros are accepted,
  /// as Rust's `SocketAddr` parser accepts them). An IPv6 address needs its brackets.
  public init?(_ string: String) {
    let bytes = Array(string.utf8)
    guard let colon = bytes.lastIndex(of: UInt8(ascii: ":")),
      let port = parsePort(bytes[(colon + 1)...])
    else { return nil }
    let host = bytes[..<colon]
    if host.first == UInt8(ascii: "[") {
      guard host.count >= 2, host.last == UInt8(ascii: "]"),
        let address = IPv6Address(String(decoding: host.dropFirst().dropLast(), as: UTF8.self))
      else { return nil }
      self = .v6(address, port: port)
    } else {
      guard let address = IPv4Address(String(decoding: host, as: UTF8.self)) else { return nil }
      self = .v4(address, port: port)
    }
  }

  /// The port.
  public var port: UInt16 {
    switch self {
    case .v4(_, let port), .v6(_, let port): port
    }
  }

  /// The same address with another port.
  public func withPort(_ port: UInt16) -> SocketAddress {
    switch self {
    case .v4(let address, _): .v4(address, port: port)
    case .v6(let address, _): .v6(address, port: port)
    }
  }

  /// True for an IPv4 endpoint.
  public var isIPv4: Bool {
    if case .v4 = self { return true }
    return false
  }

  /// True for an IPv6 endpoint.
  public var isIPv6: Bool { !isIPv4 }

  /// The IPv4 address, or nil for an IPv6 endpoint.
  public var ipv4Address: IPv4Address? {
    if case .v4(let address, _) = self { return address }
    return nil
  }

  /// The IPv6 address, or nil for an IPv4 endpoint.
  public var ipv6Address: IPv6Address? {
    if case .v6(let address, _) = self { return address }
    return nil
  }

  /// True when the address is 0.0.0.0 or `::`.
  public var isUnspecified: Bool {
    switch self {
    case .v4(let address, _): address.isUnspecified
    case .v6(let address, _): address.isUnspecified
    }
  }

  /// True when the address is in 127.0.0.0/8 or is `::1`.
  public var isLoopback: Bool {
    switch self {
    case .v4(let address, _): address.isLoopback
    case .v6(let address, _): address.isLoopback
    }
  }

  /// `1.2.3.4:80` or `[::1]:80`.
  public var description: String {
    switch self {
    case .v4(let address, let port): "\(address):\(port)"
    case .v6(let address, let port): "[\(address)]:\(port)"
    }
  }
}

/// One or more decimal digits worth at most 65535.
private func parsePort(_ bytes: ArraySlice<UInt8>) -> UInt16? {
  guard !bytes.isEmpty else { return nil }
  var value = 0
  for byte in bytes {
    guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
    value = value * 10 + Int(byte - UInt8(ascii: "0"))
    guard value <= 65535 else { return nil }
  }
  return UInt16(value)
}
