import Synchronization
import UsnetStack

/// A listening TCP socket on a userspace stack (a ``UserspaceRuntime``), with kernel-socket
/// semantics: see ``TCPListenerProtocol`` for the contract.
///
/// **Blocking.** ``accept()`` blocks the calling thread on this listener's own waiter until
/// a connection is established (or throws `wouldBlock` in nonblocking mode). Connections are
/// handed out in the order they were established, each to exactly one caller.
///
/// **Threading.** `Sendable`; any number of threads may accept on one handle or its clones.
///
/// **Options.** ``setTTL(_:)`` sets the TTL that accepted connections start with.
public final class UserspaceTCPListener: CustomStringConvertible, TCPListenerProtocol {
  /// The default accept-queue length when `bind` is given none (Linux's and Rust's 128;
  /// SOCKET_BACKLOG configures it once configuration is built).
  public static let defaultBacklog = 128

  private let handle: Mutex<TCPListenerCore?>

  init(core: TCPListenerCore) {
    handle = Mutex(core)
  }

  /// Binds `address` on `runtime` and listens; port 0 picks a free port. Does not block.
  ///
  /// - Throws: `addrInUse`, `addrNotAvailable` (not one of the runtime's addresses),
  ///   `unsupported` for IPv6.
  public static func bind(
    to address: SocketAddress, backlog: Int? = nil, on runtime: UserspaceRuntime
  ) throws(NetError) -> UserspaceTCPListener {
    let (ip, port) = try UserspaceSupport.ipv4(address)
    let core = try TCPListenerCore.listen(
      on: ip, port: port, backlog: backlog ?? defaultBacklog, runtime: runtime)
    return UserspaceTCPListener(core: core)
  }

  /// Binds `address` on the default runtime (``UserspaceRuntime/setDefault(_:)``).
  ///
  /// - Throws: `unsupported` when no default runtime is set, or what the bind throws.
  public static func bind(
    to address: SocketAddress, backlog: Int?
  ) throws(NetError) -> UserspaceTCPListener {
    try bind(to: address, backlog: backlog, on: UserspaceRuntime.requireDefault())
  }

  private func live() throws(NetError) -> TCPListenerCore {
    guard let core = handle.withLock({ $0 }) else { throw UserspaceSupport.closedHandle }
    return core
  }

  /// Waits for the next connection. Blocks unless nonblocking.
  public func accept() throws(NetError) -> (stream: UserspaceTCPStream, peer: SocketAddress) {
    try live().accept()
  }

  /// The bound address, with the chosen port.
  public var localAddress: SocketAddress {
    get throws(NetError) { try live().localAddress }
  }

  /// A second handle to the same listener.
  public func tryClone() throws(NetError) -> UserspaceTCPListener {
    UserspaceTCPListener(core: try live())
  }

  /// Sets the IPv4 TTL of the connections it accepts (they inherit it) (`IP_TTL`: 1 to 255).
  public func setTTL(_ ttl: UInt32) throws(NetError) {
    let core = try live()
    let value = try UserspaceSupport.checkedTTL(ttl)
    let id = core.id
    try core.runtime.engine.withStack { (state, _) throws(StackError) in
      try state.stack.setTimeToLive(id, value)
    }
  }

  /// The IPv4 TTL of the connections it accepts (they inherit it).
  public var ttl: UInt32 {
    get throws(NetError) {
      let core = try live()
      let id = core.id
      return UInt32(
        try core.runtime.engine.withStack { (state, _) throws(StackError) in
          try state.stack.timeToLive(of: id)
        })
    }
  }

  /// Always nil: a listener has no asynchronous errors in this stack.
  public func takeError() throws(NetError) -> NetError? {
    _ = try live()
    return nil
  }

  /// Turns nonblocking mode on or off for every handle.
  public func setNonblocking(_ nonblocking: Bool) throws(NetError) {
    try live().nonblocking.withLock { $0 = nonblocking }
  }

  /// Rust's `Debug` form, like
  /// `UserspaceTCPListener { addr: 198.18.0.1:80, socket: listener#0.1 }`, or
  /// `UserspaceTCPListener { closed }`. Does not block.
  public var description: String {
    guard let core = handle.withLock({ $0 }) else { return "UserspaceTCPListener { closed }" }
    return "UserspaceTCPListener { addr: \(core.localAddress), socket: \(core.id) }"
  }

  /// Releases this handle; the port is released when the last handle goes. Idempotent.
  public func close() {
    let core = handle.withLock { handle in
      defer { handle = nil }
      return handle
    }
    _ = core
  }
}
