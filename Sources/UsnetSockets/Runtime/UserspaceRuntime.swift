import Synchronization
import UsnetStack

/// A userspace network interface with its own engine thread: a ``FrameDevice`` driven by a
/// UsnetStack `NetworkStack`, on which ``UserspaceTCPStream``, ``UserspaceTCPListener`` and
/// ``UserspaceUDPSocket`` are created.
///
/// **Threading.** The runtime starts one engine thread that receives frames and runs the
/// stack's timers. Socket calls from application threads run the stack under the runtime's
/// lock (they never wait for the engine thread), transmit what they queued, and block on
/// their own socket's waiter; the engine wakes exactly the sockets the stack reports as
/// changed. All methods are thread-safe. The engine thread can be pinned to a CPU
/// (``RuntimeOptions/engineThreadCPU``, `BG_THREAD_PIN_CPU_ID`).
///
/// **Kernel loopback twin.** Unless turned off (``RuntimeOptions/usesKernelTwin``), the
/// runtime shares the machine with local kernel programs: a listener bound to an address the kernel also owns
/// (`127.0.0.1` for `0.0.0.0`, otherwise the address itself) also listens on a kernel socket,
/// which reserves the port in the kernel and lets local programs connect, and `accept` returns
/// whichever connection comes first; a listener or UDP socket bound to a loopback address
/// lives on the kernel only; and a connect to a loopback address, `0.0.0.0` or the stack's own
/// address goes through the kernel. Such sockets are kernel sockets behind the same types
/// (``UserspaceTCPStream/isKernelTwin``).
///
/// **Lifetime.** Sockets keep their runtime alive. ``shutdown()`` (or deinitialising the
/// last reference) stops the engine thread; socket calls then fail with `networkDown`.
public final class UserspaceRuntime: Sendable {
  let engine: RuntimeEngine
  /// Whether sockets use the kernel loopback twin.
  public let usesKernelTwin: Bool

  /// Starts a runtime for `configuration` on `device` with `options` (the kernel loopback
  /// twin, the engine thread's CPU). Secrets (ISNs, port choice) come from the system's random
  /// source. The interface's transmit offloads are the device's
  /// (``FrameDevice/transmitOffloads``), whatever `configuration` says. Blocks until the
  /// engine thread runs (and is pinned).
  ///
  /// - Throws: `invalidInput` naming the field when the configuration is invalid, or when
  ///   the engine thread cannot be pinned to ``RuntimeOptions/engineThreadCPU``.
  public convenience init(
    configuration: StackConfiguration, device: any FrameDevice,
    options: RuntimeOptions = RuntimeOptions()
  ) throws(NetError) {
    try self.init(
      configuration: configuration, device: device, engineThread: true, options: options)
  }

  /// Starts a runtime with an engine thread, or without one (``SingleThreadRuntime``: blocked
  /// calls then drive the stack themselves).
  init(
    configuration: StackConfiguration, device: any FrameDevice, engineThread: Bool,
    options: RuntimeOptions
  ) throws(NetError) {
    usesKernelTwin = options.usesKernelTwin
    var configuration = configuration
    configuration.interface.transmitOffloads = device.transmitOffloads
    let stack: NetworkStack
    do {
      stack = try NetworkStack(configuration: configuration)
    } catch {
      throw NetError(.invalidInput, message: error.description)
    }
    engine = RuntimeEngine(stack: stack, device: device, threaded: engineThread)
    try engine.start(pinningTo: options.engineThreadCPU)
  }

  deinit {
    engine.stop()
  }

  /// The interface the runtime's stack serves.
  public var interface: InterfaceConfiguration { engine.configuration.interface }

  /// A snapshot of the stack's counters. Blocks only for the runtime lock.
  ///
  /// - Throws: `networkDown` once the runtime stopped.
  public func counters() throws(NetError) -> StackCounters {
    try engine.withStack { (state, _) throws(StackError) in state.stack.counters }
  }

  /// Stops the engine thread and waits for it to exit. Blocked socket calls on this runtime
  /// wake with `networkDown`, and later calls fail the same way. The `USNET_PCAP` recording,
  /// if any, is complete when it returns. Idempotent.
  public func shutdown() {
    engine.stop()
  }
}

/// The runtime the protocol entry points (`connect(to:timeout:)`, `bind(to:)`) use.
private let defaultRuntimeSlot = Mutex<UserspaceRuntime?>(nil)

extension UserspaceRuntime {
  /// The runtime that ``UserspaceTCPStream/connect(to:timeout:)``,
  /// ``UserspaceTCPListener/bind(to:backlog:)`` and ``UserspaceUDPSocket/bind(to:)`` use when
  /// none is given, or nil before ``setDefault(_:)``. Thread-safe.
  public static var current: UserspaceRuntime? { defaultRuntimeSlot.withLock { $0 } }

  /// Makes `runtime` the default (nil clears it). Sockets already created keep theirs.
  /// Thread-safe.
  public static func setDefault(_ runtime: UserspaceRuntime?) {
    defaultRuntimeSlot.withLock { $0 = runtime }
  }

  /// The default runtime: the one set with ``setDefault(_:)``, or else one started from
  /// `USNET_SOCKETS` and the knobs in the process's environment (once; it becomes the
  /// default). Blocks for the device setup the first time.
  ///
  /// - Throws: `invalidInput` naming the variable or field when the environment has no valid
  ///   configuration (a missing `USNET_SOCKETS` says so and shows an example), or what
  ///   ``init(configuration:)`` throws.
  static func requireDefault() throws(NetError) -> UserspaceRuntime {
    try defaultRuntimeSlot.withLock { (slot) throws(NetError) -> UserspaceRuntime in
      if let runtime = slot { return runtime }
      let runtime = try fromEnvironment()
      slot = runtime
      return runtime
    }
  }
}
