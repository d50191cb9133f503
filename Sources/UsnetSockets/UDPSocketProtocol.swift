import UsnetWire

/// A UDP socket with kernel-socket semantics (Rust's `std::net::UdpSocket`), the contract
/// every usnet backend implements identically.
///
/// **Blocking.** Receives (and sends, when the send buffer is full) block the calling thread
/// unless nonblocking mode is on (then they throw `wouldBlock`). An expired read or write
/// timeout throws `wouldBlock`, as on Linux. `EINTR` is retried inside. Make blocking calls
/// from your own threads, never from Swift concurrency's cooperative pool.
///
/// **Threading.** Conforming types are `Sendable` classes, safe to share across threads;
/// several threads may send and receive at once. ``tryClone()`` gives a second handle to the
/// same socket, sharing its options and connected peer.
///
/// **Broadcast and multicast.** The option calls always exist and never crash. A backend that
/// cannot do them yet throws `unsupported` ("... not built yet"); each conforming type says in
/// its documentation which it does.
///
/// **Lifetime.** ``close()`` releases this handle (idempotent); deinitialising closes it too.
public protocol UDPSocketProtocol: AnyObject, Sendable {
  /// Binds `address`; port 0 picks a free port.
  ///
  /// - Throws: `addrInUse`, `addrNotAvailable`, `permissionDenied`, `invalidInput` …
  static func bind(to address: SocketAddress) throws(NetError) -> Self

  /// Sends `bytes` as one datagram to `address`; returns `bytes.count`.
  ///
  /// - Throws: `messageTooLong` for a datagram that cannot be sent whole, `invalidInput` for
  ///   an address of the other IP version, `permissionDenied` for a broadcast address without
  ///   ``setBroadcast(_:)`` …
  func send(_ bytes: [UInt8], to address: SocketAddress) throws(NetError) -> Int

  /// Receives one datagram into `buffer`; returns its length (at most `buffer.count`: excess
  /// bytes are discarded) and its sender. Blocks until a datagram is there.
  func receiveFrom(
    into buffer: inout [UInt8]
  ) throws(NetError) -> (
    count: Int, peer: SocketAddress
  )

  /// As ``receiveFrom(into:)`` but leaves the datagram queued (MSG_PEEK).
  func peekFrom(into buffer: inout [UInt8]) throws(NetError) -> (count: Int, peer: SocketAddress)

  /// Sets the default destination for ``send(_:)`` and the only source ``receive(into:)``
  /// accepts. Sends nothing: a peer that is not listening shows up as an error on a later
  /// call.
  func connect(to address: SocketAddress) throws(NetError)

  /// Sends `bytes` as one datagram to the connected peer. `notConnected` when unconnected.
  func send(_ bytes: [UInt8]) throws(NetError) -> Int

  /// Receives one datagram from the connected peer. `notConnected` when unconnected.
  func receive(into buffer: inout [UInt8]) throws(NetError) -> Int

  /// As ``receive(into:)`` but leaves the datagram queued.
  func peek(into buffer: inout [UInt8]) throws(NetError) -> Int

  /// The connected peer; `notConnected` when unconnected.
  var peerAddress: SocketAddress { get throws(NetError) }
  /// The bound address.
  var localAddress: SocketAddress { get throws(NetError) }

  /// A second handle to the same socket.
  func tryClone() throws(NetError) -> Self

  /// Sets the receive timeout; nil blocks forever (the default). Zero is `invalidInput`.
  func setReadTimeout(_ timeout: Duration?) throws(NetError)
  /// The receive timeout; nil when receives block forever.
  var readTimeout: Duration? { get throws(NetError) }
  /// Sets the send timeout; nil blocks forever (the default). Zero is `invalidInput`.
  func setWriteTimeout(_ timeout: Duration?) throws(NetError)
  /// The send timeout; nil when sends block forever.
  var writeTimeout: Duration? { get throws(NetError) }

  /// Turns nonblocking mode on or off.
  func setNonblocking(_ nonblocking: Bool) throws(NetError)

  /// Sets the IPv4 time-to-live of outgoing datagrams (IP_TTL).
  func setTTL(_ ttl: UInt32) throws(NetError)
  /// The IPv4 time-to-live of outgoing datagrams.
  var ttl: UInt32 { get throws(NetError) }

  /// Returns and clears the pending socket error (SO_ERROR), nil when there is none.
  func takeError() throws(NetError) -> NetError?

  /// Allows or forbids sending to broadcast addresses (SO_BROADCAST).
  func setBroadcast(_ enabled: Bool) throws(NetError)
  /// Whether sending to broadcast addresses is allowed.
  var isBroadcastEnabled: Bool { get throws(NetError) }

  /// Joins the IPv4 multicast `group` on the interface with address `interface` (0.0.0.0:
  /// the system's choice).
  func joinMulticast(v4 group: IPv4Address, interface: IPv4Address) throws(NetError)
  /// Leaves an IPv4 multicast group joined with ``joinMulticast(v4:interface:)``.
  func leaveMulticast(v4 group: IPv4Address, interface: IPv4Address) throws(NetError)
  /// Joins the IPv6 multicast `group` on the interface with index `interface` (0: any).
  func joinMulticast(v6 group: IPv6Address, interface: UInt32) throws(NetError)
  /// Leaves an IPv6 multicast group joined with ``joinMulticast(v6:interface:)``.
  func leaveMulticast(v6 group: IPv6Address, interface: UInt32) throws(NetError)

  /// Whether IPv4 multicast datagrams sent here loop back to local receivers
  /// (IP_MULTICAST_LOOP).
  func setMulticastLoop(v4 enabled: Bool) throws(NetError)
  /// The IPv4 multicast loop setting.
  var isMulticastLoopV4Enabled: Bool { get throws(NetError) }
  /// The time-to-live of outgoing IPv4 multicast datagrams (IP_MULTICAST_TTL).
  func setMulticastTTL(v4 ttl: UInt32) throws(NetError)
  /// The IPv4 multicast time-to-live.
  var multicastTTLV4: UInt32 { get throws(NetError) }
  /// Whether IPv6 multicast datagrams sent here loop back (IPV6_MULTICAST_LOOP).
  func setMulticastLoop(v6 enabled: Bool) throws(NetError)
  /// The IPv6 multicast loop setting.
  var isMulticastLoopV6Enabled: Bool { get throws(NetError) }

  /// Closes this handle. Idempotent; later calls on it fail (EBADF). A call blocked in
  /// another thread on this handle is not interrupted.
  func close()
}
