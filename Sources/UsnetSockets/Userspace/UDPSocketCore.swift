import Synchronization
import UsnetStack
import UsnetWire

#if canImport(Glibc)
  import Glibc
#endif

/// The state of one userspace UDP socket, shared by every handle of it (see
/// ``UserspaceUDPSocket/tryClone()``). Deinitialising it closes the socket in the stack.
///
/// Threading: thread-safe. Stack calls go through the runtime's lock; the options have their
/// own lock, taken after the runtime's, never the other way round.
final class UDPSocketCore: Sendable {
  struct Options {
    var readTimeout: Duration?
    var writeTimeout: Duration?
    var nonblocking = false
    var broadcast = false
    var peer: SocketAddress?
  }

  let runtime: UserspaceRuntime
  let id: UDPSocketID
  let waiter: SocketWaiter
  let localAddress: SocketAddress
  let options = Mutex(Options())

  init(runtime: UserspaceRuntime, id: UDPSocketID, waiter: SocketWaiter, local: SocketAddress) {
    self.runtime = runtime
    self.id = id
    self.waiter = waiter
    localAddress = local
  }

  deinit {
    let id = id
    runtime.engine.release(.udp(id)) { stack, now in stack.close(id, at: now) }
  }

  /// Binds `ip:port` (port 0: an ephemeral port).
  static func bind(
    _ ip: IPv4Address, port: UInt16, runtime: UserspaceRuntime
  ) throws(NetError) -> UDPSocketCore {
    let (id, waiter, local) = try runtime.engine.withStack { (state, now) throws(StackError) in
      let id = try state.stack.bindUDP(address: ip, port: port, at: now)
      let local = try state.stack.localEndpoint(id)
      return (id, state.register(.udp(id)), SocketAddress.v4(local.address, port: local.port))
    }
    return UDPSocketCore(runtime: runtime, id: id, waiter: waiter, local: local)
  }

  /// Sends one datagram to `address`, or to the connected peer when nil. Does not block
  /// (the stack queues the datagram at once).
  func send(_ bytes: [UInt8], to address: SocketAddress?) throws(NetError) -> Int {
    let (broadcast, peer) = options.withLock { ($0.broadcast, $0.peer) }
    guard let target = address ?? peer else { throw NetError(StackError.notConnected) }
    guard case .v4(let ip, let port) = target else {
      throw NetError(
        .invalidInput, errno: EINVAL,
        message: "an IPv6 destination for an IPv4 socket (\(target))")
    }
    if !broadcast && isBroadcast(ip) {
      throw NetError(
        .permissionDenied, errno: EACCES,
        message: "sending to broadcast \(ip) needs setBroadcast(true)")
    }
    let id = id
    try runtime.engine.withStack { (state, now) throws(StackError) in
      try state.stack.send(id, bytes, to: (ip, port), at: now)
    }
    return bytes.count
  }

  /// Receives (or peeks at) one datagram into `buffer`; blocks per the options.
  func receive(
    into buffer: inout [UInt8], peek: Bool, requireConnected: Bool
  ) throws(NetError) -> (count: Int, peer: SocketAddress) {
    let (deadline, nonblocking, peer) = options.withLock {
      (Deadline.after($0.readTimeout), $0.nonblocking, $0.peer)
    }
    if requireConnected && peer == nil { throw NetError(StackError.notConnected) }
    let id = id
    let info = try runtime.engine.block(on: waiter, until: deadline, nonblocking: nonblocking) {
      (state, now) throws(StackError) -> UDPDatagramInfo? in
      try state.stack.receive(id, into: &buffer, peek: peek, at: now)
    }
    return (info.count, .v4(info.sourceAddress, port: info.sourcePort))
  }

  /// Sets the default destination and the only accepted source.
  func connect(to address: SocketAddress) throws(NetError) {
    guard case .v4(let ip, let port) = address else {
      throw NetError(
        .invalidInput, errno: EINVAL,
        message: "an IPv6 peer for an IPv4 socket (\(address))")
    }
    let id = id
    try runtime.engine.withStack { (state, _) throws(StackError) in
      try state.stack.connectUDP(id, to: (ip, port))
    }
    options.withLock { $0.peer = address }
  }

  /// Whether `ip` is the limited broadcast or a directed broadcast of the interface.
  private func isBroadcast(_ ip: IPv4Address) -> Bool {
    ip.isLimitedBroadcast
      || runtime.engine.configuration.interface.addresses.contains {
        $0.prefixLength < 31 && $0.broadcastAddress == ip
      }
  }
}
