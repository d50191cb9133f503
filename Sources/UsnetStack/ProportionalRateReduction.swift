/// Proportional Rate Reduction (RFC 6937, with the slow-start reduction bound): how much a
/// connection in SACK-based recovery may send per ACK, so the window comes down to ssthresh
/// smoothly instead of in one halving, and climbs back towards it when losses drained the pipe.
///
/// A value owned by one recovery episode of one connection.
struct ProportionalRateReduction: Sendable {
  /// The data outstanding when recovery began (RecoverFS).
  let recoverFlightSize: Int
  /// Bytes delivered to the receiver during recovery (prr_delivered): cumulatively ACKed plus
  /// newly SACKed.
  private(set) var delivered = 0
  /// Bytes sent during recovery (prr_out), retransmissions and new data alike.
  private(set) var sent = 0

  init(recoverFlightSize: Int) {
    self.recoverFlightSize = Swift.max(recoverFlightSize, 1)
  }

  /// An ACK delivered `newlyDelivered` bytes; returns how many bytes may be sent now (sndcnt),
  /// given the estimated bytes in the network (`pipe`) and the target `slowStartThreshold`.
  mutating func onACK(
    newlyDelivered: Int, pipe: Int, slowStartThreshold ssthresh: Int, maximumSegmentSize mss: Int
  ) -> Int {
    delivered += Swift.max(newlyDelivered, 0)
    var quota: Int
    if pipe > ssthresh {
      // Proportional part: send ssthresh/RecoverFS of what was delivered, rounded up.
      let target = (delivered * ssthresh + recoverFlightSize - 1) / recoverFlightSize
      quota = target - sent
    } else {
      // Slow-start reduction bound: grow back towards ssthresh, at most one MSS beyond what
      // was delivered.
      let limit = Swift.max(delivered - sent, newlyDelivered) + mss
      quota = Swift.min(ssthresh - pipe, limit)
    }
    return Swift.max(quota, 0)
  }

  /// `bytes` left during recovery.
  mutating func noteSent(_ bytes: Int) {
    sent += bytes
  }
}
