import Foundation
import Synchronization
import UsnetDevice
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
/// the background: a blocked call drives the stack itself (``drive(until:waiter:epoch:)``),
/// waiting in the device for a frame, its own deadline or the stack's next timer, and
/// retries. When several threads block at once, one of them (the driver) waits in the device
/// and the others wait on their sockets' waiters; the stack's socket events wake them as the
/// engine thread's would, and the driver hands over to them when its call returns.
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

  /// Launches the engine thread (nothing without one), pinned to `cpu` when given, and waits
  /// until it runs.
  ///
  /// - Throws: `invalidInput` when the thread cannot be pinned (it is not started then).
  func start(pinningTo cpu: Int?) throws(NetError) {
    guard threaded else { return }
    let started = SocketWaiter()
    let pinning = Mutex<DeviceError?>(nil)
    let thread = Thread { [self] in
      if let cpu {
        do throws(DeviceError) {
          try ThreadAffinity.pinCurrentThread(toCPU: cpu)
        } catch {
          pinning.withLock { $0 = error }
          exited.notify()
          started.notify()
          return
        }
      }
      started.notify()
      run()
    }
    thread.name = "usnet-engine"
    thread.start()
    _ = started.wait(whileEpochIs: 0, until: nil)
    if let error = pinning.withLock({ $0 }) {
      state.withLock { $0.stopping = true }
      throw NetError(
        .invalidInput, errno: error.errno,
        message: "cannot pin the engine thread to CPU \(cpu ?? -1) (BG_THREAD_PIN_CPU_ID): "
          + error.description)
    }
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
        // The thread blocked in `drive` waits in the device: wake it when a socket changed
        // (it may be its own) or a timer is due earlier than it planned.
        wakeEngine = state.driving && (wakeEngine || !woken.isEmpty)
      }
      return (result, woken, wakeEngine)
    }
    if wakeEngine { device.wake() }
    for waiter in woken { waiter.wakeSleepers() }
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
        threaded
        ? waiter.wait(whileEpochIs: epoch, until: deadline)
        : drive(until: deadline, waiter: waiter, epoch: epoch)
      if !progressed {
        if timeoutKind == .timedOut {
          throw NetError(.timedOut, errno: ETIMEDOUT, message: "connection timed out")
        }
        throw NetError(timeoutKind, errno: EAGAIN, message: "operation timed out")
      }
    }
  }

  /// Without an engine thread: waits until the stack may have something for the caller, so
  /// that its next ``withStack(_:)`` takes in the frames and runs the timers. Returns at once
  /// when `waiter` moved past `epoch` (the caller's socket changed since it looked). The
  /// first blocked thread becomes the driver and waits in the device for a frame, the stack's
  /// next timer or `deadline`; while one drives, the others sleep on their waiters until their
  /// socket changes, their deadline passes or the driver leaves. Returns `false` when
  /// `deadline` has passed. A device error stops the runtime (later calls fail with
  /// `networkDown`).
  func drive(
    until deadline: ContinuousClock.Instant?, waiter: SocketWaiter, epoch: UInt64
  ) -> Bool {
    enum Role {
      case done
      case follower
      case driver(next: Instant?)
    }
    let role: Role = state.withLock { state in
      if state.stopping || waiter.currentEpoch != epoch { return .done }
      if state.driving {
        state.followers.append(waiter)
        return .follower
      }
      state.driving = true
      state.plannedWake = state.stack.nextDeadline
      return .driver(next: state.plannedWake)
    }
    switch role {
    case .done:
      return true
    case .follower:
      let progressed = waiter.wait(whileEpochIs: epoch, until: deadline)
      state.withLock { state in
        if let index = state.followers.firstIndex(where: { $0 === waiter }) {
          state.followers.remove(at: index)
        }
      }
      return progressed
    case .driver(let next):
      var wake = next.map { clock.wall($0) }
      if let deadline { wake = Swift.min(wake ?? deadline, deadline) }
      do throws(NetError) {
        try device.wait(until: wake)
      } catch {
        fail(error)
      }
      let followers = state.withLock { state in
        state.driving = false
        return state.followers
      }
      // Hand over: each follower rechecks its socket, and the first still blocked drives.
      for follower in followers { follower.notify() }
      guard let deadline else { return true }
      return ContinuousClock.now < deadline
    }
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
  /// `networkDown`, and the device is told once (``FrameDevice/runtimeDidShutDown()``: a
  /// pcap file is complete and a created link gone then, not only once the device is
  /// released). Idempotent. Must not be called on the engine thread.
  func stop() {
    let (waiters, firstStop) = state.withLock { state in
      state.stopping = true
      defer { state.deviceShutDown = true }
      return (Array(state.waiters.values) + state.followers, !state.deviceShutDown)
    }
    device.wake()
    for waiter in waiters { waiter.notify() }
    if threaded { _ = exited.wait(whileEpochIs: 0, until: nil) }
    if firstStop { device.runtimeDidShutDown() }
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
      for waiter in woken { waiter.wakeSleepers() }
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
      return Array(state.waiters.values) + state.followers
    }
    for waiter in waiters { waiter.notify() }
  }
}
