import Synchronization
import UsnetStack

#if canImport(Glibc)
  import Glibc
#endif

/// A TCP connection on a userspace stack (a ``UserspaceRuntime``), with kernel-socket
/// semantics: see ``TCPStreamProtocol`` for the contract.
///
/// **Blocking.** `connect`, `read`, `peek` and `write` block the calling thread on this
/// connection's own waiter until the stack can serve them, the timeout expires
/// (`wouldBlock`; `timedOut` for connect) or, in nonblocking mode, throw `wouldBlock` at
/// once. They never wait for the engine thread: the stack runs under the runtime's lock on the
/// calling thread, and data written goes out on it.
///
/// **Threading.** `Sendable`; any number of threads may use one handle or its clones at once.
///
/// **Options.** Nodelay (the stack's Nagle switch), the TTL, keep-alive and linger are real.
public final class UserspaceTCPStream: CustomStringConvertible, TCPStreamProtocol {
  private let handle: Mutex<TCPStreamCore?>
  /// The kernel socket behind a connection that went through the kernel loopback twin (see
  /// ``UserspaceRuntime``), or nil for a connection of the userspace stack.
  private let kernel: HostTCPStream?

  init(core: TCPStreamCore) {
    handle = Mutex(core)
    kernel = nil
  }

  /// A connection through the kernel loopback twin: every call goes to `kernel`.
  init(kernel: HostTCPStream) {
    handle = Mutex(nil)
    self.kernel = kernel
  }

  /// Whether the connection runs on a kernel socket (through the kernel loopback twin)
  /// instead of the userspace stack.
  public var isKernelTwin: Bool { kernel != nil }

  /// Connects to `address` on `runtime`; with `timeout`, gives up with `timedOut` when the
  /// handshake has not completed in time (a zero timeout is `invalidInput`). Blocks the calling
  /// thread until connected. A loopback address, `0.0.0.0` or the stack's own address is
  /// reached through the kernel while the runtime uses the kernel loopback twin.
  ///
  /// - Throws: `connectionRefused`, `timedOut`, `hostUnreachable`, `networkUnreachable`,
  ///   `addrNotAvailable`, `invalidInput`, `unsupported` for IPv6.
  public static func connect(
    to address: SocketAddress, timeout: Duration?, on runtime: UserspaceRuntime
  ) throws(NetError) -> UserspaceTCPStream {
    try UserspaceSupport.validateTimeout(timeout)
    if KernelTwin.routesToKernel(address, on: runtime) {
      return UserspaceTCPStream(kernel: try HostTCPStream.connect(to: address, timeout: timeout))
    }
    let (ip, port) = try UserspaceSupport.ipv4(address)
    let (id, waiter) = try runtime.engine.withStack { (state, now) throws(StackError) in
      let id = try state.stack.connect(to: ip, port: port, at: now)
      return (id, state.register(.tcp(id)))
    }
    let core = TCPStreamCore(runtime: runtime, id: id, waiter: waiter)
    _ = try runtime.engine.block(
      on: waiter, until: Deadline.after(timeout), nonblocking: false, timeoutKind: .timedOut
    ) { (state, _) throws(StackError) -> Bool? in
      guard let info = state.stack.info(id) else { throw .invalidHandle }
      if let error = info.error { throw .connection(error) }
      switch info.state {
      case .synSent, .synReceived: return nil
      default: return true
      }
    }
    return UserspaceTCPStream(core: core)
  }

  /// Connects to `address` on the default runtime (``UserspaceRuntime/setDefault(_:)``).
  /// Blocks as ``connect(to:timeout:on:)``.
  ///
  /// - Throws: `invalidInput` when no default runtime is set and the environment has no valid
  ///   `USNET_SOCKETS`, or what the connect throws.
  public static func connect(
    to address: SocketAddress, timeout: Duration?
  ) throws(NetError) -> UserspaceTCPStream {
    try connect(to: address, timeout: timeout, on: UserspaceRuntime.requireDefault())
  }

  private func live() throws(NetError) -> TCPStreamCore {
    guard let core = handle.withLock({ $0 }) else { throw UserspaceSupport.closedHandle }
    return core
  }

  /// Reads into `buffer`; returns the count, 0 at the end of the stream. Blocks until at
  /// least one byte or the end is there.
  public func read(into buffer: inout [UInt8]) throws(NetError) -> Int {
    if let kernel { return try kernel.read(into: &buffer) }
    return try live().read(into: &buffer, range: 0..<buffer.count, peek: false)
  }

  /// Reads into `buffer[range]`. Blocks as ``read(into:)``.
  public func read(into buffer: inout [UInt8], range: Range<Int>) throws(NetError) -> Int {
    if let kernel { return try kernel.read(into: &buffer, range: range) }
    return try live().read(into: &buffer, range: range, peek: false)
  }

