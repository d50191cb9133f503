/// The outcome of `usnet bridge-compare`: every transfer of every repetition, the medians
/// and the ratios to the kernel-to-kernel reference.
public struct BridgeComparison: Sendable {
  /// What was measured.
  public var settings: BridgeCompareSettings
  /// Every transfer, repetition by repetition, in the order of ``BridgeTransferKind``.
  public var results: [BridgeTransferResult] = []
  /// What `ethtool -k` said about the TAPs' offloads.
  public var offloadNotes: [String] = []
  /// Why the lab could not be built, if it could not (then ``results`` is empty).
  public var failure: String?
  /// Wall-clock time of the whole comparison.
  public var wallTime: Duration = .zero

  /// An empty comparison for `settings`.
  public init(settings: BridgeCompareSettings) {
    self.settings = settings
  }

  /// Whether the lab was built and every transfer finished with its bytes intact.
  public var succeeded: Bool {
    failure == nil && !results.isEmpty && results.allSatisfy(\.succeeded)
  }

  /// The result of `kind` in `repetition`, if it ran.
  public func result(_ kind: BridgeTransferKind, repetition: Int) -> BridgeTransferResult? {
    results.first { $0.kind == kind && $0.repetition == repetition }
  }

  /// The median goodput of `kind` over the repetitions where it succeeded, in bits per
  /// second, or `nil` when none did.
  public func medianGoodput(_ kind: BridgeTransferKind) -> Double? {
    Self.median(results.filter { $0.kind == kind }.compactMap(\.goodputBitsPerSecond))
  }

  /// `kind`'s goodput over kernel-to-kernel's in `repetition`, or `nil` when either failed.
  public func ratio(_ kind: BridgeTransferKind, repetition: Int) -> Double? {
    guard let goodput = result(kind, repetition: repetition)?.goodputBitsPerSecond,
      let reference = result(.kernelToKernel, repetition: repetition)?.goodputBitsPerSecond
    else { return nil }
    return goodput / reference
  }

  /// The median of `kind`'s goodput over the median of kernel-to-kernel's.
  public func medianRatio(_ kind: BridgeTransferKind) -> Double? {
    guard let goodput = medianGoodput(kind), let reference = medianGoodput(.kernelToKernel)
    else { return nil }
    return goodput / reference
  }

  /// The median of `values` (the mean of the middle two for an even count), or `nil`.
  public static func median(_ values: [Double]) -> Double? {
    guard !values.isEmpty else { return nil }
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
  }
}
