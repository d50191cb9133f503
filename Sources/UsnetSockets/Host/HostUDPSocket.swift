import Synchronization
import UsnetDevice
import UsnetWire

/// A UDP socket on a kernel socket: the Host backend of ``UDPSocketProtocol``, with Rust
/// std's semantics on Linux.
///
/// **Broadcast and multicast are implemented natively** (SO_BROADCAST, IP_ADD_MEMBERSHIP,
/// IPV6_ADD_MEMBERSHIP, IP_MULTICAST_LOOP / _TTL, IPV6_MULTICAST_LOOP): the kernel does them
/// already, and the Host backend's promise is to behave exactly as a kernel socket does. The
/// `unsupported` answer the issue asks for applies to the userspace backend until its
/// multicast work lands.
///
/// **Connected calls:** ``send(_:)``, ``receive(into:)`` and ``peek(into:)`` throw
/// `notConnected` on a socket that was never connected. (A bare Linux `recv` on an
/// unconnected UDP socket would take a datagram from anyone; the usnet contract makes it an
/// error, as Rust's documentation says it is, so both backends agree.)
///
/// An expired read or write timeout is `wouldBlock` (EAGAIN). **Blocking and threading:** see
/// ``UDPSocketProtocol``.
public final class HostUDPSocket: CustomStringConvertible, UDPSocketProtocol {
  let descriptor: HostDescriptor
  /// 4 or 6: the family of the bound address.
  let family: Int32
  /// Set once this handle has seen the socket connected (connect is never undone).
  private let knownConnected = Atomic<Bool>(false)

  init(_ socket: KernelSocket, family: Int32) {
    descriptor = HostDescriptor(socket)
    self.family = family
  }

  /// socket and bind; see ``UDPSocketProtocol/bind(to:)``.
  public static func bind(to address: SocketAddress) throws(NetError) -> HostUDPSocket {
    let udp: HostUDPSocket
    do throws(DeviceError) {
      let socket = try KernelSocket.open(family: address.family, kind: .datagram)
      udp = HostUDPSocket(socket, family: address.family)
    } catch {
      throw NetError(error)
    }
    try udp.descriptor.perform { socket throws(DeviceError) in
      try socket.bind(to: address.kernel)
    }
    return udp
  }

  /// sendto(2); an address of the other IP version is `invalidInput`.
  public func send(_ bytes: [UInt8], to address: SocketAddress) throws(NetError) -> Int {
    guard address.family == family else {
      throw NetError(
        .invalidInput,
        message: "cannot send to \(address) from an IPv\(family) socket")
    }
    return try descriptor.send(bytes, range: 0..<bytes.count, to: address.kernel)
  }

  /// recvfrom(2).
  public func receiveFrom(
    into buffer: inout [UInt8]
  ) throws(NetError) -> (
    count: Int, peer: SocketAddress
  ) {
    try receive(into: &buffer, peek: false)
  }

  /// recvfrom(2) with MSG_PEEK.
  public func peekFrom(
    into buffer: inout [UInt8]
  ) throws(NetError) -> (
    count: Int, peer: SocketAddress
  ) {
    try receive(into: &buffer, peek: true)
  }

  private func receive(
    into buffer: inout [UInt8], peek: Bool
  ) throws(NetError) -> (count: Int, peer: SocketAddress) {
    let (count, sender) = try descriptor.receive(
      into: &buffer, range: 0..<buffer.count, peek: peek)
    return (count, try SocketAddress.from(sender, call: "recvfrom"))
  }

  /// connect(2): sets the default peer; sends nothing.
  public func connect(to address: SocketAddress) throws(NetError) {
    try descriptor.perform { socket throws(DeviceError) in
      try socket.connect(to: address.kernel, timeout: nil)
    }
    knownConnected.store(true, ordering: .releasing)
  }

  /// send(2) to the connected peer; `notConnected` when unconnected.
  public func send(_ bytes: [UInt8]) throws(NetError) -> Int {
    try requireConnected()
    return try descriptor.send(bytes, range: 0..<bytes.count, to: nil)
  }

  /// recv(2) from the connected peer; `notConnected` when unconnected.
  public func receive(into buffer: inout [UInt8]) throws(NetError) -> Int {
    try requireConnected()
    return try descriptor.receive(into: &buffer, range: 0..<buffer.count, peek: false).count
  }

  /// recv(2) with MSG_PEEK from the connected peer; `notConnected` when unconnected.
  public func peek(into buffer: inout [UInt8]) throws(NetError) -> Int {
    try requireConnected()
    return try descriptor.receive(into: &buffer, range: 0..<buffer.count, peek: true).count
  }