  /// Reads into `buffers` in order. Blocks as ``read(into:)``.
  public func read(into buffers: inout [[UInt8]]) throws(NetError) -> Int {
    if let kernel { return try kernel.read(into: &buffers) }
    return try live().read(into: &buffers)
  }

  /// Copies queued bytes into `buffer` without consuming them. Blocks as ``read(into:)``.
  public func peek(into buffer: inout [UInt8]) throws(NetError) -> Int {
    if let kernel { return try kernel.peek(into: &buffer) }
    return try live().read(into: &buffer, range: 0..<buffer.count, peek: true)
  }

  /// Queues some of `bytes`; blocks until the send buffer takes at least one byte.
  public func write(_ bytes: [UInt8]) throws(NetError) -> Int {
    if let kernel { return try kernel.write(bytes) }
    return try live().write(bytes, range: 0..<bytes.count)
  }

  /// Queues some of `bytes[range]`. Blocks as ``write(_:)``.
  public func write(_ bytes: [UInt8], range: Range<Int>) throws(NetError) -> Int {
    if let kernel { return try kernel.write(bytes, range: range) }
    return try live().write(bytes, range: range)
  }

  /// Queues some of the concatenation of `buffers`. Blocks as ``write(_:)``.
  public func write(_ buffers: [[UInt8]]) throws(NetError) -> Int {
    if let kernel { return try kernel.write(buffers) }
    let bytes = buffers.flatMap { $0 }
    return try live().write(bytes, range: 0..<bytes.count)
  }

  /// Shuts down reading, writing or both for every handle; wakes blocked calls. Does not
  /// block.
  public func shutdown(_ how: Shutdown) throws(NetError) {
    if let kernel { return try kernel.shutdown(how) }
    return try live().shutdown(how)
  }

  /// A second handle to the same connection.
  public func tryClone() throws(NetError) -> UserspaceTCPStream {
    if let kernel { return UserspaceTCPStream(kernel: try kernel.tryClone()) }
    return UserspaceTCPStream(core: try live())
  }

  /// Sets the read timeout (nil: block forever). Zero is `invalidInput`.
  public func setReadTimeout(_ timeout: Duration?) throws(NetError) {
    if let kernel { return try kernel.setReadTimeout(timeout) }
    try UserspaceSupport.validateTimeout(timeout)
    try live().options.withLock { $0.readTimeout = timeout }
  }

  /// The read timeout.
  public var readTimeout: Duration? {
    get throws(NetError) {
      if let kernel { return try kernel.readTimeout }
      return try live().options.withLock {
        $0.readTimeout
      }
    }
  }

  /// Sets the write timeout (nil: block forever). Zero is `invalidInput`.
  public func setWriteTimeout(_ timeout: Duration?) throws(NetError) {
    if let kernel { return try kernel.setWriteTimeout(timeout) }
    try UserspaceSupport.validateTimeout(timeout)
    try live().options.withLock { $0.writeTimeout = timeout }
  }

  /// The write timeout.
  public var writeTimeout: Duration? {
    get throws(NetError) {
      if let kernel { return try kernel.writeTimeout }
      return try live().options.withLock {
        $0.writeTimeout
      }
    }
  }

  /// Turns nonblocking mode on or off for every handle.
  public func setNonblocking(_ nonblocking: Bool) throws(NetError) {
    if let kernel { return try kernel.setNonblocking(nonblocking) }
    return try live().options.withLock { $0.nonblocking = nonblocking }
  }

  /// Turns Nagle's algorithm off (`true`) or on.
  public func setNoDelay(_ enabled: Bool) throws(NetError) {
    if let kernel { return try kernel.setNoDelay(enabled) }
    return try live().setNoDelay(enabled)
  }

  /// Whether Nagle's algorithm is off.
  public var isNoDelayEnabled: Bool {
    get throws(NetError) {
      if let kernel { return try kernel.isNoDelayEnabled }
      return try live().options.withLock {
        $0.noDelay
      }
    }
  }

  /// Sets the IPv4 TTL of the connection's packets (`IP_TTL`: 1 to 255).
  public func setTTL(_ ttl: UInt32) throws(NetError) {
    if let kernel { return try kernel.setTTL(ttl) }
    let core = try live()
    let value = try UserspaceSupport.checkedTTL(ttl)
    let id = core.id
    try core.runtime.engine.withStack { (state, _) throws(StackError) in
      try state.stack.setTimeToLive(id, value)
    }
  }

  /// The IPv4 TTL of the connection's packets.
  public var ttl: UInt32 {
    get throws(NetError) {
      if let kernel { return try kernel.ttl }
      let core = try live()
      let id = core.id
      return UInt32(
        try core.runtime.engine.withStack { (state, _) throws(StackError) in
          try state.stack.timeToLive(of: id)
        })
    }
  }

