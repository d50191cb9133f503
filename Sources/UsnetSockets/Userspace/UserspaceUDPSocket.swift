import Synchronization
import UsnetStack
import UsnetWire

/// A UDP socket on a userspace stack (a ``UserspaceRuntime``), with kernel-socket semantics:
/// see ``UDPSocketProtocol`` for the contract.
///
/// **Blocking.** Receives block the calling thread on this socket's own waiter until a
/// datagram is queued, the read timeout expires (`wouldBlock`) or, in nonblocking mode, throw
/// `wouldBlock` at once. Sends never block: the stack queues the datagram at once (the write
/// timeout is stored and reported, and never needed).
///
/// **Threading.** `Sendable`; any number of threads may use one handle or its clones.
///
/// **Options.** Broadcast is real: sending to a broadcast address needs
/// ``setBroadcast(_:)`` (`permissionDenied` otherwise, as on Linux). Multicast is not built
/// yet: those calls throw `unsupported`. The TTL is per socket.
public final class UserspaceUDPSocket: CustomStringConvertible, UDPSocketProtocol {
  private let handle: Mutex<UDPSocketCore?>
  /// The kernel socket behind a socket bound to a loopback address (the kernel loopback twin,
  /// see ``UserspaceRuntime``), or nil for a socket of the userspace stack.
  private let kernel: HostUDPSocket?

  init(core: UDPSocketCore) {
    handle = Mutex(core)
    kernel = nil
  }

  /// A socket bound to a loopback address: every call goes to `kernel`.
  init(kernel: HostUDPSocket) {
    handle = Mutex(nil)
    self.kernel = kernel
  }

  /// Whether the socket is a kernel socket (bound to a loopback address through the kernel
  /// loopback twin) instead of a socket of the userspace stack.
  public var isKernelTwin: Bool { kernel != nil }

  /// Binds `address` on `runtime`; port 0 picks a free port. Does not block. While the
  /// runtime uses the kernel loopback twin, a loopback address binds a kernel socket.
  ///
  /// - Throws: `addrInUse`, `addrNotAvailable`, `unsupported` for IPv6 other than loopback.
  public static func bind(
    to address: SocketAddress, on runtime: UserspaceRuntime
  ) throws(NetError) -> UserspaceUDPSocket {
    if KernelTwin.bindsKernelOnly(address, on: runtime) {
      return UserspaceUDPSocket(kernel: try HostUDPSocket.bind(to: address))
    }
    let (ip, port) = try UserspaceSupport.ipv4(address)
    return UserspaceUDPSocket(core: try UDPSocketCore.bind(ip, port: port, runtime: runtime))
  }

  /// Binds `address` on the default runtime (``UserspaceRuntime/setDefault(_:)``).
  ///
  /// - Throws: `invalidInput` when no default runtime is set and the environment has no valid
  ///   `USNET_SOCKETS`, or what the bind throws.
  public static func bind(to address: SocketAddress) throws(NetError) -> UserspaceUDPSocket {
    try bind(to: address, on: UserspaceRuntime.requireDefault())
  }

  private func live() throws(NetError) -> UDPSocketCore {
    guard let core = handle.withLock({ $0 }) else { throw UserspaceSupport.closedHandle }
    return core
  }

  /// Sends `bytes` as one datagram to `address`. Does not block.
  public func send(_ bytes: [UInt8], to address: SocketAddress) throws(NetError) -> Int {
    if let kernel { return try kernel.send(bytes, to: address) }
    return try live().send(bytes, to: address)
  }

  /// Receives one datagram and its sender. Blocks until one is there.
  public func receiveFrom(
    into buffer: inout [UInt8]
  ) throws(NetError) -> (count: Int, peer: SocketAddress) {
    if let kernel { return try kernel.receiveFrom(into: &buffer) }
    return try live().receive(into: &buffer, peek: false, requireConnected: false)
  }

  /// As ``receiveFrom(into:)`` but leaves the datagram queued.
  public func peekFrom(
    into buffer: inout [UInt8]
  ) throws(NetError) -> (count: Int, peer: SocketAddress) {
    if let kernel { return try kernel.peekFrom(into: &buffer) }
    return try live().receive(into: &buffer, peek: true, requireConnected: false)
  }

