import Testing
import UsnetDevice
import UsnetSockets
import UsnetStack
import UsnetWire

/// What a ``KernelTCPExchange`` over a TAP-like device (TAP or macvtap) left behind, and the
/// checks that tell whether its offloads were in use.
struct DeviceTransferResult {
  var statistics: TAPFrameDeviceStatistics
  var counters: StackCounters
  var headerLength: Int
  var offloads: TAPOffloads

  /// One line on the header, offloads, frames each way and the stack's drops.
  var summary: String {
    """
    header \(headerLength) B, offloads 0x\(String(offloads.rawValue, radix: 16)); received \
    \(statistics.framesReceived) frames (largest \(statistics.largestFrameReceived) B, \
    \(statistics.coalescedFramesReceived) GRO'd, \(statistics.framesWithPartialChecksum) \
    NEEDS_CSUM, \(statistics.framesWithVerifiedChecksum) DATA_VALID); sent \
    \(statistics.framesSent) (\(statistics.segmentationFramesSent) TSO, largest \
    \(statistics.largestFrameSent) B); stack drops \(counters.nonZeroDrops), \
    \(counters.tcpRetransmissions) retransmissions
    """
  }

  /// Checksum offload and TSO4 were granted and used both ways: GRO'd or NEEDS_CSUM frames
  /// arrived and were trusted, super-segments went out; no kernel segment looked corrupt.
  func expectOffloaded() {
    expectNothingCorrupt()
    #expect(headerLength == VirtioNetHeader.length)
    #expect(offloads == [.checksum, .tcpSegmentation4])
    #expect(
      statistics.largestFrameReceived > 1514 || statistics.framesWithPartialChecksum > 0,
      "no GRO'd or NEEDS_CSUM frame arrived")
    #expect(counters.framesWithTrustedChecksum > 0)
    #expect(statistics.segmentationFramesSent > 0)
  }

  /// No offloads either way, with a header of `headerLength` bytes (0: none); no kernel
  /// segment looked corrupt.
  func expectNotOffloaded(headerLength expected: Int) {
    expectNothingCorrupt()
    #expect(headerLength == expected)
    #expect(offloads.isEmpty)
    #expect(statistics.largestFrameReceived <= 1514)
    #expect(statistics.framesWithPartialChecksum == 0)
    #expect(statistics.coalescedFramesReceived == 0)
    #expect(statistics.segmentationFramesSent == 0)
    #expect(statistics.largestFrameSent <= 1514)
  }

  /// No kernel segment was taken for corrupt.
  private func expectNothingCorrupt() {
    #expect(counters[.malformedTCP] == 0)
    #expect(counters[.ipv4BadChecksum] == 0)
  }
}