  /// Sets `SO_LINGER` for the last close of this connection: nil closes in the background,
  /// zero resets the connection, a positive duration makes that close block until the data
  /// is acknowledged or the time is up.
  public func setLinger(_ linger: Duration?) throws(NetError) {
    if let kernel { return try kernel.setLinger(linger) }
    let core = try live()
    if let linger, linger < .zero {
      throw NetError(.invalidInput, errno: EINVAL, message: "a negative linger time")
    }
    core.options.withLock { $0.linger = linger }
  }

  /// The `SO_LINGER` setting.
  public var linger: Duration? {
    get throws(NetError) {
      if let kernel { return try kernel.linger }
      return try live().options.withLock {
        $0.linger
      }
    }
  }

  /// Sets the user timeout (in whole milliseconds, like TCP_USER_TIMEOUT); nil turns it off.
  public func setUserTimeout(_ timeout: Duration?) throws(NetError) {
    if let kernel { return try kernel.setUserTimeout(timeout) }
    let milliseconds = try UserTimeout.milliseconds(timeout)
    let core = try live()
    let id = core.id
    try core.runtime.engine.withStack { (state, _) throws(StackError) in
      try state.stack.setUserTimeout(id, milliseconds == 0 ? nil : .milliseconds(milliseconds))
    }
  }

  /// The user timeout, or nil when off.
  public var userTimeout: Duration? {
    get throws(NetError) {
      if let kernel { return try kernel.userTimeout }
      let core = try live()
      let id = core.id
      return try core.runtime.engine.withStack { (state, _) throws(StackError) in
        try state.stack.userTimeout(of: id)
      }
    }
  }

  /// Turns keep-alive probing on or off (`SO_KEEPALIVE`, with the stack's idle time,
  /// interval and probe count; Linux's defaults unless configured).
  public func setKeepAlive(_ enabled: Bool) throws(NetError) {
    if let kernel { return try kernel.setKeepAlive(enabled) }
    let core = try live()
    let id = core.id
    try core.runtime.engine.withStack { (state, now) throws(StackError) in
      try state.stack.setKeepAlive(id, enabled, at: now)
    }
  }

  /// Whether keep-alive probing is on.
  public var isKeepAliveEnabled: Bool {
    get throws(NetError) {
      if let kernel { return try kernel.isKeepAliveEnabled }
      let core = try live()
      let id = core.id
      return try core.runtime.engine.withStack { (state, _) throws(StackError) in
        try state.stack.isKeepAliveEnabled(id)
      }
    }
  }

  /// The local address of the connection.
  public var localAddress: SocketAddress {
    get throws(NetError) {
      if let kernel { return try kernel.localAddress }
      let tuple = try live().info().tuple
      return UserspaceSupport.address(tuple.localAddress, tuple.localPort)
    }
  }

  /// The peer's address; `notConnected` once the connection is closed.
  public var peerAddress: SocketAddress {
    get throws(NetError) {
      if let kernel { return try kernel.peerAddress }
      let info = try live().info()
      guard info.state != .closed else { throw NetError(StackError.notConnected) }
      return UserspaceSupport.address(info.tuple.remoteAddress, info.tuple.remotePort)
    }
  }

  /// Returns and clears the connection's error.
  public func takeError() throws(NetError) -> NetError? {
    if let kernel { return try kernel.takeError() }
    return try live().takeError()
  }

  /// Rust's `Debug` form, like
  /// `UserspaceTCPStream { addr: 198.18.0.1:40000, peer: 198.18.0.2:80, socket: tcp#0.1 }`,
  /// or `UserspaceTCPStream { closed }`. Takes the runtime lock briefly.
  public var description: String {
    if let kernel {
      return KernelTwin.describe(kernel, as: "UserspaceTCPStream")
    }
    guard let core = handle.withLock({ $0 }), let tuple = try? core.info().tuple else {
      return "UserspaceTCPStream { closed }"
    }
    let local = UserspaceSupport.address(tuple.localAddress, tuple.localPort)
    let peer = UserspaceSupport.address(tuple.remoteAddress, tuple.remotePort)
    return "UserspaceTCPStream { addr: \(local), peer: \(peer), socket: \(core.id) }"
  }

  /// How many times this connection's waiter was woken (nil once closed): the runtime wakes
  /// a connection only when the stack reported it changed. For tests and diagnostics.
  var wakeUps: UInt64? { handle.withLock { $0 }?.waiter.currentEpoch }

  /// Releases this handle; the connection closes (FIN) when its last handle goes. Idempotent.
  /// Does not block.
  public func close() {
    kernel?.close()
    let core = handle.withLock { handle in
      defer { handle = nil }
      return handle
    }
    _ = core
  }
}