  /// Sets the default destination and the only accepted source. Sends nothing.
  public func connect(to address: SocketAddress) throws(NetError) {
    if let kernel { return try kernel.connect(to: address) }
    return try live().connect(to: address)
  }

  /// Sends one datagram to the connected peer. Does not block.
  public func send(_ bytes: [UInt8]) throws(NetError) -> Int {
    if let kernel { return try kernel.send(bytes) }
    return try live().send(bytes, to: nil)
  }

  /// Receives one datagram from the connected peer. Blocks until one is there.
  public func receive(into buffer: inout [UInt8]) throws(NetError) -> Int {
    if let kernel { return try kernel.receive(into: &buffer) }
    return try live().receive(into: &buffer, peek: false, requireConnected: true).count
  }

  /// As ``receive(into:)`` but leaves the datagram queued.
  public func peek(into buffer: inout [UInt8]) throws(NetError) -> Int {
    if let kernel { return try kernel.peek(into: &buffer) }
    return try live().receive(into: &buffer, peek: true, requireConnected: true).count
  }

  /// The connected peer; `notConnected` when unconnected.
  public var peerAddress: SocketAddress {
    get throws(NetError) {
      if let kernel { return try kernel.peerAddress }
      guard let peer = try live().options.withLock({ $0.peer }) else {
        throw NetError(StackError.notConnected)
      }
      return peer
    }
  }

  /// The bound address.
  public var localAddress: SocketAddress {
    get throws(NetError) {
      if let kernel { return try kernel.localAddress }
      return try live().localAddress
    }
  }

  /// A second handle to the same socket.
  public func tryClone() throws(NetError) -> UserspaceUDPSocket {
    if let kernel { return UserspaceUDPSocket(kernel: try kernel.tryClone()) }
    return UserspaceUDPSocket(core: try live())
  }

  /// Sets the receive timeout (nil: block forever). Zero is `invalidInput`.
  public func setReadTimeout(_ timeout: Duration?) throws(NetError) {
    if let kernel { return try kernel.setReadTimeout(timeout) }
    try UserspaceSupport.validateTimeout(timeout)
    try live().options.withLock { $0.readTimeout = timeout }
  }

  /// The receive timeout.
  public var readTimeout: Duration? {
    get throws(NetError) {
      if let kernel { return try kernel.readTimeout }
      return try live().options.withLock { $0.readTimeout }
    }
  }

  /// Sets the send timeout (nil: block forever). Zero is `invalidInput`.
  public func setWriteTimeout(_ timeout: Duration?) throws(NetError) {
    if let kernel { return try kernel.setWriteTimeout(timeout) }
    try UserspaceSupport.validateTimeout(timeout)
    try live().options.withLock { $0.writeTimeout = timeout }
  }

  /// The send timeout.
  public var writeTimeout: Duration? {
    get throws(NetError) {
      if let kernel { return try kernel.writeTimeout }
      return try live().options.withLock { $0.writeTimeout }
    }
  }

  /// Turns nonblocking mode on or off for every handle.
  public func setNonblocking(_ nonblocking: Bool) throws(NetError) {
    if let kernel { return try kernel.setNonblocking(nonblocking) }
    return try live().options.withLock { $0.nonblocking = nonblocking }
  }

  /// Sets the IPv4 TTL of the socket's datagrams (`IP_TTL`: 1 to 255).
  public func setTTL(_ ttl: UInt32) throws(NetError) {
    if let kernel { return try kernel.setTTL(ttl) }
    let core = try live()
    let value = try UserspaceSupport.checkedTTL(ttl)
    let id = core.id
    try core.runtime.engine.withStack { (state, _) throws(StackError) in
      try state.stack.setTimeToLive(id, value)
    }
  }

  /// The IPv4 TTL of the socket's datagrams.
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

  /// Returns and clears a pending ICMP error of a connected socket. The stack reports it to
  /// the next send or receive instead, so this is always nil.
  public func takeError() throws(NetError) -> NetError? {
    if let kernel { return try kernel.takeError() }
    _ = try live()
    return nil
  }

