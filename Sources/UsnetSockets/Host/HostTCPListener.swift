import UsnetDevice

/// A listening TCP socket on a kernel socket: the Host backend of ``TCPListenerProtocol``,
/// with Rust std's semantics on Linux: SO_REUSEADDR is set before binding (so a closed
/// listener's address can be bound again at once, while a second live listener still gets
/// `addrInUse`), and the default backlog is 128.
///
/// **Blocking and threading:** see ``TCPListenerProtocol``. Safe to share across threads;
/// blocking calls belong on your own threads, not on Swift concurrency's cooperative pool.
public final class HostTCPListener: CustomStringConvertible, TCPListenerProtocol {
  /// The backlog when ``bind(to:backlog:)`` is given none (std's historical 128).
  public static let defaultBacklog = 128

  let descriptor: HostDescriptor

  init(_ socket: KernelSocket) {
    descriptor = HostDescriptor(socket)
  }

  /// socket, SO_REUSEADDR, bind, listen.
  ///
  /// - Throws: `addrInUse`, `addrNotAvailable`, `permissionDenied`; `invalidInput` for a
  ///   negative backlog.
  public static func bind(
    to address: SocketAddress, backlog: Int?
  ) throws(NetError) -> HostTCPListener {
    let backlog = backlog ?? defaultBacklog
    guard backlog >= 0 else {
      throw NetError(.invalidInput, message: "the backlog \(backlog) is negative")
    }
    let listener: HostTCPListener
    do throws(DeviceError) {
      listener = HostTCPListener(try KernelSocket.open(family: address.family, kind: .stream))
    } catch {
      throw NetError(error)
    }
    try listener.descriptor.perform { socket throws(DeviceError) in
      try socket.setOption(.reuseAddress, 1)
      try socket.bind(to: address.kernel)
      try socket.listen(backlog: Int32(clamping: backlog))
    }
    return listener
  }

  /// accept4(2); see ``TCPListenerProtocol/accept()``.
  public func accept() throws(NetError) -> (stream: HostTCPStream, peer: SocketAddress) {
    let (socket, peer) = try descriptor.perform { socket throws(DeviceError) in
      try socket.accept()
    }
    let stream = HostTCPStream(socket)
    return (stream, try SocketAddress.from(peer, call: "accept4"))
  }

  /// getsockname(2).
  public var localAddress: SocketAddress {
    get throws(NetError) { try descriptor.localAddress }
  }

  /// A second handle (a duplicated descriptor) to the same listening socket.
  public func tryClone() throws(NetError) -> HostTCPListener {
    HostTCPListener(try descriptor.duplicate())
  }

  /// Sets IP_TTL.
  public func setTTL(_ ttl: UInt32) throws(NetError) {
    try descriptor.setCount(.timeToLive, ttl)
  }

  /// IP_TTL.
  public var ttl: UInt32 {
    get throws(NetError) { try descriptor.count(.timeToLive) }
  }

  /// Reads and clears SO_ERROR.
  public func takeError() throws(NetError) -> NetError? {
    try descriptor.takeError()
  }

  /// Sets or clears O_NONBLOCK.
  public func setNonblocking(_ nonblocking: Bool) throws(NetError) {
    try descriptor.setNonblocking(nonblocking)
  }

  /// Rust's `Debug` form, like `HostTCPListener { addr: 127.0.0.1:80, fd: 5 }`.
  public var description: String {
    descriptor.describe("HostTCPListener", withPeer: false)
  }

  /// Closes this handle; idempotent.
  public func close() {
    descriptor.close()
  }
}
