import Foundation
import Synchronization
import UsnetStack

#if canImport(Glibc)
  import Glibc
#endif

/// The engine of a ``UserspaceRuntime``: the stack under a lock, the device, and the engine
/// thread that feeds received frames and timers to the stack.
///
/// Threading contract: every stack call and every device `send`/`receive` happens with the
/// lock held, either on the engine thread (received frames, timers) or on an application
/// thread making a socket call (``withStack(_:)``). Whoever holds the lock first takes in a
/// batch of received frames, then makes its calls, then transmits what the stack queued, so
/// a write goes out on the writer's thread and a timer never fires ahead of an ACK that has
/// already arrived. After unlocking, the caller wakes exactly the waiters of the sockets the
/// stack reported in `takeSocketEvents`, and wakes the engine when the stack's next deadline
/// moved earlier than the engine's planned wake-up.
///
/// Without an engine thread (`threaded == false`, the single-thread backend) nothing runs in
/// the background: a blocked call drives the stack itself (``drive(until:)``), waiting in
/// the device for a frame, its own deadline or the stack's next timer, and retries.
final class RuntimeEngine: Sendable {
  /// The clock mapping wall time to stack instants.
  let clock = RuntimeClock()
  /// The device the engine drives.
  let device: any FrameDevice
  /// The stack's configuration.
  let configuration: StackConfiguration
  /// The most frames handled per round before the stack transmits.
  let batchSize = 64
  private let state: Mutex<RuntimeState>
  private let exited = SocketWaiter()
  /// Whether an engine thread runs the stack in the background; without one, blocked calls
  /// drive it.
  let threaded: Bool

  /// Takes `stack` and `device`; ``start()`` launches the engine thread when `threaded`.
  init(stack: sending NetworkStack, device: any FrameDevice, threaded: Bool = true) {
    configuration = stack.configuration
    self.device = device
    self.threaded = threaded
    state = Mutex(RuntimeState(stack: stack))
  }

  /// Launches the engine thread (nothing without one).
  func start() {
    guard threaded else { return }
    let thread = Thread { [self] in run() }
    thread.name = "usnet-engine"
    thread.start()
  }

  /// Runs `body` on the stack with the lock held, at the current time, then transmits,
  /// wakes the sockets that changed and (if needed) the engine. Blocks only for the lock.
  ///
  /// - Throws: the stack's error mapped to ``NetError``, or `networkDown` once the runtime
  ///   stopped.
  func withStack<R: Sendable>(
    _ body: (inout RuntimeState, Instant) throws(StackError) -> R
  ) throws(NetError) -> R {
    let (result, woken, wakeEngine) = state.withLock { state in
      if state.stopping {
        let error =
          state.failure ?? NetError(.networkDown, message: "the userspace runtime was shut down")
        return (Result<R, NetError>.failure(error), [SocketWaiter](), false)
      }
      let now = clock.now
      // Take in what arrived first, so the call sees it and no timer races it; a device
      // error is left for the engine thread to report.
      _ = try? state.receive(from: device, limit: batchSize, at: now)
      let result: Result<R, NetError>
      do throws(StackError) {
        result = .success(try body(&state, now))
      } catch {
        result = .failure(NetError(error))
      }
      state.flush(to: device, at: now)
      var wakeEngine = false
      if let deadline = state.stack.nextDeadline,
        state.plannedWake.map({ deadline < $0 }) ?? true
      {
        state.plannedWake = deadline
        wakeEngine = true
      }
      let woken = state.takeWokenWaiters()
      if !threaded {
        // Another thread blocked in `drive` waits in the device: wake it when its socket
        // changed or a timer is due earlier than it planned.
        wakeEngine = state.drivers > 0 && (wakeEngine || !woken.isEmpty)
      }
      return (result, woken, wakeEngine)
    }
    if wakeEngine { device.wake() }
    for waiter in woken { waiter.notify() }
    return try result.get()
  }

