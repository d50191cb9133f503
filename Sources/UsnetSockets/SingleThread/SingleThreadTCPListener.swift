/// A listening TCP socket on a ``SingleThreadRuntime`` (the `Single` trait's backend), with
/// kernel-socket semantics: see ``TCPListenerProtocol`` for the contract.
///
/// It is a ``UserspaceTCPListener`` bound to a runtime without an engine thread. Handshakes
/// complete only while the runtime is driven: a blocked ``accept()`` drives it; a
/// nonblocking one advances it once per call.
///
/// **Threading.** Meant for the thread that drives its runtime; `Sendable` and memory-safe
/// from several threads all the same (see ``SingleThreadRuntime``).
public final class SingleThreadTCPListener: CustomStringConvertible, TCPListenerProtocol {
  /// The userspace listener this handle wraps.
  let base: UserspaceTCPListener

  init(_ base: UserspaceTCPListener) {
    self.base = base
  }

  /// Binds `address` on `runtime` and listens; port 0 picks a free port. Does not block.
  ///
  /// - Throws: as ``UserspaceTCPListener/bind(to:backlog:on:)``.
  public static func bind(
    to address: SocketAddress, backlog: Int? = nil, on runtime: SingleThreadRuntime
  ) throws(NetError) -> SingleThreadTCPListener {
    SingleThreadTCPListener(
      try UserspaceTCPListener.bind(to: address, backlog: backlog, on: runtime.base))
  }

  /// Binds `address` on the default runtime (``SingleThreadRuntime/setDefault(_:)``).
  ///
  /// - Throws: `invalidInput` when no default runtime is set and the environment has no valid
  ///   `USNET_SOCKETS`, or what the bind throws.
  public static func bind(
    to address: SocketAddress, backlog: Int?
  ) throws(NetError) -> SingleThreadTCPListener {
    try bind(to: address, backlog: backlog, on: SingleThreadRuntime.requireDefault())
  }

  /// Waits for the next connection, advancing the stack. Blocks unless nonblocking.
  public func accept() throws(NetError) -> (stream: SingleThreadTCPStream, peer: SocketAddress) {
    let (stream, peer) = try base.accept()
    return (SingleThreadTCPStream(stream), peer)
  }

  /// The bound address, with the chosen port.
  public var localAddress: SocketAddress {
    get throws(NetError) { try base.localAddress }
  }

  /// A second handle to the same listener.
  public func tryClone() throws(NetError) -> SingleThreadTCPListener {
    SingleThreadTCPListener(try base.tryClone())
  }

  /// Sets the IPv4 TTL of the connections it accepts (1 to 255).
  public func setTTL(_ ttl: UInt32) throws(NetError) {
    try base.setTTL(ttl)
  }

  /// The IPv4 TTL of the connections it accepts.
  public var ttl: UInt32 {
    get throws(NetError) { try base.ttl }
  }

  /// Always nil: a listener has no asynchronous errors in this stack.
  public func takeError() throws(NetError) -> NetError? {
    try base.takeError()
  }

  /// Turns nonblocking mode on or off for every handle.
  public func setNonblocking(_ nonblocking: Bool) throws(NetError) {
    try base.setNonblocking(nonblocking)
  }

  /// Rust's `Debug` form, like
  /// `SingleThreadTCPListener { addr: 198.18.0.1:80, socket: listener#0.1 }`.
  public var description: String {
    SingleThreadNames.rename(base.description)
  }

  /// Releases this handle; the port is released when the last handle goes.
  public func close() {
    base.close()
  }
}
