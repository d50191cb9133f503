import Synchronization
import UsnetDevice
import UsnetStack
import UsnetWire

#if canImport(Glibc)
  import Glibc
#endif

/// A listening TCP socket on a userspace stack (a ``UserspaceRuntime``), with kernel-socket
/// semantics: see ``TCPListenerProtocol`` for the contract.
///
/// **Kernel loopback twin.** While the runtime uses the twin, binding also binds a kernel
/// listener on `127.0.0.1:port` for `0.0.0.0`, or on the given address when the kernel owns
/// it too (no twin when it does not), so the port is reserved in the kernel and local kernel
/// programs can connect; ``accept()`` returns whichever connection comes first, and a
/// connection from the kernel side is a kernel socket behind ``UserspaceTCPStream``. A
/// listener bound to a loopback address is a kernel listener only.
///
/// **Blocking.** ``accept()`` blocks the calling thread until a connection is established
/// (or throws `wouldBlock` in nonblocking mode): on this listener's own waiter, or, with a
/// twin, in `ppoll` on the kernel listener and the waiter's eventfd. Without an engine thread
/// (``SingleThreadRuntime``) a blocked accept advances the stack and looks at the twin at
/// least every ``twinPollInterval``. Connections of the stack are handed out in the order they
/// were established, each to exactly one caller.
///
/// **Threading.** `Sendable`; any number of threads may accept on one handle or its clones.
///
/// **Options.** ``setTTL(_:)`` sets the TTL that accepted connections start with.
public final class UserspaceTCPListener: CustomStringConvertible, TCPListenerProtocol {
  /// The default accept-queue length when `bind` is given none (Linux's and Rust's 128;
  /// SOCKET_BACKLOG configures it once configuration is built).
  public static let defaultBacklog = 128

  /// How often a blocked accept without an engine thread looks at the kernel twin.
  static let twinPollInterval: Duration = .milliseconds(10)

  /// What one listener is made of.
  private enum Parts: Sendable {
    /// The stack's listener alone (no twin, or the kernel does not own the address).
    case stack(TCPListenerCore)
    /// The stack's listener and its kernel twin.
    case twinned(TCPListenerCore, twin: HostTCPListener)
    /// A kernel listener only (bound to a loopback address).
    case kernel(HostTCPListener)

    var core: TCPListenerCore? {
      switch self {
      case .stack(let core), .twinned(let core, _): core
      case .kernel: nil
      }
    }

    var twin: HostTCPListener? {
      switch self {
      case .stack: nil
      case .twinned(_, let twin), .kernel(let twin): twin
      }
    }
  }

  private let handle: Mutex<Parts?>

  init(core: TCPListenerCore) {
    handle = Mutex(.stack(core))
  }

  private init(parts: Parts) {
    handle = Mutex(parts)
  }

  /// Binds `address` on `runtime` and listens; port 0 picks a free port (with a twin, one that
  /// is free in both the kernel and the stack). Does not block.
  ///
  /// - Throws: `addrInUse` (in the stack, or in the kernel for the twin),
  ///   `addrNotAvailable` (not one of the runtime's addresses), `unsupported` for IPv6 other
  ///   than loopback.
  public static func bind(
    to address: SocketAddress, backlog: Int? = nil, on runtime: UserspaceRuntime
  ) throws(NetError) -> UserspaceTCPListener {
    let backlog = backlog ?? defaultBacklog
    if KernelTwin.bindsKernelOnly(address, on: runtime) {
      return UserspaceTCPListener(
        parts: .kernel(try HostTCPListener.bind(to: address, backlog: backlog)))
    }
    let (ip, port) = try UserspaceSupport.ipv4(address)
    guard runtime.usesKernelTwin else {
      let core = try TCPListenerCore.listen(
        on: ip, port: port, backlog: backlog, runtime: runtime)
      return UserspaceTCPListener(core: core)
    }
    return UserspaceTCPListener(
      parts: try bindTwinned(ip: ip, port: port, backlog: backlog, runtime: runtime))
  }

  /// Binds the kernel twin first (it knows which ports local programs hold), then the stack
  /// on the same port; for port 0, retries with another kernel-chosen port while the stack
  /// has the kernel's choice in use.
  private static func bindTwinned(
    ip: IPv4Address, port: UInt16, backlog: Int, runtime: UserspaceRuntime
  ) throws(NetError) -> Parts {
    let attempts = port == 0 ? 32 : 1
    var lastError = NetError(.addrInUse, errno: EADDRINUSE, message: "no free port")
    for _ in 0..<attempts {
      guard let twin = try KernelTwin.bindListener(ip: ip, port: port, backlog: backlog) else {
        let core = try TCPListenerCore.listen(
          on: ip, port: port, backlog: backlog, runtime: runtime)
        return .stack(core)
      }
      do throws(NetError) {
        let core = try TCPListenerCore.listen(
          on: ip, port: try twin.localAddress.port, backlog: backlog, runtime: runtime)
        return .twinned(core, twin: twin)
      } catch {
        twin.close()
        guard error.kind == .addrInUse else { throw error }
        lastError = error
      }
    }
    throw lastError
  }

  /// Binds `address` on the default runtime (``UserspaceRuntime/setDefault(_:)``).
  ///
  /// - Throws: `invalidInput` when no default runtime is set and the environment has no valid
  ///   `USNET_SOCKETS`, or what the bind throws.
  public static func bind(
    to address: SocketAddress, backlog: Int?
  ) throws(NetError) -> UserspaceTCPListener {
    try bind(to: address, backlog: backlog, on: UserspaceRuntime.requireDefault())
  }

