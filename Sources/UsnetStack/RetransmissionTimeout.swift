/// The RFC 6298 retransmission timeout estimator with Karn's rule and sticky backoff.
///
/// Samples come only from segments that were not retransmitted (the caller enforces Karn's rule
/// by discarding a timing when it retransmits). A timeout doubles the RTO and the doubling
/// sticks until the next valid sample. Nanosecond resolution, no clock granularity term beyond
/// the floor.
struct RetransmissionTimeout: Sendable {
  private(set) var smoothedRTT: Int64?  // nanoseconds
  private(set) var rttVariance: Int64 = 0
  private var baseRTO: Int64
  private(set) var backoffCount = 0
  let minimum: Int64
  let maximum: Int64

  init(configuration: TCPConfiguration) {
    baseRTO = configuration.initialRTO.totalNanoseconds
    minimum = configuration.minimumRTO.totalNanoseconds
    maximum = configuration.maximumRTO.totalNanoseconds
  }

  /// The current timeout, backoff included.
  var current: Duration {
    var value = baseRTO
    for _ in 0..<backoffCount {
      value = value >= maximum / 2 ? maximum : value * 2
    }
    return .nanoseconds(Swift.min(Swift.max(value, minimum), maximum))
  }

  /// Feeds a round-trip sample (RFC 6298 §2.2 and §2.3) and clears the backoff.
  mutating func addSample(_ rtt: Duration) {
    let sample = Swift.max(rtt.totalNanoseconds, 1)
    if let srtt = smoothedRTT {
      let delta = srtt > sample ? srtt - sample : sample - srtt
      rttVariance = (3 * rttVariance + delta) / 4
      smoothedRTT = (7 * srtt + sample) / 8
    } else {
      smoothedRTT = sample
      rttVariance = sample / 2
    }
    let srtt = smoothedRTT ?? sample
    baseRTO = Swift.min(Swift.max(srtt + 4 * rttVariance, minimum), maximum)
    backoffCount = 0
  }

  /// Doubles the timeout after a retransmission timeout (RFC 6298 §5.5).
  mutating func backOff() {
    if backoffCount < 64 { backoffCount += 1 }
  }
}
