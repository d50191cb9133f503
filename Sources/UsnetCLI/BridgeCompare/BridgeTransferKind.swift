/// The three transfers of `usnet bridge-compare`, each through the same impaired switch port.
///
/// The kernel `A` sits behind the impaired port; the kernel `B` and the usnet stack sit on
/// clean ports, so every transfer crosses the impairment exactly once each way (data one
/// way, ACKs the other).
public enum BridgeTransferKind: String, Sendable, Hashable, CaseIterable {
  /// The reference: kernel TCP in namespace A sends to kernel TCP in namespace B.
  case kernelToKernel = "kernel→kernel"
  /// Kernel TCP in namespace A sends to the usnet stack.
  case kernelToUsnet = "kernel→usnet"
  /// The usnet stack sends to kernel TCP in namespace A.
  case usnetToKernel = "usnet→kernel"

  /// The column heading, like `kernel→usnet`.
  public var label: String { rawValue }

  /// Whether the kernel of namespace A sends (otherwise usnet does).
  public var kernelSends: Bool { self != .usnetToKernel }
}
