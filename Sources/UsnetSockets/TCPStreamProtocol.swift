/// A connected TCP socket with kernel-socket semantics (Rust's `std::net::TcpStream`), the
/// contract every usnet backend (Host, userspace) implements identically.
///
/// **Blocking.** Unless nonblocking mode is on (``setNonblocking(_:)``), `connect`, `read`,
/// `peek` and `write` block the calling thread: a read until at least one byte or the end of
/// the stream is there, a write until at least one byte was taken. A read or write timeout that
/// expires throws ``NetError/Kind/wouldBlock`` (as Linux and Rust on Unix do; never
/// `timedOut`); in nonblocking mode a call that cannot make progress throws `wouldBlock` at
/// once. `EINTR` is retried inside. Blocking calls park an OS thread: make them from your own
/// threads, never from Swift concurrency's cooperative pool.
///
/// **Threading.** Conforming types are `Sendable` classes, safe to share across threads: one
/// thread may read while another writes, and several may read or write at once, as on a kernel
/// socket. ``tryClone()`` gives a second handle to the same connection; options, nonblocking
/// mode, timeouts and shutdown state are shared by all handles.
///
/// **Lifetime.** ``close()`` releases this handle (idempotent); deinitialising the handle
/// closes it too. The connection ends when its last handle is closed.
public protocol TCPStreamProtocol: AnyObject, Sendable {
  /// Connects to `address`; with a `timeout`, fails with `timedOut` when the handshake has not
  /// completed within it (a zero timeout is `invalidInput`). Blocks until connected.
  ///
  /// - Throws: `connectionRefused`, `timedOut`, `hostUnreachable`, `networkUnreachable`,
  ///   `addrNotAvailable`, `invalidInput` …
  static func connect(to address: SocketAddress, timeout: Duration?) throws(NetError) -> Self

  /// Reads up to `buffer.count` bytes into `buffer[0...]`; returns how many, 0 at the end of
  /// the stream (and for an empty buffer). Blocks until one byte or the end is there.
  func read(into buffer: inout [UInt8]) throws(NetError) -> Int

  /// Reads up to `range.count` bytes into `buffer[range]`; otherwise as ``read(into:)``.
  /// A range outside `buffer` is `invalidInput`.
  func read(into buffer: inout [UInt8], range: Range<Int>) throws(NetError) -> Int

  /// Reads into `buffers` in order, filling each before the next (Rust's `read_vectored`);
  /// returns the total. Empty buffers are skipped. Blocks as ``read(into:)``.
  func read(into buffers: inout [[UInt8]]) throws(NetError) -> Int

  /// Copies up to `buffer.count` queued bytes into `buffer` without consuming them (MSG_PEEK);
  /// blocks as ``read(into:)``.
  func peek(into buffer: inout [UInt8]) throws(NetError) -> Int

  /// Writes some of `bytes`; returns how many were taken (at least 1 unless `bytes` is
  /// empty). Blocks until the send buffer takes at least one byte.
  ///
  /// - Throws: `brokenPipe` after a write shutdown or once the peer is gone (never SIGPIPE),
  ///   `connectionReset` …
  func write(_ bytes: [UInt8]) throws(NetError) -> Int

  /// Writes some of `bytes[range]`; otherwise as ``write(_:)``. A range outside `bytes` is
  /// `invalidInput`.
  func write(_ bytes: [UInt8], range: Range<Int>) throws(NetError) -> Int

  /// Writes some of the concatenation of `buffers` (Rust's `write_vectored`); returns how many
  /// bytes were taken, from the front.
  func write(_ buffers: [[UInt8]]) throws(NetError) -> Int

  /// Shuts down reading, writing or both, for every handle of the connection. `.write` sends
  /// a FIN after the queued data and makes later writes fail with `brokenPipe`; `.read` makes
  /// blocked and later reads return 0. Repeating a shutdown succeeds (Linux).
  func shutdown(_ how: Shutdown) throws(NetError)

  /// A second handle to the same connection, sharing its state.
  func tryClone() throws(NetError) -> Self

