import UsnetStack
import UsnetWire

/// Everything a ``UserspaceRuntime`` guards with its lock: the stack, the waiters of its
/// sockets and the engine's bookkeeping.
///
/// Threading: not thread-safe; lives inside the runtime's `Mutex` and is only touched with
/// the lock held (by the engine thread or an application thread making a socket call).
struct RuntimeState {
  /// The sans-I/O stack.
  let stack: NetworkStack
  /// The waiter of every open socket, by the event the stack reports for it.
  var waiters: [SocketEvent: SocketWaiter] = [:]
  /// Scratch space for `takeSocketEvents`.
  var events: [SocketEvent] = []
  /// The reused transmit buffer.
  var frame: [UInt8] = []
  /// The offload metadata of the frame in `frame`.
  var metadata = VirtioNetHeader()
  /// Received frames, with buffers reused from round to round.
  var received = FrameBatch()
  /// The stack instant the engine sleeps until, or nil when it sleeps without a deadline.
  var plannedWake: Instant?
  /// Whether a blocked call waits in the device in `RuntimeEngine.drive` (no engine thread
  /// only): at most one thread does, the others wait on their sockets' waiters.
  var driving = false
  /// The waiters of the blocked calls that wait for the driving thread (no engine thread
  /// only); each is notified when the driver leaves, so that one of them takes over.
  var followers: [SocketWaiter] = []
  /// Set by `stop`; the engine exits at its next round.
  var stopping = false
  /// Whether `stop` has told the device that the runtime shut down.
  var deviceShutDown = false
  /// Why the runtime stopped, once it did.
  var failure: NetError?
  /// Frames the device refused to send.
  var sendFailures = 0

  /// Registers a waiter for `event`'s socket and returns it.
  mutating func register(_ event: SocketEvent) -> SocketWaiter {
    let waiter = SocketWaiter()
    waiters[event] = waiter
    return waiter
  }

  /// Feeds the stack up to `limit` frames waiting at `device`; returns how many there were.
  /// Frames go in before any timer runs, so an ACK that already arrived cancels its
  /// retransmission instead of racing it.
  ///
  /// - Throws: the device's receive error.
  mutating func receive(
    from device: any FrameDevice, limit: Int, at now: Instant
  ) throws(NetError) -> Int {
    received.removeAll()
    let count = try device.receive(into: &received, limit: limit)
    for index in 0..<received.count {
      let (buffer, range, metadata) = received.frame(at: index)
      stack.receive(frame: buffer, range: range, metadata: metadata, at: now)
    }
    received.removeAll()
    return count
  }

  /// Sends every frame the stack has for `device` now, then flushes the device.
  mutating func flush(to device: any FrameDevice, at now: Instant) {
    while stack.transmit(into: &frame, metadata: &metadata, at: now) {
      do {
        try device.send(frame, metadata: metadata)
      } catch {
        sendFailures += 1
      }
    }
    do {
      try device.flush()
    } catch {
      sendFailures += 1
    }
  }

  /// The waiters of the sockets whose state may have changed since the last call, with their
  /// epochs already advanced (under the lock, so no blocked call can miss the change); the
  /// caller wakes their sleepers after unlocking.
  mutating func takeWokenWaiters() -> [SocketWaiter] {
    stack.takeSocketEvents(into: &events)
    defer { events.removeAll(keepingCapacity: true) }
    let woken = events.compactMap { waiters[$0] }
    for waiter in woken { waiter.advance() }
    return woken
  }
}
