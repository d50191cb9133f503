// Unsafe sites in this file: 2 (6 `unsafe` marks: each hands a buffer pointer to C and needs
// one on the `withUnsafe…BufferPointer` call, one on the C call and one on the pointer offset).
// Each passes a Swift array to C together with its exact, bounds-checked length; C keeps no
// pointer after it returns.
//   1. `receive(into:range:peek:)`: usnet_sock_receive writes at most `range.count` bytes at
//      `range.lowerBound` of the caller's array (range checked against the array first).
//   2. `send(_:range:to:)`: usnet_sock_send reads `range.count` bytes at `range.lowerBound`
//      of the caller's array (range checked against the array first).
// Everything else calls C functions that take and return integers and integer structs only.

import CUsnetDevice

/// A kernel socket: thin typed wrappers over socket(2) and friends for the Host backend of
/// UsnetSockets. Every failure is a ``DeviceError`` with the call's name and its errno;
/// `EINTR` is retried inside (an interrupted connect is waited out); sends never raise SIGPIPE
/// (`MSG_NOSIGNAL`); every descriptor is close-on-exec.
///
/// A plain value holding the descriptor number: it owns nothing. The caller closes it exactly
/// once with ``close()`` and must not use the value afterwards (the number may be reused).
/// **Blocking:** `accept`, `connect`, `receive` and `send` block as the kernel does for the
/// descriptor's mode and timeouts; nothing else blocks. **Threading:** the kernel makes
/// concurrent calls on one descriptor safe; the value is `Sendable`.
public struct KernelSocket: Hashable, Sendable {
  /// The socket type.
  public enum Kind: Sendable {
    /// SOCK_STREAM (TCP).
    case stream
    /// SOCK_DGRAM (UDP).
    case datagram
  }

  /// The integer socket options.
  public enum Option: Sendable {
    /// SO_REUSEADDR.
    case reuseAddress
    /// TCP_NODELAY.
    case noDelay
    /// IP_TTL.
    case timeToLive
    /// SO_KEEPALIVE.
    case keepAlive
    /// SO_BROADCAST.
    case broadcast
    /// SO_ERROR (read-only; reading clears it).
    case error
    /// IP_MULTICAST_LOOP.
    case multicastLoopV4
    /// IP_MULTICAST_TTL.
    case multicastTTLV4
    /// IPV6_MULTICAST_LOOP.
    case multicastLoopV6
    /// IPV6_V6ONLY.
    case v6Only
    /// TCP_USER_TIMEOUT, in milliseconds (0: off).
    case userTimeout

    var raw: Int32 {
      switch self {
      case .reuseAddress: Int32(USNET_OPT_REUSEADDR)
      case .noDelay: Int32(USNET_OPT_NODELAY)
      case .timeToLive: Int32(USNET_OPT_TTL)
      case .keepAlive: Int32(USNET_OPT_KEEPALIVE)
      case .broadcast: Int32(USNET_OPT_BROADCAST)
      case .error: Int32(USNET_OPT_ERROR)
      case .multicastLoopV4: Int32(USNET_OPT_MULTICAST_LOOP_V4)
      case .multicastTTLV4: Int32(USNET_OPT_MULTICAST_TTL_V4)
      case .multicastLoopV6: Int32(USNET_OPT_MULTICAST_LOOP_V6)
      case .v6Only: Int32(USNET_OPT_V6ONLY)
      case .userTimeout: Int32(USNET_OPT_USER_TIMEOUT)
      }
    }
  }

  /// Which timeout: SO_RCVTIMEO or SO_SNDTIMEO.
  public enum TimeoutDirection: Sendable {
    /// SO_RCVTIMEO.
    case receive
    /// SO_SNDTIMEO.
    case send
  }

  /// Which directions ``shutdown(_:)`` closes.
  public enum ShutdownDirection: Int32, Sendable {
    /// SHUT_RD.
    case read = 0
    /// SHUT_WR.
    case write = 1
    /// SHUT_RDWR.
    case both = 2
  }

  /// The file descriptor.
  public let descriptor: Int32

  /// Wraps an open descriptor.
  public init(descriptor: Int32) {
    self.descriptor = descriptor
  }

  /// socket(2) for `family` (4 or 6) and `kind`, close-on-exec.
  public static func open(family: Int32, kind: Kind) throws(DeviceError) -> KernelSocket {
    let type = kind == .stream ? USNET_SOCK_STREAM : USNET_SOCK_DGRAM
    let result = usnet_sock_open(family, type)
    guard result >= 0 else { throw DeviceError(call: "socket", errno: -result) }
    return KernelSocket(descriptor: result)
  }

