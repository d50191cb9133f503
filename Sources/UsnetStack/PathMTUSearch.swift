/// One connection's packetization-layer path MTU search (RFC 4821 §7.2, in the manner of
/// Linux's `icsk_mtup` with `tcp_mtu_probing=1`), in MSS bytes.
///
/// Inactive until a black hole is detected (full-size segments only ever time out). Then
/// ``searchLow`` is the MSS assumed to pass, and limits the connection's send MSS, and
/// ``searchHigh`` the largest still worth trying. A probe is one new-data segment of the
/// midpoint size: its acknowledgment raises ``searchLow``, its retransmission lowers
/// ``searchHigh``. Once the range is narrower than ``threshold`` the search rests until
/// ``nextSearchAt`` and then starts over from the connection's ceiling.
struct PathMTUSearch {
  /// A probe segment in flight.
  struct Probe: Hashable {
    var start: SequenceNumber
    var end: SequenceNumber
    /// Its payload length: the MSS it tries.
    var size: Int
  }

  /// The MSS assumed to pass; `nil` while no black hole was detected.
  private(set) var searchLow: Int?
  /// The largest MSS still worth probing.
  private(set) var searchHigh = 0
  /// The probe in flight, if any.
  private(set) var probe: Probe?
  /// When a finished search starts over; `nil` while one is under way.
  private(set) var nextSearchAt: Instant?

  /// A range narrower than this many bytes ends a search (Linux `tcp_probe_threshold`: 8).
  static let threshold = 8

  /// Whether a black hole was detected and the search limits the send MSS.
  var isActive: Bool { searchLow != nil }

  /// A black hole: `low` becomes the MSS to use, and the search reaches up to `ceiling`.
  mutating func blackHoleDetected(low: Int, ceiling: Int) {
    searchLow = low
    searchHigh = ceiling
    probe = nil
    nextSearchAt = nil
  }

  /// The size of the probe to send at `now`, or `nil` when none is due. A search whose range
  /// is exhausted schedules the next one `interval` later; that one starts from `ceiling`.
  mutating func probeSize(ceiling: Int, now: Instant, interval: Duration) -> Int? {
    guard let low = searchLow, probe == nil else { return nil }
    if let next = nextSearchAt {
      guard next <= now else { return nil }
      nextSearchAt = nil
      searchHigh = ceiling
    }
    searchHigh = Swift.min(searchHigh, ceiling)
    guard searchHigh - low >= Self.threshold else {
      nextSearchAt = now + interval
      return nil
    }
    return (low + searchHigh) / 2
  }

  /// A probe of `size` bytes went out over `start..<end`.
  mutating func probeSent(start: SequenceNumber, end: SequenceNumber, size: Int) {
    probe = Probe(start: start, end: end, size: size)
  }

  /// The probe was acknowledged: its size passes.
  mutating func probeSucceeded() {
    guard let probe else { return }
    searchLow = probe.size
    self.probe = nil
  }

  /// The probe had to be retransmitted: its size does not pass.
  mutating func probeFailed() {
    guard let probe else { return }
    searchHigh = probe.size - 1
    self.probe = nil
  }

  /// The black hole is gone (the search reached the ceiling): the MSS is no longer limited.
  mutating func deactivate() {
    self = PathMTUSearch()
  }
}
