/// The core of `usnet bridge-compare`, callable in-process: builds the ``BridgeLab``, runs the
/// three transfers (``BridgeTransferKind``) once per repetition, in that order, and tears the
/// lab down, whatever happened.
///
/// **Blocking:** blocks the calling thread for the whole comparison. **Threading:** one
/// comparison per process at a time (the TAP names carry the process id).
public enum BridgeCompareRun {
  /// The TCP port of the first transfer; each transfer uses the next one.
  public static let firstPort: UInt16 = 5201

  /// Runs the comparison and returns it; never throws. `progress` is called after each
  /// transfer.
  public static func perform(
    _ settings: BridgeCompareSettings,
    progress: (BridgeTransferResult) -> Void = { _ in }
  ) -> BridgeComparison {
    let start = ContinuousClock.now
    var comparison = BridgeComparison(settings: settings)
    let lab: BridgeLab
    do {
      lab = try BridgeLab()
    } catch {
      comparison.failure = error.description
      comparison.wallTime = ContinuousClock.now - start
      return comparison
    }
    comparison.offloadNotes = lab.offloadNotes
    var port = firstPort
    for repetition in 0..<settings.repetitions {
      for kind in BridgeTransferKind.allCases {
        let run = BridgeTransferRun(
          lab: lab, settings: settings, kind: kind, repetition: repetition, port: port)
        port &+= 1
        let result = run.perform()
        comparison.results.append(result)
        progress(result)
      }
    }
    lab.close()
    comparison.wallTime = ContinuousClock.now - start
    return comparison
  }
}
