import UsnetDevice

/// A TCP connection on a kernel socket: the Host backend of ``TCPStreamProtocol``, with Rust
/// std's semantics on Linux.
///
/// Errors carry the kernel's errno and the kind Rust gives it. An expired read or write
/// timeout is `wouldBlock` (EAGAIN), as on Linux and in Rust on Unix. Writes use
/// `MSG_NOSIGNAL`: writing to a closed connection throws `brokenPipe`, never SIGPIPE. Timeouts
/// use SO_RCVTIMEO / SO_SNDTIMEO (microsecond precision, as std); `connect(to:timeout:)` is a
/// nonblocking connect and poll. Vectored reads and writes gather into one contiguous
/// `recv`/`send`, which is what `readv`/`writev` do on a stream socket.
///
/// **Blocking and threading:** see ``TCPStreamProtocol``. Safe to share across threads;
/// blocking calls belong on your own threads, not on Swift concurrency's cooperative pool.
public final class HostTCPStream: CustomStringConvertible, TCPStreamProtocol {
  let descriptor: HostDescriptor

  init(_ socket: KernelSocket) {
    descriptor = HostDescriptor(socket)
  }

  /// Connects to `address`, waiting at most `timeout` (nil: the kernel's own limit).
  ///
  /// - Throws: `invalidInput` for a zero timeout ("cannot set a 0 duration timeout");
  ///   `timedOut` when it expires; `connectionRefused` …
  public static func connect(
    to address: SocketAddress, timeout: Duration?
  ) throws(NetError) -> HostTCPStream {
    if let timeout, timeout <= .zero {
      throw NetError(.invalidInput, message: "cannot set a 0 duration timeout")
    }
    let stream: HostTCPStream
    do throws(DeviceError) {
      stream = HostTCPStream(try KernelSocket.open(family: address.family, kind: .stream))
    } catch {
      throw NetError(error)
    }
    try stream.descriptor.perform { socket throws(DeviceError) in
      try socket.connect(to: address.kernel, timeout: timeout)
    }
    return stream
  }

  /// Reads up to `buffer.count` bytes; see ``TCPStreamProtocol/read(into:)``.
  public func read(into buffer: inout [UInt8]) throws(NetError) -> Int {
    try descriptor.receive(into: &buffer, range: 0..<buffer.count, peek: false).count
  }

  /// Reads into `buffer[range]`; see ``TCPStreamProtocol/read(into:range:)``.
  public func read(into buffer: inout [UInt8], range: Range<Int>) throws(NetError) -> Int {
    try descriptor.receive(into: &buffer, range: range, peek: false).count
  }

  /// Reads into `buffers` in order with one `recv`; see ``TCPStreamProtocol/read(into:)``.
  public func read(into buffers: inout [[UInt8]]) throws(NetError) -> Int {
    let total = buffers.reduce(0) { $0 + $1.count }
    guard total > 0 else { return 0 }
    var gathered = [UInt8](repeating: 0, count: total)
    let count = try descriptor.receive(into: &gathered, range: 0..<total, peek: false).count
    var offset = 0
    for index in buffers.indices where offset < count {
      let length = min(buffers[index].count, count - offset)
      buffers[index].replaceSubrange(0..<length, with: gathered[offset..<(offset + length)])
      offset += length
    }
    return count
  }

  /// Copies queued bytes without consuming them; see ``TCPStreamProtocol/peek(into:)``.
  public func peek(into buffer: inout [UInt8]) throws(NetError) -> Int {
    try descriptor.receive(into: &buffer, range: 0..<buffer.count, peek: true).count
  }

  /// Writes some of `bytes`; see ``TCPStreamProtocol/write(_:)``.
  public func write(_ bytes: [UInt8]) throws(NetError) -> Int {
    try descriptor.send(bytes, range: 0..<bytes.count, to: nil)
  }

  /// Writes some of `bytes[range]`; see ``TCPStreamProtocol/write(_:range:)``.
  public func write(_ bytes: [UInt8], range: Range<Int>) throws(NetError) -> Int {
    try descriptor.send(bytes, range: range, to: nil)
  }

