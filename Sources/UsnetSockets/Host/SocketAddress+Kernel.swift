import UsnetDevice
import UsnetWire

extension SocketAddress {
  /// The kernel form.
  var kernel: KernelSocketAddress {
    switch self {
    case .v4(let address, let port): .v4(address: address.rawValue, port: port)
    case .v6(let address, let port):
      .v6(high: address.high, low: address.low, port: port, scopeID: 0)
    }
  }

  /// The address family for socket(2): 4 or 6.
  var family: Int32 { isIPv4 ? 4 : 6 }

  /// The address of a kernel address (the scope id is dropped until SocketAddress has one).
  init(_ kernel: KernelSocketAddress) {
    switch kernel {
    case .v4(let address, let port): self = .v4(IPv4Address(rawValue: address), port: port)
    case .v6(let high, let low, let port, _):
      self = .v6(IPv6Address(high: high, low: low), port: port)
    }
  }

  /// The address of a kernel address that may be missing (a family other than IPv4/IPv6).
  static func from(_ kernel: KernelSocketAddress?, call: String) throws(NetError) -> Self {
    guard let kernel else {
      throw NetError(.other, message: "\(call): the address is neither IPv4 nor IPv6")
    }
    return SocketAddress(kernel)
  }
}