  /// Retries `attempt` until it returns a value, sleeping on `waiter` in between: the
  /// blocking core of every socket call. `attempt` runs under the lock; nil means "not yet".
  ///
  /// - Throws: `wouldBlock` at once when `nonblocking`; `timeoutKind` when `deadline` passes;
  ///   what `attempt` or ``withStack(_:)`` throws.
  func block<R: Sendable>(
    on waiter: SocketWaiter, until deadline: ContinuousClock.Instant?, nonblocking: Bool,
    timeoutKind: NetError.Kind = .wouldBlock,
    _ attempt: (inout RuntimeState, Instant) throws(StackError) -> R?
  ) throws(NetError) -> R {
    while true {
      let (value, epoch) = try withStack { (state, now) throws(StackError) in
        (try attempt(&state, now), waiter.currentEpoch)
      }
      if let value { return value }
      if nonblocking {
        throw NetError(.wouldBlock, errno: EAGAIN, message: "operation would block")
      }
      let progressed =
        threaded ? waiter.wait(whileEpochIs: epoch, until: deadline) : drive(until: deadline)
      if !progressed {
        if timeoutKind == .timedOut {
          throw NetError(.timedOut, errno: ETIMEDOUT, message: "connection timed out")
        }
        throw NetError(timeoutKind, errno: EAGAIN, message: "operation timed out")
      }
    }
  }

  /// Without an engine thread: waits in the device until a frame arrives, the stack's next
  /// timer is due or `deadline` passes, so that the caller's next ``withStack(_:)`` takes in
  /// the frames and runs the timers. Returns `false` when `deadline` has passed. A device
  /// error stops the runtime (later calls fail with `networkDown`).
  func drive(until deadline: ContinuousClock.Instant?) -> Bool {
    let (stopping, next) = state.withLock { state in
      if state.stopping { return (true, Instant?.none) }
      state.drivers += 1
      state.plannedWake = state.stack.nextDeadline
      return (false, state.plannedWake)
    }
    if stopping { return true }
    var wake = next.map { clock.wall($0) }
    if let deadline { wake = Swift.min(wake ?? deadline, deadline) }
    do throws(NetError) {
      try device.wait(until: wake)
    } catch {
      fail(error)
    }
    state.withLock { $0.drivers -= 1 }
    guard let deadline else { return true }
    return ContinuousClock.now < deadline
  }

  /// Forgets the waiter of `event`'s socket and runs `close` on the stack (best effort: once
  /// the runtime stopped there is nothing left to tell the peer).
  func release(_ event: SocketEvent, _ close: (NetworkStack, Instant) -> Void) {
    _ = try? withStack { (state, now) throws(StackError) in
      state.waiters[event] = nil
      close(state.stack, now)
    }
  }

  /// Stops the engine thread and waits for it to exit; blocked socket calls fail with
  /// `networkDown`. Idempotent. Must not be called on the engine thread.
  func stop() {
    let waiters = state.withLock { state in
      state.stopping = true
      return Array(state.waiters.values)
    }
    device.wake()
    for waiter in waiters { waiter.notify() }
    if threaded { _ = exited.wait(whileEpochIs: 0, until: nil) }
  }

  /// The engine thread's loop: take a batch of frames, feed them and the due timers to the
  /// stack, transmit, wake the sockets that changed, sleep until the next deadline.
  private func run() {
    defer { exited.notify() }
    while true {
      let (round, woken) = state.withLock { state in
        let now = clock.now
        let round: Result<(count: Int, stopping: Bool, deadline: Instant?), NetError>
        do throws(NetError) {
          let count = try state.receive(from: device, limit: batchSize, at: now)
          state.flush(to: device, at: now)
          state.plannedWake = state.stack.nextDeadline
          round = .success((count, state.stopping, state.plannedWake))
        } catch {
          round = .failure(error)
        }
        return (round, state.takeWokenWaiters())
      }
      for waiter in woken { waiter.notify() }
      do throws(NetError) {
        let (count, stopping, deadline) = try round.get()
        if stopping { return }
        if count == batchSize { continue }
        try device.wait(until: deadline.map { clock.wall($0) })
      } catch {
        fail(error)
        return
      }
    }
  }

  /// Stops the runtime because the device failed, and wakes every blocked call.
  private func fail(_ error: NetError) {
    let waiters = state.withLock { state in
      state.stopping = true
      state.failure = NetError(
        .networkDown, errno: error.errno, message: "the device failed: \(error.message)")
      return Array(state.waiters.values)
    }
    for waiter in waiters { waiter.notify() }
  }
}