  /// Throws `notConnected` unless the socket has a peer (asking the kernel until it has).
  private func requireConnected() throws(NetError) {
    guard !knownConnected.load(ordering: .acquiring) else { return }
    _ = try descriptor.peerAddress
    knownConnected.store(true, ordering: .releasing)
  }

  /// getpeername(2); `notConnected` when unconnected.
  public var peerAddress: SocketAddress {
    get throws(NetError) { try descriptor.peerAddress }
  }

  /// getsockname(2).
  public var localAddress: SocketAddress {
    get throws(NetError) { try descriptor.localAddress }
  }

  /// A second handle (a duplicated descriptor) to the same socket.
  public func tryClone() throws(NetError) -> HostUDPSocket {
    HostUDPSocket(try descriptor.duplicate(), family: family)
  }

  /// Sets SO_RCVTIMEO; zero is `invalidInput`.
  public func setReadTimeout(_ timeout: Duration?) throws(NetError) {
    try descriptor.setTimeout(.receive, timeout)
  }

  /// SO_RCVTIMEO; nil when unset.
  public var readTimeout: Duration? {
    get throws(NetError) { try descriptor.timeout(.receive) }
  }

  /// Sets SO_SNDTIMEO; zero is `invalidInput`.
  public func setWriteTimeout(_ timeout: Duration?) throws(NetError) {
    try descriptor.setTimeout(.send, timeout)
  }

  /// SO_SNDTIMEO; nil when unset.
  public var writeTimeout: Duration? {
    get throws(NetError) { try descriptor.timeout(.send) }
  }

  /// Sets or clears O_NONBLOCK.
  public func setNonblocking(_ nonblocking: Bool) throws(NetError) {
    try descriptor.setNonblocking(nonblocking)
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

  /// Sets SO_BROADCAST.
  public func setBroadcast(_ enabled: Bool) throws(NetError) {
    try descriptor.setFlag(.broadcast, enabled)
  }

  /// SO_BROADCAST.
  public var isBroadcastEnabled: Bool {
    get throws(NetError) { try descriptor.flag(.broadcast) }
  }

  /// IP_ADD_MEMBERSHIP.
  public func joinMulticast(v4 group: IPv4Address, interface: IPv4Address) throws(NetError) {
    try descriptor.perform { socket throws(DeviceError) in
      try socket.multicastV4(join: true, group: group.rawValue, interface: interface.rawValue)
    }
  }

  /// IP_DROP_MEMBERSHIP.
  public func leaveMulticast(v4 group: IPv4Address, interface: IPv4Address) throws(NetError) {
    try descriptor.perform { socket throws(DeviceError) in
      try socket.multicastV4(join: false, group: group.rawValue, interface: interface.rawValue)
    }
  }

  /// IPV6_ADD_MEMBERSHIP.
  public func joinMulticast(v6 group: IPv6Address, interface: UInt32) throws(NetError) {
    try descriptor.perform { socket throws(DeviceError) in
      try socket.multicastV6(join: true, high: group.high, low: group.low, interface: interface)
    }
  }

  /// IPV6_DROP_MEMBERSHIP.
  public func leaveMulticast(v6 group: IPv6Address, interface: UInt32) throws(NetError) {
    try descriptor.perform { socket throws(DeviceError) in
      try socket.multicastV6(join: false, high: group.high, low: group.low, interface: interface)
    }
  }

  /// Sets IP_MULTICAST_LOOP.
  public func setMulticastLoop(v4 enabled: Bool) throws(NetError) {
    try descriptor.setFlag(.multicastLoopV4, enabled)
  }

  /// IP_MULTICAST_LOOP.
  public var isMulticastLoopV4Enabled: Bool {
    get throws(NetError) { try descriptor.flag(.multicastLoopV4) }
  }

  /// Sets IP_MULTICAST_TTL.
  public func setMulticastTTL(v4 ttl: UInt32) throws(NetError) {
    try descriptor.setCount(.multicastTTLV4, ttl)
  }

  /// IP_MULTICAST_TTL.
  public var multicastTTLV4: UInt32 {
    get throws(NetError) { try descriptor.count(.multicastTTLV4) }
  }

  /// Sets IPV6_MULTICAST_LOOP.
  public func setMulticastLoop(v6 enabled: Bool) throws(NetError) {
    try descriptor.setFlag(.multicastLoopV6, enabled)
  }

  /// IPV6_MULTICAST_LOOP.
  public var isMulticastLoopV6Enabled: Bool {
    get throws(NetError) { try descriptor.flag(.multicastLoopV6) }
  }

  /// Rust's `Debug` form, like `HostUDPSocket { addr: 127.0.0.1:80, peer: 127.0.0.1:4000, fd: 5 }`.
  public var description: String {
    descriptor.describe("HostUDPSocket", withPeer: true)
  }

  /// Closes this handle; idempotent.
  public func close() {
    descriptor.close()
  }
}
