import UsnetStack
import UsnetWire

#if canImport(Glibc)
  import Glibc
#endif

/// Argument checks and conversions shared by the userspace socket types.
enum UserspaceSupport {
  /// Rejects a zero (or negative) timeout as Rust's `set_read_timeout` does.
  static func validateTimeout(_ timeout: Duration?) throws(NetError) {
    if let timeout, timeout <= .zero {
      throw NetError(.invalidInput, errno: EINVAL, message: "cannot set a 0 duration timeout")
    }
  }

  /// The IPv4 address and port of `address`.
  ///
  /// - Throws: `unsupported` for IPv6 (the stack is IPv4-only until the IPv6 issue).
  static func ipv4(_ address: SocketAddress) throws(NetError) -> (IPv4Address, UInt16) {
    guard case .v4(let ip, let port) = address else {
      throw NetError(
        .unsupported, errno: EAFNOSUPPORT,
        message: "IPv6 is not built yet in the userspace stack (\(address))")
    }
    return (ip, port)
  }

  /// The socket address of an IPv4 endpoint.
  static func address(_ ip: IPv4Address, _ port: UInt16) -> SocketAddress {
    .v4(ip, port: port)
  }

  /// The error for an option the stack does not honour per socket yet.
  static func unsupportedOption(_ what: String) -> NetError {
    NetError(
      .unsupported, errno: ENOPROTOOPT,
      message: "\(what) is not built yet in the userspace stack; it arrives with the "
        + "TCP-completeness issue")
  }

  /// A TTL as `IP_TTL` accepts it: 1 to 255, else EINVAL.
  static func checkedTTL(_ ttl: UInt32) throws(NetError) -> UInt8 {
    guard ttl != 0, ttl <= 255 else {
      throw NetError(.invalidInput, errno: EINVAL, message: "TTL \(ttl) is not in 1...255")
    }
    return UInt8(ttl)
  }

  /// The error of a call on a closed handle (EBADF), as the kernel gives for a closed fd.
  static let closedHandle = NetError(errno: EBADF, message: "the socket handle is closed")
}