  private func live() throws(NetError) -> Parts {
    guard let parts = handle.withLock({ $0 }) else { throw UserspaceSupport.closedHandle }
    return parts
  }

  /// Waits for the next connection, from the stack or the kernel twin. Blocks unless
  /// nonblocking.
  public func accept() throws(NetError) -> (stream: UserspaceTCPStream, peer: SocketAddress) {
    let core: TCPListenerCore
    let twin: HostTCPListener
    switch try live() {
    case .stack(let stackListener):
      return try stackListener.accept()
    case .kernel(let kernel):
      let (stream, peer) = try kernel.accept()
      return (UserspaceTCPStream(kernel: stream), peer)
    case .twinned(let stackListener, let kernel):
      (core, twin) = (stackListener, kernel)
    }
    let nonblocking = core.nonblocking.withLock { $0 }
    while true {
      let (accepted, epoch) = try core.acceptIfReady()
      if let accepted { return accepted }
      do throws(NetError) {
        let (stream, peer) = try twin.accept()
        return (UserspaceTCPStream(kernel: stream), peer)
      } catch {
        guard error.kind == .wouldBlock else { throw error }
      }
      if nonblocking {
        throw NetError(.wouldBlock, errno: EAGAIN, message: "operation would block")
      }
      try waitForEither(core: core, twin: twin, epoch: epoch)
    }
  }

  /// Sleeps until the stack's listener changed since `epoch` or the kernel twin has a
  /// connection (with an engine thread), or for at most ``twinPollInterval`` while advancing
  /// the stack (without one).
  private func waitForEither(
    core: TCPListenerCore, twin: HostTCPListener, epoch: UInt64
  ) throws(NetError) {
    let engine = core.runtime.engine
    guard engine.threaded else {
      _ = engine.drive(
        until: Deadline.after(Self.twinPollInterval), waiter: core.waiter, epoch: epoch)
      return
    }
    try core.waiter.withWakeUpEvent { (event) throws(NetError) in
      guard core.waiter.currentEpoch == epoch else { return }
      _ = try twin.descriptor.perform { socket throws(DeviceError) in
        try event.wait(forReadable: socket.descriptor, until: nil)
      }
    }
  }

  /// The bound address, with the chosen port.
  public var localAddress: SocketAddress {
    get throws(NetError) {
      switch try live() {
      case .stack(let core), .twinned(let core, _): return core.localAddress
      case .kernel(let kernel): return try kernel.localAddress
      }
    }
  }

  /// A second handle to the same listener (sharing its twin).
  public func tryClone() throws(NetError) -> UserspaceTCPListener {
    let parts = try live()
    guard case .kernel(let kernel) = parts else { return UserspaceTCPListener(parts: parts) }
    return UserspaceTCPListener(parts: .kernel(try kernel.tryClone()))
  }

  /// Sets the IPv4 TTL of the connections it accepts (they inherit it) (`IP_TTL`: 1 to 255),
  /// on the stack's listener and its twin.
  public func setTTL(_ ttl: UInt32) throws(NetError) {
    let parts = try live()
    let value = try UserspaceSupport.checkedTTL(ttl)
    try parts.twin?.setTTL(ttl)
    guard let core = parts.core else { return }
    let id = core.id
    try core.runtime.engine.withStack { (state, _) throws(StackError) in
      try state.stack.setTimeToLive(id, value)
    }
  }

  /// The IPv4 TTL of the connections it accepts (they inherit it).
  public var ttl: UInt32 {
    get throws(NetError) {
      let core: TCPListenerCore
      switch try live() {
      case .stack(let stackListener), .twinned(let stackListener, _): core = stackListener
      case .kernel(let kernel): return try kernel.ttl
      }
      let id = core.id
      return UInt32(
        try core.runtime.engine.withStack { (state, _) throws(StackError) in
          try state.stack.timeToLive(of: id)
        })
    }
  }

  /// The kernel twin's pending error (`SO_ERROR`), if any; the stack's listener has none.
  public func takeError() throws(NetError) -> NetError? {
    try live().twin?.takeError()
  }

  /// Turns nonblocking mode on or off for every handle (the twin itself always stays
  /// nonblocking; a kernel-only listener switches its descriptor).
  public func setNonblocking(_ nonblocking: Bool) throws(NetError) {
    switch try live() {
    case .stack(let core), .twinned(let core, _): core.nonblocking.withLock { $0 = nonblocking }
    case .kernel(let kernel): try kernel.setNonblocking(nonblocking)
    }
  }

  /// Rust's `Debug` form, like
  /// `UserspaceTCPListener { addr: 198.18.0.1:80, socket: listener#0.1 }` (with
  /// `, twin: 127.0.0.1:80` when twinned; a kernel-only listener shows its `fd`), or
  /// `UserspaceTCPListener { closed }`. Does not block.
  public var description: String {
    switch handle.withLock({ $0 }) {
    case nil:
      return "UserspaceTCPListener { closed }"
    case .kernel(let kernel):
      return KernelTwin.describe(kernel, as: "UserspaceTCPListener")
    case .stack(let core):
      return "UserspaceTCPListener { addr: \(core.localAddress), socket: \(core.id) }"
    case .twinned(let core, let twin):
      let twinAddress = (try? twin.localAddress).map(String.init(describing:)) ?? "?"
      return
        "UserspaceTCPListener { addr: \(core.localAddress), socket: \(core.id), twin: \(twinAddress) }"
    }
  }

  /// Releases this handle; the port (and the twin's) is released when the last handle goes.
  /// Idempotent.
  public func close() {
    let parts = handle.withLock { handle in
      defer { handle = nil }
      return handle
    }
    if case .kernel(let kernel) = parts { kernel.close() }
  }
}
