import UsnetWire

/// A UDP socket on a ``SingleThreadRuntime`` (the `Single` trait's backend), with
/// kernel-socket semantics: see ``UDPSocketProtocol`` for the contract.
///
/// It is a ``UserspaceUDPSocket`` bound to a runtime without an engine thread: a blocked
/// receive advances the stack itself until a datagram is queued or its timeout expires
/// (`wouldBlock`). Sends never block. Broadcast is real; multicast throws `unsupported`.
///
/// **Threading.** Meant for the thread that drives its runtime; `Sendable` and memory-safe
/// from several threads all the same (see ``SingleThreadRuntime``).
public final class SingleThreadUDPSocket: CustomStringConvertible, UDPSocketProtocol {
  /// The userspace socket this handle wraps.
  let base: UserspaceUDPSocket

  init(_ base: UserspaceUDPSocket) {
    self.base = base
  }

  /// Binds `address` on `runtime`; port 0 picks a free port. Does not block.
  ///
  /// - Throws: as ``UserspaceUDPSocket/bind(to:on:)``.
  public static func bind(
    to address: SocketAddress, on runtime: SingleThreadRuntime
  ) throws(NetError) -> SingleThreadUDPSocket {
    SingleThreadUDPSocket(try UserspaceUDPSocket.bind(to: address, on: runtime.base))
  }

  /// Binds `address` on the default runtime (``SingleThreadRuntime/setDefault(_:)``).
  ///
  /// - Throws: `invalidInput` when no default runtime is set and the environment has no valid
  ///   `USNET_SOCKETS`, or what the bind throws.
  public static func bind(to address: SocketAddress) throws(NetError) -> SingleThreadUDPSocket {
    try bind(to: address, on: SingleThreadRuntime.requireDefault())
  }

  /// Sends `bytes` as one datagram to `address`. Does not block.
  public func send(_ bytes: [UInt8], to address: SocketAddress) throws(NetError) -> Int {
    try base.send(bytes, to: address)
  }

  /// Receives one datagram and its sender, advancing the stack until one is there.
  public func receiveFrom(
    into buffer: inout [UInt8]
  ) throws(NetError) -> (count: Int, peer: SocketAddress) {
    try base.receiveFrom(into: &buffer)
  }

  /// As ``receiveFrom(into:)`` but leaves the datagram queued.
  public func peekFrom(
    into buffer: inout [UInt8]
  ) throws(NetError) -> (count: Int, peer: SocketAddress) {
    try base.peekFrom(into: &buffer)
  }

  /// Sets the default destination and the only accepted source. Sends nothing.
  public func connect(to address: SocketAddress) throws(NetError) {
    try base.connect(to: address)
  }

  /// Sends one datagram to the connected peer. Does not block.
  public func send(_ bytes: [UInt8]) throws(NetError) -> Int {
    try base.send(bytes)
  }

  /// Receives one datagram from the connected peer.
  public func receive(into buffer: inout [UInt8]) throws(NetError) -> Int {
    try base.receive(into: &buffer)
  }

  /// As ``receive(into:)`` but leaves the datagram queued.
  public func peek(into buffer: inout [UInt8]) throws(NetError) -> Int {
    try base.peek(into: &buffer)
  }

  /// The connected peer; `notConnected` when unconnected.
  public var peerAddress: SocketAddress {
    get throws(NetError) { try base.peerAddress }
  }

  /// The bound address.
  public var localAddress: SocketAddress {
    get throws(NetError) { try base.localAddress }
  }

  /// A second handle to the same socket.
  public func tryClone() throws(NetError) -> SingleThreadUDPSocket {
    SingleThreadUDPSocket(try base.tryClone())
  }

  /// Sets the receive timeout (nil: block forever). Zero is `invalidInput`.
  public func setReadTimeout(_ timeout: Duration?) throws(NetError) {
    try base.setReadTimeout(timeout)
  }

  /// The receive timeout.
  public var readTimeout: Duration? {
    get throws(NetError) { try base.readTimeout }
  }

  /// Sets the send timeout (nil: block forever). Zero is `invalidInput`.
  public func setWriteTimeout(_ timeout: Duration?) throws(NetError) {
    try base.setWriteTimeout(timeout)
  }

  /// The send timeout.
  public var writeTimeout: Duration? {
    get throws(NetError) { try base.writeTimeout }
  }

  /// Turns nonblocking mode on or off for every handle.
  public func setNonblocking(_ nonblocking: Bool) throws(NetError) {
    try base.setNonblocking(nonblocking)
  }

  /// Sets the IPv4 TTL of the socket's datagrams (1 to 255).
  public func setTTL(_ ttl: UInt32) throws(NetError) {
    try base.setTTL(ttl)
  }

  /// The IPv4 TTL of the socket's datagrams.
  public var ttl: UInt32 {
    get throws(NetError) { try base.ttl }
  }

  /// Always nil: the stack reports errors to the next send or receive.
  public func takeError() throws(NetError) -> NetError? {
    try base.takeError()
  }

  /// Allows or forbids sending to broadcast addresses (SO_BROADCAST).
  public func setBroadcast(_ enabled: Bool) throws(NetError) {
    try base.setBroadcast(enabled)
  }

  /// Whether sending to broadcast addresses is allowed.
  public var isBroadcastEnabled: Bool {
    get throws(NetError) { try base.isBroadcastEnabled }
  }

  /// Not built yet: throws `unsupported`.
  public func joinMulticast(v4 group: IPv4Address, interface: IPv4Address) throws(NetError) {
    try base.joinMulticast(v4: group, interface: interface)
  }

  /// Not built yet: throws `unsupported`.
  public func leaveMulticast(v4 group: IPv4Address, interface: IPv4Address) throws(NetError) {
    try base.leaveMulticast(v4: group, interface: interface)
  }

  /// Not built yet: throws `unsupported`.
  public func joinMulticast(v6 group: IPv6Address, interface: UInt32) throws(NetError) {
    try base.joinMulticast(v6: group, interface: interface)
  }

  /// Not built yet: throws `unsupported`.
  public func leaveMulticast(v6 group: IPv6Address, interface: UInt32) throws(NetError) {
    try base.leaveMulticast(v6: group, interface: interface)
  }

  /// Not built yet: throws `unsupported`.
  public func setMulticastLoop(v4 enabled: Bool) throws(NetError) {
    try base.setMulticastLoop(v4: enabled)
  }

  /// Not built yet: throws `unsupported`.
  public var isMulticastLoopV4Enabled: Bool {
    get throws(NetError) { try base.isMulticastLoopV4Enabled }
  }

  /// Not built yet: throws `unsupported`.
  public func setMulticastTTL(v4 ttl: UInt32) throws(NetError) {
    try base.setMulticastTTL(v4: ttl)
  }

  /// Not built yet: throws `unsupported`.
  public var multicastTTLV4: UInt32 {
    get throws(NetError) { try base.multicastTTLV4 }
  }

  /// Not built yet: throws `unsupported`.
  public func setMulticastLoop(v6 enabled: Bool) throws(NetError) {
    try base.setMulticastLoop(v6: enabled)
  }

  /// Not built yet: throws `unsupported`.
  public var isMulticastLoopV6Enabled: Bool {
    get throws(NetError) { try base.isMulticastLoopV6Enabled }
  }

  /// Rust's `Debug` form, like `SingleThreadUDPSocket { addr: 198.18.0.1:53, socket: udp#0.1 }`.
  public var description: String {
    SingleThreadNames.rename(base.description)
  }

  /// Releases this handle; the socket closes when its last handle goes.
  public func close() {
    base.close()
  }
}