  /// Sets the read timeout; nil blocks forever (the default). Zero is `invalidInput`
  /// ("cannot set a 0 duration timeout").
  func setReadTimeout(_ timeout: Duration?) throws(NetError)
  /// The read timeout; nil when reads block forever.
  var readTimeout: Duration? { get throws(NetError) }
  /// Sets the write timeout; nil blocks forever (the default). Zero is `invalidInput`.
  func setWriteTimeout(_ timeout: Duration?) throws(NetError)
  /// The write timeout; nil when writes block forever.
  var writeTimeout: Duration? { get throws(NetError) }

  /// Turns nonblocking mode on or off: calls that cannot proceed throw `wouldBlock` at once.
  func setNonblocking(_ nonblocking: Bool) throws(NetError)

  /// Turns Nagle's algorithm off (`true`, TCP_NODELAY) or on (`false`, the default).
  func setNoDelay(_ enabled: Bool) throws(NetError)
  /// Whether TCP_NODELAY is set.
  var isNoDelayEnabled: Bool { get throws(NetError) }

  /// Sets the IPv4 time-to-live of outgoing packets (IP_TTL).
  func setTTL(_ ttl: UInt32) throws(NetError)
  /// The IPv4 time-to-live of outgoing packets.
  var ttl: UInt32 { get throws(NetError) }

  /// Sets SO_LINGER: with a duration, closing waits up to it for queued data to be sent; nil
  /// (the default) closes in the background.
  func setLinger(_ linger: Duration?) throws(NetError)
  /// The SO_LINGER duration, or nil when off.
  var linger: Duration? { get throws(NetError) }

  /// Sets the user timeout (TCP_USER_TIMEOUT, RFC 5482 with Linux's meaning): how long sent
  /// data may stay unacknowledged, or the peer's window stay closed, before the connection
  /// fails with `timedOut`; nil (the default) leaves it to the retry counts. Whole
  /// milliseconds; a zero or negative duration is `invalidInput`.
  func setUserTimeout(_ timeout: Duration?) throws(NetError)
  /// The user timeout, or nil when off.
  var userTimeout: Duration? { get throws(NetError) }

  /// Turns TCP keep-alive probes on or off (SO_KEEPALIVE; off by default).
  func setKeepAlive(_ enabled: Bool) throws(NetError)
  /// Whether keep-alive probes are on.
  var isKeepAliveEnabled: Bool { get throws(NetError) }

  /// The local address of the connection.
  var localAddress: SocketAddress { get throws(NetError) }
  /// The address of the peer; `notConnected` once it is gone.
  var peerAddress: SocketAddress { get throws(NetError) }

  /// Returns and clears the pending socket error (SO_ERROR), nil when there is none.
  func takeError() throws(NetError) -> NetError?

  /// Closes this handle. Idempotent; later calls on it throw an error of kind `other` with
  /// errno EBADF. A call blocked in another thread on this handle is not interrupted (use
  /// ``shutdown(_:)`` for that); the handle's resources are released when it returns.
  func close()
}

extension TCPStreamProtocol {
  /// Connects to `address` without a timeout (Rust's `TcpStream::connect`).
  public static func connect(to address: SocketAddress) throws(NetError) -> Self {
    try connect(to: address, timeout: nil)
  }

  /// Fills `buffer` completely, retrying `interrupted`.
  ///
  /// - Throws: `unexpectedEof` when the stream ends first (the bytes read so far stay in
  ///   `buffer`), or the error of the failing read.
  public func readExact(into buffer: inout [UInt8]) throws(NetError) {
    var filled = 0
    while filled < buffer.count {
      let count: Int
      do throws(NetError) {
        count = try read(into: &buffer, range: filled..<buffer.count)
      } catch {
        if error.kind == .interrupted { continue }
        throw error
      }
      guard count > 0 else {
        throw NetError(.unexpectedEof, message: "failed to fill whole buffer")
      }
      filled += count
    }
  }

  /// Writes all of `bytes`, retrying `interrupted`.
  ///
  /// - Throws: `writeZero` when a write takes no byte, or the error of the failing write.
  public func writeAll(_ bytes: [UInt8]) throws(NetError) {
    var written = 0
    while written < bytes.count {
      let count: Int
      do throws(NetError) {
        count = try write(bytes, range: written..<bytes.count)
      } catch {
        if error.kind == .interrupted { continue }
        throw error
      }
      guard count > 0 else {
        throw NetError(.writeZero, message: "failed to write whole buffer")
      }
      written += count
    }
  }
}
