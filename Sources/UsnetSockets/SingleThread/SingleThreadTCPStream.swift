/// A TCP connection on a ``SingleThreadRuntime`` (the `Single` trait's backend), with
/// kernel-socket semantics: see ``TCPStreamProtocol`` for the contract.
///
/// It is a ``UserspaceTCPStream`` bound to a runtime without an engine thread: the same
/// connection core and stack, so options, errors and shutdown behave identically.
///
/// **Blocking.** A blocked `connect`, `read`, `peek` or `write` advances the stack itself
/// (see ``SingleThreadRuntime``) until it can proceed, its timeout expires (`wouldBlock`;
/// `timedOut` for connect) or, in nonblocking mode, throws `wouldBlock` at once.
///
/// **Threading.** Meant for the thread that drives its runtime; `Sendable` and memory-safe
/// from several threads all the same (see ``SingleThreadRuntime``).
public final class SingleThreadTCPStream: CustomStringConvertible, TCPStreamProtocol {
  /// The userspace stream this handle wraps.
  let base: UserspaceTCPStream

  init(_ base: UserspaceTCPStream) {
    self.base = base
  }

  /// Connects to `address` on `runtime`; with `timeout`, gives up with `timedOut`. Blocks,
  /// advancing the stack, until connected: the peer must answer meanwhile (another runtime
  /// is driven by its own thread or calls).
  ///
  /// - Throws: as ``UserspaceTCPStream/connect(to:timeout:on:)``.
  public static func connect(
    to address: SocketAddress, timeout: Duration?, on runtime: SingleThreadRuntime
  ) throws(NetError) -> SingleThreadTCPStream {
    SingleThreadTCPStream(
      try UserspaceTCPStream.connect(to: address, timeout: timeout, on: runtime.base))
  }

  /// Connects to `address` on the default runtime (``SingleThreadRuntime/setDefault(_:)``).
  ///
  /// - Throws: `invalidInput` when no default runtime is set and the environment has no valid
  ///   `USNET_SOCKETS`, or what the connect throws.
  public static func connect(
    to address: SocketAddress, timeout: Duration?
  ) throws(NetError) -> SingleThreadTCPStream {
    try connect(to: address, timeout: timeout, on: SingleThreadRuntime.requireDefault())
  }

  /// Reads into `buffer`; returns the count, 0 at the end of the stream.
  public func read(into buffer: inout [UInt8]) throws(NetError) -> Int {
    try base.read(into: &buffer)
  }

  /// Reads into `buffer[range]`.
  public func read(into buffer: inout [UInt8], range: Range<Int>) throws(NetError) -> Int {
    try base.read(into: &buffer, range: range)
  }

  /// Reads into `buffers` in order.
  public func read(into buffers: inout [[UInt8]]) throws(NetError) -> Int {
    try base.read(into: &buffers)
  }

  /// Copies queued bytes into `buffer` without consuming them.
  public func peek(into buffer: inout [UInt8]) throws(NetError) -> Int {
    try base.peek(into: &buffer)
  }

  /// Queues some of `bytes`.
  public func write(_ bytes: [UInt8]) throws(NetError) -> Int {
    try base.write(bytes)
  }

  /// Queues some of `bytes[range]`.
  public func write(_ bytes: [UInt8], range: Range<Int>) throws(NetError) -> Int {
    try base.write(bytes, range: range)
  }

  /// Queues some of the concatenation of `buffers`.
  public func write(_ buffers: [[UInt8]]) throws(NetError) -> Int {
    try base.write(buffers)
  }

  /// Shuts down reading, writing or both for every handle.
  public func shutdown(_ how: Shutdown) throws(NetError) {
    try base.shutdown(how)
  }

  /// A second handle to the same connection.
  public func tryClone() throws(NetError) -> SingleThreadTCPStream {
    SingleThreadTCPStream(try base.tryClone())
  }

  /// Sets the read timeout (nil: block forever). Zero is `invalidInput`.
  public func setReadTimeout(_ timeout: Duration?) throws(NetError) {
    try base.setReadTimeout(timeout)
  }

  /// The read timeout.
  public var readTimeout: Duration? {
    get throws(NetError) { try base.readTimeout }
  }

  /// Sets the write timeout (nil: block forever). Zero is `invalidInput`.
  public func setWriteTimeout(_ timeout: Duration?) throws(NetError) {
    try base.setWriteTimeout(timeout)
  }

  /// The write timeout.
  public var writeTimeout: Duration? {
    get throws(NetError) { try base.writeTimeout }
  }

  /// Turns nonblocking mode on or off for every handle.
  public func setNonblocking(_ nonblocking: Bool) throws(NetError) {
    try base.setNonblocking(nonblocking)
  }

  /// Turns Nagle's algorithm off (`true`) or on.
  public func setNoDelay(_ enabled: Bool) throws(NetError) {
    try base.setNoDelay(enabled)
  }

  /// Whether Nagle's algorithm is off.
  public var isNoDelayEnabled: Bool {
    get throws(NetError) { try base.isNoDelayEnabled }
  }

  /// Sets the IPv4 TTL of the connection's packets (1 to 255).
  public func setTTL(_ ttl: UInt32) throws(NetError) {
    try base.setTTL(ttl)
  }

  /// The IPv4 TTL of the connection's packets.
  public var ttl: UInt32 {
    get throws(NetError) { try base.ttl }
  }

  /// Sets `SO_LINGER` for the last close (see ``UserspaceTCPStream/setLinger(_:)``).
  public func setLinger(_ linger: Duration?) throws(NetError) {
    try base.setLinger(linger)
  }

  /// The `SO_LINGER` setting.
  public var linger: Duration? {
    get throws(NetError) { try base.linger }
  }

  /// Sets the user timeout (whole milliseconds); nil turns it off. It is enforced only while
  /// the runtime is driven.
  public func setUserTimeout(_ timeout: Duration?) throws(NetError) {
    try base.setUserTimeout(timeout)
  }

  /// The user timeout, or nil when off.
  public var userTimeout: Duration? {
    get throws(NetError) { try base.userTimeout }
  }

  /// Turns keep-alive probing on or off. Probes go out only while the runtime is driven.
  public func setKeepAlive(_ enabled: Bool) throws(NetError) {
    try base.setKeepAlive(enabled)
  }

  /// Whether keep-alive probing is on.
  public var isKeepAliveEnabled: Bool {
    get throws(NetError) { try base.isKeepAliveEnabled }
  }

  /// The local address of the connection.
  public var localAddress: SocketAddress {
    get throws(NetError) { try base.localAddress }
  }

  /// The peer's address; `notConnected` once the connection is closed.
  public var peerAddress: SocketAddress {
    get throws(NetError) { try base.peerAddress }
  }

  /// Returns and clears the connection's error.
  public func takeError() throws(NetError) -> NetError? {
    try base.takeError()
  }

  /// Rust's `Debug` form, like
  /// `SingleThreadTCPStream { addr: 198.18.0.1:40000, peer: 198.18.0.2:80, socket: tcp#0.1 }`.
  public var description: String {
    SingleThreadNames.rename(base.description)
  }

  /// Releases this handle; the connection closes (FIN) when its last handle goes.
  public func close() {
    base.close()
  }
}

/// The `description` prefix of the single-thread types.
enum SingleThreadNames {
  /// `description` of a userspace type, renamed to its single-thread wrapper.
  static func rename(_ description: String) -> String {
    guard description.hasPrefix("Userspace") else { return description }
    return "SingleThread" + description.dropFirst("Userspace".count)
  }
}