  /// bind(2).
  public func bind(to address: KernelSocketAddress) throws(DeviceError) {
    try check("bind", usnet_sock_bind(descriptor, address.raw))
  }

  /// listen(2).
  public func listen(backlog: Int32) throws(DeviceError) {
    try check("listen", usnet_sock_listen(descriptor, backlog))
  }

  /// accept4(2): the new socket (close-on-exec) and the peer's address.
  public func accept() throws(DeviceError) -> (socket: KernelSocket, peer: KernelSocketAddress?) {
    let result = usnet_sock_accept(descriptor)
    guard result.value >= 0 else {
      throw DeviceError(call: "accept4", errno: Int32(truncatingIfNeeded: -result.value))
    }
    let socket = KernelSocket(descriptor: Int32(truncatingIfNeeded: result.value))
    return (socket, KernelSocketAddress(result.address))
  }

  /// connect(2); with a `timeout`, a nonblocking connect and poll(2) for at most that long
  /// (ETIMEDOUT after it; the descriptor's flags are restored). Durations beyond the range of
  /// the clock saturate.
  public func connect(to address: KernelSocketAddress, timeout: Duration?) throws(DeviceError) {
    var nanoseconds: Int64 = -1
    if let timeout {
      let (seconds, attoseconds) = timeout.components
      if seconds >= Int64.max / 1_000_000_000 {
        nanoseconds = Int64.max
      } else {
        nanoseconds = max(0, seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
      }
    }
    try check("connect", usnet_sock_connect(descriptor, address.raw, nanoseconds))
  }

  /// recvfrom(2) into `buffer[range]`, with MSG_PEEK when `peek`: the count and the sender
  /// (nil on a connected stream).
  public func receive(
    into buffer: inout [UInt8], range: Range<Int>, peek: Bool
  ) throws(DeviceError) -> (count: Int, sender: KernelSocketAddress?) {
    guard range.lowerBound >= 0, range.upperBound <= buffer.count else {
      throw DeviceError(
        call: "recvfrom", errno: DeviceError.invalidArgument,
        detail: "range \(range) outside a buffer of \(buffer.count) bytes")
    }
    let descriptor = descriptor
    let result = unsafe buffer.withUnsafeMutableBufferPointer { bytes in
      unsafe usnet_sock_receive(
        descriptor, bytes.baseAddress.map { unsafe $0 + range.lowerBound }, Int64(range.count),
        peek ? 1 : 0)
    }
    guard result.value >= 0 else {
      throw DeviceError(call: "recvfrom", errno: Int32(truncatingIfNeeded: -result.value))
    }
    return (Int(result.value), KernelSocketAddress(result.address))
  }

  /// sendto(2) of `bytes[range]` with MSG_NOSIGNAL, to `address` (nil: the connected peer).
  public func send(
    _ bytes: [UInt8], range: Range<Int>, to address: KernelSocketAddress?
  ) throws(DeviceError) -> Int {
    guard range.lowerBound >= 0, range.upperBound <= bytes.count else {
      throw DeviceError(
        call: "sendto", errno: DeviceError.invalidArgument,
        detail: "range \(range) outside a buffer of \(bytes.count) bytes")
    }
    let descriptor = descriptor
    let destination = address?.raw ?? KernelSocketAddress.none
    let result = unsafe bytes.withUnsafeBufferPointer { buffer in
      unsafe usnet_sock_send(
        descriptor, buffer.baseAddress.map { unsafe $0 + range.lowerBound }, Int64(range.count),
        destination)
    }
    guard result >= 0 else {
      throw DeviceError(call: "sendto", errno: Int32(truncatingIfNeeded: -result))
    }
    return Int(result)
  }

  /// shutdown(2).
  public func shutdown(_ direction: ShutdownDirection) throws(DeviceError) {
    try check("shutdown", usnet_sock_shutdown(descriptor, direction.rawValue))
  }

  /// getsockname(2); nil for a family other than IPv4/IPv6.
  public func localAddress() throws(DeviceError) -> KernelSocketAddress? {
    try name(peer: false)
  }

  /// getpeername(2); nil for a family other than IPv4/IPv6.
  public func peerAddress() throws(DeviceError) -> KernelSocketAddress? {
    try name(peer: true)
  }

  private func name(peer: Bool) throws(DeviceError) -> KernelSocketAddress? {
    let result = usnet_sock_name(descriptor, peer ? 1 : 0)
    guard result.value >= 0 else {
      throw DeviceError(
        call: peer ? "getpeername" : "getsockname",
        errno: Int32(truncatingIfNeeded: -result.value))
    }
    return KernelSocketAddress(result.address)
  }

  /// setsockopt(2) of an integer option.
  public func setOption(_ option: Option, _ value: Int32) throws(DeviceError) {
    try check("setsockopt(\(option))", usnet_sock_set_int(descriptor, option.raw, value))
  }

  /// getsockopt(2) of an integer option.
  public func option(_ option: Option) throws(DeviceError) -> Int32 {
    let result = usnet_sock_get_int(descriptor, option.raw)
    guard result.error == 0 else {
      throw DeviceError(call: "getsockopt(\(option))", errno: result.error)
    }
    return Int32(truncatingIfNeeded: result.value)
  }

  /// Sets SO_RCVTIMEO or SO_SNDTIMEO to `microseconds` (0: none).
  public func setTimeout(_ direction: TimeoutDirection, microseconds: Int64) throws(DeviceError) {
    let which = direction == .receive ? USNET_TIMEOUT_RECEIVE : USNET_TIMEOUT_SEND
    let seconds = microseconds / 1_000_000
    let rest = microseconds % 1_000_000
    try check(
      "setsockopt(\(direction) timeout)",
      usnet_sock_set_timeout(descriptor, which, seconds, rest))
  }

  /// SO_RCVTIMEO or SO_SNDTIMEO in microseconds (0: none).
  public func timeout(_ direction: TimeoutDirection) throws(DeviceError) -> Int64 {
    let which = direction == .receive ? USNET_TIMEOUT_RECEIVE : USNET_TIMEOUT_SEND
    let result = usnet_sock_get_timeout(descriptor, which)
    guard result.error == 0 else {
      throw DeviceError(call: "getsockopt(\(direction) timeout)", errno: result.error)
    }
    return result.value
  }

  /// SO_LINGER: on with `seconds`, or off for nil.
  public func setLinger(seconds: Int32?) throws(DeviceError) {
    try check(
      "setsockopt(SO_LINGER)",
      usnet_sock_set_linger(descriptor, seconds == nil ? 0 : 1, seconds ?? 0))
  }

  /// SO_LINGER: the seconds when on, nil when off.
  public func linger() throws(DeviceError) -> Int32? {
    let result = usnet_sock_get_linger(descriptor)
    guard result.error == 0 else {
      throw DeviceError(call: "getsockopt(SO_LINGER)", errno: result.error)
    }
    return result.value < 0 ? nil : Int32(truncatingIfNeeded: result.value)
  }

  /// IP_ADD_MEMBERSHIP (`join`) or IP_DROP_MEMBERSHIP.
  public func multicastV4(join: Bool, group: UInt32, interface: UInt32) throws(DeviceError) {
    try check(
      join ? "setsockopt(IP_ADD_MEMBERSHIP)" : "setsockopt(IP_DROP_MEMBERSHIP)",
      usnet_sock_multicast_v4(descriptor, join ? 1 : 0, group, interface))
  }

  /// IPV6_ADD_MEMBERSHIP (`join`) or IPV6_DROP_MEMBERSHIP.
  public func multicastV6(
    join: Bool, high: UInt64, low: UInt64, interface: UInt32
  ) throws(DeviceError) {
    try check(
      join ? "setsockopt(IPV6_ADD_MEMBERSHIP)" : "setsockopt(IPV6_DROP_MEMBERSHIP)",
      usnet_sock_multicast_v6(descriptor, join ? 1 : 0, high, low, interface))
  }

  /// Sets or clears O_NONBLOCK (on the open file, so every duplicate sees it).
  public func setNonblocking(_ nonblocking: Bool) throws(DeviceError) {
    try check("fcntl(O_NONBLOCK)", usnet_fd_set_nonblocking(descriptor, nonblocking ? 1 : 0))
  }

  /// fcntl(F_DUPFD_CLOEXEC): a second descriptor for the same socket.
  public func duplicate() throws(DeviceError) -> KernelSocket {
    let result = usnet_fd_duplicate(descriptor)
    guard result >= 0 else { throw DeviceError(call: "fcntl(F_DUPFD_CLOEXEC)", errno: -result) }
    return KernelSocket(descriptor: result)
  }

  /// close(2) (EINTR counts as closed, as on Linux).
  public func close() throws(DeviceError) {
    try check("close", usnet_fd_close(descriptor))
  }

  private func check(_ call: String, _ result: Int32) throws(DeviceError) {
    guard result >= 0 else { throw DeviceError(call: call, errno: -result) }
  }
}
