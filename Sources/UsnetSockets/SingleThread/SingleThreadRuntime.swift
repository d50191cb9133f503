import Synchronization
import UsnetStack

/// A userspace network interface without an engine thread (the `Single` trait's backend): a
/// ``FrameDevice`` driven by a UsnetStack `NetworkStack` that advances only inside socket
/// calls. ``SingleThreadTCPStream``, ``SingleThreadTCPListener`` and
/// ``SingleThreadUDPSocket`` are created on it.
///
/// **How the stack advances.** Every socket call takes in the frames waiting at the device,
/// runs the stack's due timers and transmits what the stack queued, all on the calling
/// thread. A call that must block does not sleep on a condition: it waits in the device
/// (`wait(until:)`) for a frame, the stack's next timer or its own deadline, advances the
/// stack again and retries until it can proceed. Between calls nothing happens: a program
/// with nothing to call (a server between requests) keeps the stack going with
/// ``poll(waitingUpTo:)``.
/// It is the same stack and the same socket cores as ``UserspaceRuntime``, without the
/// engine thread.
///
/// **Threading.** Meant for programs that call their sockets from one thread, but safe
/// from several: every stack call runs under the runtime's lock, as in
/// ``UserspaceRuntime``. When several threads block at once, one of them waits in the device
/// and advances the stack for all, and the others sleep until the stack reports their socket
/// changed (the same per-socket wake-ups as the engine thread's), so no change is missed.
/// No thread advances the stack while nobody is inside a call: a peer that must answer (a
/// listener completing handshakes before anyone calls `accept`) needs a thread in a call or
/// in ``poll(waitingUpTo:)``. Use ``UserspaceRuntime`` when the stack must run on its own.
///
/// **Lifetime.** Sockets keep their runtime alive. After ``shutdown()`` socket calls fail with
/// `networkDown`.
public final class SingleThreadRuntime: Sendable {
  /// The runtime core, built without an engine thread.
  let base: UserspaceRuntime

  /// Creates a runtime for `configuration` on `device` with `options` (the kernel loopback
  /// twin as ``UserspaceRuntime`` describes it; there is no engine thread to pin); starts no
  /// thread. Secrets (ISNs, port choice) come from the system's random source.
  ///
  /// - Throws: `invalidInput` naming the field when the configuration is invalid.
  public init(
    configuration: StackConfiguration, device: any FrameDevice,
    options: RuntimeOptions = RuntimeOptions()
  ) throws(NetError) {
    base = try UserspaceRuntime(
      configuration: configuration, device: device, engineThread: false, options: options)
  }

  /// Whether sockets use the kernel loopback twin.
  public var usesKernelTwin: Bool { base.usesKernelTwin }

  /// The interface the runtime's stack serves.
  public var interface: InterfaceConfiguration { base.interface }

  /// A snapshot of the stack's counters.
  ///
  /// - Throws: `networkDown` once the runtime stopped.
  public func counters() throws(NetError) -> StackCounters {
    try base.counters()
  }

  /// Advances the stack without a socket call: waits up to `timeout` (zero: not at all) for a
  /// frame or the stack's next timer, then takes in the waiting frames, runs the due timers
  /// and transmits. Blocks the calling thread at most `timeout`.
  ///
  /// - Throws: `networkDown` once the runtime stopped or its device failed.
  public func poll(waitingUpTo timeout: Duration = .zero) throws(NetError) {
    if timeout > .zero {
      _ = base.engine.drive(until: Deadline.after(timeout), waiter: SocketWaiter(), epoch: 0)
    }
    try base.engine.withStack { (_, _) throws(StackError) in }
  }

  /// Stops the runtime: blocked socket calls on it fail with `networkDown`, and later calls
  /// fail the same way. The `USNET_PCAP` recording, if any, is complete when it returns.
  /// Idempotent.
  public func shutdown() {
    base.shutdown()
  }
}

/// The runtime the single-thread protocol entry points use.
private let defaultSingleThreadRuntimeSlot = Mutex<SingleThreadRuntime?>(nil)

extension SingleThreadRuntime {
  /// The runtime that ``SingleThreadTCPStream/connect(to:timeout:)``,
  /// ``SingleThreadTCPListener/bind(to:backlog:)`` and ``SingleThreadUDPSocket/bind(to:)``
  /// use when none is given, or nil before ``setDefault(_:)``. Thread-safe.
  public static var current: SingleThreadRuntime? {
    defaultSingleThreadRuntimeSlot.withLock { $0 }
  }

  /// Makes `runtime` the default (nil clears it). Sockets already created keep theirs.
  /// Thread-safe.
  public static func setDefault(_ runtime: SingleThreadRuntime?) {
    defaultSingleThreadRuntimeSlot.withLock { $0 = runtime }
  }

  /// The default runtime: the one set with ``setDefault(_:)``, or else one started from
  /// `USNET_SOCKETS` and the knobs in the process's environment (once; it becomes the
  /// default). Blocks for the device setup the first time.
  ///
  /// - Throws: `invalidInput` naming the variable or field when the environment has no valid
  ///   configuration, or what ``init(configuration:)`` throws.
  static func requireDefault() throws(NetError) -> SingleThreadRuntime {
    try defaultSingleThreadRuntimeSlot.withLock { (slot) throws(NetError) -> SingleThreadRuntime in
      if let runtime = slot { return runtime }
      let runtime = try fromEnvironment()
      slot = runtime
      return runtime
    }
  }
}