  /// Writes some of the concatenation of `buffers` with one `send`.
  public func write(_ buffers: [[UInt8]]) throws(NetError) -> Int {
    let gathered = Array(buffers.joined())
    return try descriptor.send(gathered, range: 0..<gathered.count, to: nil)
  }

  /// shutdown(2); see ``TCPStreamProtocol/shutdown(_:)``.
  public func shutdown(_ how: Shutdown) throws(NetError) {
    let direction: KernelSocket.ShutdownDirection =
      switch how {
      case .read: .read
      case .write: .write
      case .both: .both
      }
    try descriptor.perform { socket throws(DeviceError) in try socket.shutdown(direction) }
  }

  /// A second handle (a duplicated descriptor) to the same connection.
  public func tryClone() throws(NetError) -> HostTCPStream {
    HostTCPStream(try descriptor.duplicate())
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

  /// Sets or clears O_NONBLOCK (shared by every clone).
  public func setNonblocking(_ nonblocking: Bool) throws(NetError) {
    try descriptor.setNonblocking(nonblocking)
  }

  /// Sets TCP_NODELAY.
  public func setNoDelay(_ enabled: Bool) throws(NetError) {
    try descriptor.setFlag(.noDelay, enabled)
  }

  /// TCP_NODELAY.
  public var isNoDelayEnabled: Bool {
    get throws(NetError) { try descriptor.flag(.noDelay) }
  }

  /// Sets IP_TTL.
  public func setTTL(_ ttl: UInt32) throws(NetError) {
    try descriptor.setCount(.timeToLive, ttl)
  }

  /// IP_TTL.
  public var ttl: UInt32 {
    get throws(NetError) { try descriptor.count(.timeToLive) }
  }

  /// Sets SO_LINGER in whole seconds (fractions are dropped, as std does).
  public func setLinger(_ linger: Duration?) throws(NetError) {
    let seconds = linger.map { Int32(clamping: max(0, $0.components.seconds)) }
    try descriptor.perform { socket throws(DeviceError) in try socket.setLinger(seconds: seconds) }
  }

  /// SO_LINGER; nil when off.
  public var linger: Duration? {
    get throws(NetError) {
      let seconds = try descriptor.perform { socket throws(DeviceError) in try socket.linger() }
      return seconds.map { .seconds($0) }
    }
  }

  /// Sets TCP_USER_TIMEOUT in whole milliseconds (at least one); nil turns it off.
  public func setUserTimeout(_ timeout: Duration?) throws(NetError) {
    try descriptor.setOption(.userTimeout, try UserTimeout.milliseconds(timeout))
  }

  /// TCP_USER_TIMEOUT; nil when off.
  public var userTimeout: Duration? {
    get throws(NetError) {
      let milliseconds = try descriptor.option(.userTimeout)
      return milliseconds == 0 ? nil : .milliseconds(milliseconds)
    }
  }

  /// Sets SO_KEEPALIVE.
  public func setKeepAlive(_ enabled: Bool) throws(NetError) {
    try descriptor.setFlag(.keepAlive, enabled)
  }

  /// SO_KEEPALIVE.
  public var isKeepAliveEnabled: Bool {
    get throws(NetError) { try descriptor.flag(.keepAlive) }
  }

  /// getsockname(2).
  public var localAddress: SocketAddress {
    get throws(NetError) { try descriptor.localAddress }
  }

  /// getpeername(2); `notConnected` once the connection is gone.
  public var peerAddress: SocketAddress {
    get throws(NetError) { try descriptor.peerAddress }
  }

  /// Reads and clears SO_ERROR.
  public func takeError() throws(NetError) -> NetError? {
    try descriptor.takeError()
  }

  /// Rust's `Debug` form, like `HostTCPStream { addr: 127.0.0.1:80, peer: 127.0.0.1:4000, fd: 5 }`.
  public var description: String {
    descriptor.describe("HostTCPStream", withPeer: true)
  }

  /// Closes this handle; idempotent.
  public func close() {
    descriptor.close()
  }
}
