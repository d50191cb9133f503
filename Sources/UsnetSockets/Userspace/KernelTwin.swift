import UsnetDevice
import UsnetWire

/// The rules of the kernel loopback twin (see ``UserspaceRuntime``): which addresses go to
/// the kernel, and the kernel half of a userspace listener.
enum KernelTwin {
  /// Whether a connect to `address` on `runtime` goes through the kernel: a loopback
  /// address, the unspecified address or one of the stack's own addresses, while the twin is
  /// on.
  static func routesToKernel(_ address: SocketAddress, on runtime: UserspaceRuntime) -> Bool {
    guard runtime.usesKernelTwin else { return false }
    switch address {
    case .v4(let ip, _):
      return ip.isLoopback || ip.isUnspecified
        || runtime.interface.addresses.contains { $0.address == ip }
    case .v6(let ip, _):
      return ip.isLoopback || ip.isUnspecified
    }
  }

  /// Whether a socket bound to `address` on `runtime` lives on the kernel only (a loopback
  /// address, while the twin is on).
  static func bindsKernelOnly(_ address: SocketAddress, on runtime: UserspaceRuntime) -> Bool {
    runtime.usesKernelTwin && address.isLoopback
  }

  /// The kernel address that twins a userspace bind of `ip:port`: `127.0.0.1` for `0.0.0.0`,
  /// otherwise `ip` itself.
  static func twinAddress(of ip: IPv4Address, port: UInt16) -> SocketAddress {
    .v4(ip.isUnspecified ? IPv4Address(127, 0, 0, 1) : ip, port: port)
  }

  /// Binds the nonblocking kernel listener that twins a userspace bind of `ip:port`, or nil
  /// when the kernel does not own that address (`EADDRNOTAVAIL`: the stack's address is its
  /// own, and no local program can reach it through the kernel). Does not block.
  ///
  /// - Throws: `addrInUse` when a kernel program holds the port, or another bind error.
  static func bindListener(
    ip: IPv4Address, port: UInt16, backlog: Int
  ) throws(NetError) -> HostTCPListener? {
    let listener: HostTCPListener
    do throws(NetError) {
      listener = try HostTCPListener.bind(to: twinAddress(of: ip, port: port), backlog: backlog)
    } catch {
      if error.kind == .addrNotAvailable { return nil }
      throw error
    }
    try listener.setNonblocking(true)
    return listener
  }

  /// A kernel socket's description under the userspace type's name: Rust's `Debug` shape,
  /// like `UserspaceTCPStream { addr: 127.0.0.1:80, peer: 127.0.0.1:41000, fd: 7 }`.
  static func describe(_ kernel: some CustomStringConvertible, as typeName: String) -> String {
    let text = kernel.description
    guard let brace = text.firstIndex(of: "{") else { return "\(typeName) { \(text) }" }
    return typeName + " " + text[brace...]
  }
}
