import Synchronization
import UsnetStack

#if canImport(Glibc)
  import Glibc
#endif

/// The state of one userspace TCP connection, shared by every handle of it (see
/// ``UserspaceTCPStream/tryClone()``). Deinitialising it (when the last handle goes) closes
/// the connection in the stack, gracefully, as closing the last fd does.
///
/// Threading: thread-safe. Stack calls go through the runtime's lock; the options have their
/// own lock, always taken after the runtime's (never the other way round).
final class TCPStreamCore: Sendable {
  struct Options {
    var readTimeout: Duration?
    var writeTimeout: Duration?
    var nonblocking = false
    var noDelay = false
    /// `SO_LINGER`: nil closes in the background; zero resets the connection on close; a
    /// positive duration makes the last close wait up to that long for the data to be
    /// acknowledged.
    var linger: Duration?
    /// The connection's error has been returned once; like Linux (which clears SO_ERROR
    /// when it reports it), later reads see the end of the stream and writes `brokenPipe`.
    var errorReported = false
  }

  let runtime: UserspaceRuntime
  let id: TCPSocketID
  let waiter: SocketWaiter
  let options = Mutex(Options())

  init(runtime: UserspaceRuntime, id: TCPSocketID, waiter: SocketWaiter) {
    self.runtime = runtime
    self.id = id
    self.waiter = waiter
  }

  deinit {
    let id = id
    let linger = options.withLock { $0.linger }
    if linger == .zero {
      runtime.engine.release(.tcp(id)) { stack, now in stack.abort(id, at: now) }
      return
    }
    runtime.engine.release(.tcp(id)) { stack, now in stack.close(id, at: now) }
    if let linger { waitForSentData(id: id, upTo: linger) }
  }

  /// SO_LINGER with a timeout: waits (polling every few milliseconds; a rare path) until the
  /// peer has acknowledged everything including our FIN, the connection is gone, or the time
  /// is up, as a lingering `close` blocks on Linux.
  private func waitForSentData(id: TCPSocketID, upTo linger: Duration) {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: linger)
    while clock.now < deadline {
      let finished =
        (try? runtime.engine.withStack { (state, _) throws(StackError) -> Bool in
          guard let info = state.stack.info(id) else { return true }
          switch info.state {
          case .finWait2, .timeWait, .closed: return true
          default:
            return info.bytesUnacknowledged == 0 && info.state != .finWait1
              && info.state != .closing && info.state != .lastAck
          }
        }) ?? true
      if finished { return }
      usleep(5000)
    }
  }

  /// Reads or peeks into `buffer[range]`; blocks per the options.
  func read(into buffer: inout [UInt8], range: Range<Int>, peek: Bool) throws(NetError) -> Int {
    try checkRange(range, count: buffer.count)
    if range.isEmpty { return 0 }
    let (deadline, nonblocking) = options.withLock {
      (Deadline.after($0.readTimeout), $0.nonblocking)
    }
    let id = id
    return try runtime.engine.block(on: waiter, until: deadline, nonblocking: nonblocking) {
      (state, now) throws(StackError) -> Int? in
      do throws(StackError) {
        return peek
          ? try state.stack.peek(id, into: &buffer, range: range, at: now)
          : try state.stack.receive(id, into: &buffer, range: range, at: now)
      } catch {
        guard case .connection = error else { throw error }
        if reportError() { throw error }
        return 0
      }
    }
  }

  /// Reads into `buffers` in order, filling each before the next; blocks per the options
  /// until at least one byte or the end of the stream is there.
  func read(into buffers: inout [[UInt8]]) throws(NetError) -> Int {
    guard buffers.contains(where: { !$0.isEmpty }) else { return 0 }
    let (deadline, nonblocking) = options.withLock {
      (Deadline.after($0.readTimeout), $0.nonblocking)
    }
    let id = id
    return try runtime.engine.block(on: waiter, until: deadline, nonblocking: nonblocking) {
      (state, now) throws(StackError) -> Int? in
      var total = 0
      for index in buffers.indices where !buffers[index].isEmpty {
        let count: Int?
        do throws(StackError) {
          count = try state.stack.receive(id, into: &buffers[index], at: now)
        } catch {
          if total > 0 { return total }
          guard case .connection = error else { throw error }
          if reportError() { throw error }
          return 0
        }
        guard let count else { return total > 0 ? total : nil }
        total += count
        if count < buffers[index].count { return total }
      }
      return total
    }
  }

  /// Queues some of `bytes[range]`; blocks per the options until at least one byte is taken.
  func write(_ bytes: [UInt8], range: Range<Int>) throws(NetError) -> Int {
    try checkRange(range, count: bytes.count)
    if range.isEmpty { return 0 }
    let (deadline, nonblocking) = options.withLock {
      (Deadline.after($0.writeTimeout), $0.nonblocking)
    }
    let id = id
    return try runtime.engine.block(on: waiter, until: deadline, nonblocking: nonblocking) {
      (state, now) throws(StackError) -> Int? in
      do throws(StackError) {
        let taken = try state.stack.send(id, bytes, range: range, at: now)
        return taken > 0 ? taken : nil
      } catch {
        guard case .connection = error else { throw error }
        if reportError() { throw error }
        throw .brokenPipe
      }
    }
  }

  /// Shuts down one or both directions and wakes this connection's blocked calls.
  func shutdown(_ how: Shutdown) throws(NetError) {
    let id = id
    let read = how != .write
    let write = how != .read
    try runtime.engine.withStack { (state, now) throws(StackError) in
      try state.stack.shutdown(id, read: read, write: write, at: now)
    }
    waiter.notify()
  }

  /// A snapshot of the connection.
  func info() throws(NetError) -> TCPConnectionInfo {
    let id = id
    return try runtime.engine.withStack { (state, _) throws(StackError) in
      guard let info = state.stack.info(id) else { throw .invalidHandle }
      return info
    }
  }

  /// Turns Nagle's algorithm off or on.
  func setNoDelay(_ enabled: Bool) throws(NetError) {
    let id = id
    try runtime.engine.withStack { (state, _) throws(StackError) in
      try state.stack.setNoDelay(id, enabled)
    }
    options.withLock { $0.noDelay = enabled }
  }

  /// Returns the connection's error once (SO_ERROR semantics), nil when there is none or it
  /// was already reported.
  func takeError() throws(NetError) -> NetError? {
    guard let error = try info().error else { return nil }
    return reportError() ? NetError(.connection(error)) : nil
  }

  /// Marks the connection's error reported; returns whether it had not been before.
  private func reportError() -> Bool {
    options.withLock { options in
      defer { options.errorReported = true }
      return !options.errorReported
    }
  }

  private func checkRange(_ range: Range<Int>, count: Int) throws(NetError) {
    guard range.lowerBound >= 0, range.upperBound <= count else {
      throw NetError(
        .invalidInput, errno: EINVAL,
        message: "range \(range) outside a buffer of \(count) bytes")
    }
  }
}