  /// Allows or forbids sending to broadcast addresses (SO_BROADCAST).
  public func setBroadcast(_ enabled: Bool) throws(NetError) {
    if let kernel { return try kernel.setBroadcast(enabled) }
    return try live().options.withLock { $0.broadcast = enabled }
  }

  /// Whether sending to broadcast addresses is allowed.
  public var isBroadcastEnabled: Bool {
    get throws(NetError) {
      if let kernel { return try kernel.isBroadcastEnabled }
      return try live().options.withLock { $0.broadcast }
    }
  }

  private func multicastUnsupported() throws(NetError) -> NetError {
    _ = try live()
    return NetError(.unsupported, message: "multicast is not built yet in the userspace stack")
  }

  /// Not built yet: throws `unsupported`.
  public func joinMulticast(v4 group: IPv4Address, interface: IPv4Address) throws(NetError) {
    if let kernel { return try kernel.joinMulticast(v4: group, interface: interface) }
    throw try multicastUnsupported()
  }

  /// Not built yet: throws `unsupported`.
  public func leaveMulticast(v4 group: IPv4Address, interface: IPv4Address) throws(NetError) {
    if let kernel { return try kernel.leaveMulticast(v4: group, interface: interface) }
    throw try multicastUnsupported()
  }

  /// Not built yet: throws `unsupported`.
  public func joinMulticast(v6 group: IPv6Address, interface: UInt32) throws(NetError) {
    if let kernel { return try kernel.joinMulticast(v6: group, interface: interface) }
    throw try multicastUnsupported()
  }

  /// Not built yet: throws `unsupported`.
  public func leaveMulticast(v6 group: IPv6Address, interface: UInt32) throws(NetError) {
    if let kernel { return try kernel.leaveMulticast(v6: group, interface: interface) }
    throw try multicastUnsupported()
  }

  /// Not built yet: throws `unsupported`.
  public func setMulticastLoop(v4 enabled: Bool) throws(NetError) {
    if let kernel { return try kernel.setMulticastLoop(v4: enabled) }
    throw try multicastUnsupported()
  }

  /// Not built yet: throws `unsupported`.
  public var isMulticastLoopV4Enabled: Bool {
    get throws(NetError) {
      if let kernel { return try kernel.isMulticastLoopV4Enabled }
      throw try multicastUnsupported()
    }
  }

  /// Not built yet: throws `unsupported`.
  public func setMulticastTTL(v4 ttl: UInt32) throws(NetError) {
    if let kernel { return try kernel.setMulticastTTL(v4: ttl) }
    throw try multicastUnsupported()
  }

  /// Not built yet: throws `unsupported`.
  public var multicastTTLV4: UInt32 {
    get throws(NetError) {
      if let kernel { return try kernel.multicastTTLV4 }
      throw try multicastUnsupported()
    }
  }

  /// Not built yet: throws `unsupported`.
  public func setMulticastLoop(v6 enabled: Bool) throws(NetError) {
    if let kernel { return try kernel.setMulticastLoop(v6: enabled) }
    throw try multicastUnsupported()
  }

  /// Not built yet: throws `unsupported`.
  public var isMulticastLoopV6Enabled: Bool {
    get throws(NetError) {
      if let kernel { return try kernel.isMulticastLoopV6Enabled }
      throw try multicastUnsupported()
    }
  }

  /// Rust's `Debug` form, like `UserspaceUDPSocket { addr: 198.18.0.1:53, socket: udp#0.1 }`
  /// (with `peer:` once connected), or `UserspaceUDPSocket { closed }`. Does not block.
  public var description: String {
    if let kernel { return KernelTwin.describe(kernel, as: "UserspaceUDPSocket") }
    guard let core = handle.withLock({ $0 }) else { return "UserspaceUDPSocket { closed }" }
    let peer = core.options.withLock { $0.peer }.map { ", peer: \($0)" } ?? ""
    return "UserspaceUDPSocket { addr: \(core.localAddress)\(peer), socket: \(core.id) }"
  }

  /// Releases this handle; the socket closes when its last handle goes. Idempotent.
  public func close() {
    kernel?.close()
    let core = handle.withLock { handle in
      defer { handle = nil }
      return handle
    }
    _ = core
  }
}
