import Testing
import UsnetCLI

extension InteropTests {
  /// `usnet bridge-compare` in short: kernel→kernel, kernel→usnet and usnet→kernel through the
  /// same real-time UsnetSim TAP bridge with 1 % loss each way and 20 ms RTT, 5 MB each, one
  /// repetition. Checks that every transfer arrives intact (SHA-256), that the frames on the
  /// impaired link were wire-sized and lost, and that the table comes out; the goodput and
  /// ratios are printed, not asserted (speed is shown by measurement, in release:
  /// `usnet bridge-compare`). Root only; its namespaces are deleted at the end.
  @Suite
  struct BridgeCompareInteropTests {
    @Test(.timeLimit(.minutes(5)))
    func threeTransfersThroughTheSameImpairedBridge() throws {
      var settings = BridgeCompareSettings()
      settings.bytes = 5_000_000
      settings.repetitions = 1
      settings.seed = 3
      settings.timeLimit = .seconds(120)
      let comparison = BridgeCompareRun.perform(settings) { result in
        print("bridge-compare \(result.kind.label): \(result.goodputBitsPerSecond ?? 0) bit/s")
      }
      let text = BridgeCompareReport.text(comparison)
      print(text)
      #expect(comparison.failure == nil, "lab: \(comparison.failure ?? "")")
      try #require(comparison.results.count == 3)
      for result in comparison.results {
        #expect(result.failure == nil, "\(result.kind.label): \(result.failure ?? "")")
        #expect(result.intact, "\(result.kind.label): \(result.bytesReceived) B, not intact")
        #expect(result.bytesReceived == settings.bytes, "\(result.kind.label)")
        #expect(result.impairedFramesLost > 0, "\(result.kind.label): no loss on the link")
        #expect(
          (60...1514).contains(result.largestFrameRead),
          "\(result.kind.label): a frame of \(result.largestFrameRead) B left a TAP")
      }
      #expect(comparison.succeeded)
      for kind in BridgeTransferKind.allCases {
        #expect(comparison.medianGoodput(kind) != nil, "\(kind.label)")
        #expect(text.contains("\(kind.label) Mbit/s"))
      }
      #expect(comparison.medianRatio(.kernelToUsnet) != nil)
      #expect(comparison.medianRatio(.usnetToKernel) != nil)
      #expect(text.contains("| **median** |"))
    }
  }
}
