/// A listening TCP socket with kernel-socket semantics (Rust's `std::net::TcpListener`), the
/// contract every usnet backend implements identically.
///
/// **Blocking.** ``accept()`` blocks the calling thread until a connection is there, unless
/// nonblocking mode is on (then it throws `wouldBlock`). `EINTR` is retried inside. Make
/// blocking calls from your own threads, never from Swift concurrency's cooperative pool.
///
/// **Threading.** Conforming types are `Sendable` classes, safe to share across threads;
/// several threads (or clones from ``tryClone()``) may block in `accept` at once, and each
/// connection goes to exactly one of them, in the order the connections were established.
///
/// **Lifetime.** ``close()`` releases this handle (idempotent); deinitialising closes it too.
/// The port is released when the last handle is closed.
public protocol TCPListenerProtocol: AnyObject, Sendable {
  /// The stream type ``accept()`` returns.
  associatedtype Stream: TCPStreamProtocol

  /// Binds `address` and listens. Port 0 picks a free port (read it back from
  /// ``localAddress``). `backlog` is the accept queue length; nil takes the backend's default
  /// (128 for Host, as Rust uses; SOCKET_BACKLOG for userspace). The address may be bound
  /// again as soon as the listener is closed (SO_REUSEADDR, as std sets it), but never twice
  /// at once.
  ///
  /// - Throws: `addrInUse`, `addrNotAvailable` (an address that is not local),
  ///   `permissionDenied` (a privileged port), `invalidInput` …
  static func bind(to address: SocketAddress, backlog: Int?) throws(NetError) -> Self

  /// Waits for the next connection and returns it with the peer's address.
  ///
  /// - Throws: `wouldBlock` in nonblocking mode; `connectionAborted` for a connection that
  ///   failed before it was accepted (keep accepting); others.
  func accept() throws(NetError) -> (stream: Stream, peer: SocketAddress)

  /// The bound address (with the real port when bound to port 0).
  var localAddress: SocketAddress { get throws(NetError) }

  /// A second handle to the same listening socket.
  func tryClone() throws(NetError) -> Self

  /// Sets the IPv4 time-to-live of packets sent by accepted connections (IP_TTL).
  func setTTL(_ ttl: UInt32) throws(NetError)
  /// The IPv4 time-to-live.
  var ttl: UInt32 { get throws(NetError) }

  /// Returns and clears the pending socket error (SO_ERROR), nil when there is none.
  func takeError() throws(NetError) -> NetError?

  /// Turns nonblocking mode on or off (``accept()`` then throws `wouldBlock` when no
  /// connection is queued).
  func setNonblocking(_ nonblocking: Bool) throws(NetError)

  /// Closes this handle. Idempotent; later calls on it fail (EBADF). A thread blocked in
  /// ``accept()`` on this handle is not interrupted.
  func close()
}

extension TCPListenerProtocol {
  /// Binds `address` with the backend's default backlog (Rust's `TcpListener::bind`).
  public static func bind(to address: SocketAddress) throws(NetError) -> Self {
    try bind(to: address, backlog: nil)
  }

  /// The accepted connections, without their peer addresses (Rust's `incoming()`): an
  /// endless sequence; a failed accept is a `.failure` element and iteration goes on.
  public var incoming: IncomingStreams<Self> { IncomingStreams(listener: self) }
}
