/// How a ``UserspaceRuntime`` or ``SingleThreadRuntime`` runs beside the kernel and on the
/// machine's CPUs. A plain value; `Sendable`.
public struct RuntimeOptions: Hashable, Sendable {
  /// Whether sockets use the kernel loopback twin (see ``UserspaceRuntime``); default on.
  /// `USNET_KERNEL_TWIN` sets it from the environment.
  public var usesKernelTwin: Bool
  /// The CPU the engine thread is pinned to, or nil for no pinning (the default).
  /// `BG_THREAD_PIN_CPU_ID` sets it from the environment. Without an engine thread
  /// (``SingleThreadRuntime``) nothing is pinned.
  public var engineThreadCPU: Int?

  /// Creates options; the defaults are the twin on and no pinning.
  public init(usesKernelTwin: Bool = true, engineThreadCPU: Int? = nil) {
    self.usesKernelTwin = usesKernelTwin
    self.engineThreadCPU = engineThreadCPU
  }
}
