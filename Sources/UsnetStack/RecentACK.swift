/// RACK loss detection (RFC 8985 §6): a segment is lost when one sent after it has been
/// delivered and more than a reordering window has passed since then, measured in time rather
/// than in duplicate ACKs. That catches lost retransmissions and losses near the tail, which a
/// duplicate-ACK count cannot.
///
/// It keeps one record per transmission (a segment, or a super-segment with TSO) in sequence
/// order, with when it last left. Retransmitting part of a record splits it. The storage grows
/// to the largest flight and is then reused, so steady state allocates nothing. A value owned by
/// one connection.
struct RecentACK: Sendable {
  /// One transmission: a range of sequence space and when it last left.
  struct SentSegment: Equatable, Sendable {
    var start: SequenceNumber
    var end: SequenceNumber
    var sentAt: Instant
    /// The transmission's place in the order of all transmissions: it breaks ties between
    /// segments sent at the same instant (RFC 8985 uses the sequence number, which puts a
    /// retransmission before new data sent just earlier).
    var order: UInt64
    /// This range was sent more than once (its delivery gives an ambiguous RTT).
    var isRetransmission: Bool
    /// Wholly SACKed: delivered, never sent again.
    var isSACKed = false
    /// Deemed lost and not sent again since.
    var isLost = false
  }

  /// The records from SND.UNA up, in sequence order, at `head...`.
  private(set) var records: [SentSegment] = []
  private var head = 0
  /// RACK.xmit_ts (with the transmission order for ties): the most recently sent segment
  /// known delivered.
  private(set) var latestDelivered: (sentAt: Instant, order: UInt64)?
  /// Transmissions so far.
  private var transmissions: UInt64 = 0
  /// Outstanding records deemed lost, and retransmitted: kept so the common case (nothing lost,
  /// nothing sent twice, so the records are in send order) costs nothing per ACK.
  private var lostRecords = 0
  private var retransmittedRecords = 0
  /// RACK.rtt: the round-trip time of that delivery.
  private(set) var roundTripTime: Duration = .zero
  /// The smallest RTT seen (RACK.min_RTT), for the reordering window.
  private(set) var minimumRTT: Duration?
  /// Whether a segment was delivered after one sent later than it (RACK.reordering_seen).
  private(set) var reorderingSeen = false
  /// The highest end of an original transmission delivered so far.
  private var highestDeliveredEnd: SequenceNumber?
  /// RACK.reo_wnd_mult: grows by one per round trip in which a D-SACK showed a retransmission
  /// was spurious, so a path that reorders more than a quarter RTT stops causing them.
  private(set) var reorderWindowMultiplier = 1
  /// RACK.dsack_round: SND.MAX when the multiplier last grew; it grows at most once per round.
  private var duplicateSACKRound: SequenceNumber?
  /// RACK.reo_wnd_persist: recoveries left before the multiplier falls back to one.
  private var reorderWindowPersistence = 0

  init() {}

  /// Whether any outstanding record is deemed lost.
  var hasLostSegments: Bool { lostRecords > 0 }

  /// `start ..< end` left at `now`. New data (at or beyond `sendMaximum`, SND.MAX before this
  /// transmission) adds a record; a retransmission re-times the records it covers.
  mutating func noteSent(
    start: SequenceNumber, end: SequenceNumber, sendMaximum: SequenceNumber, at now: Instant
  ) {
    guard start < end else { return }
    transmissions += 1
    if !(start < sendMaximum) {
      if records.capacity == 0 { records.reserveCapacity(64) }
      records.append(
        SentSegment(
          start: start, end: end, sentAt: now, order: transmissions, isRetransmission: false))
      return
    }
    var index = head
    while index < records.count && records[index].start < end {
      guard start < records[index].end else {
        index += 1
        continue
      }
      if records[index].start < start {
        split(at: index, sequence: start)
        index += 1
        continue
      }
      if end < records[index].end { split(at: index, sequence: end) }
      records[index].sentAt = now
      records[index].order = transmissions
      if !records[index].isRetransmission {
        records[index].isRetransmission = true
        retransmittedRecords += 1
      }
      setLost(index, false)
      index += 1
    }
    // Beyond the records (a FIN after a timeout, say): a new record.
    if let last = records.last, last.end < end, !(end < sendMaximum) {
      retransmittedRecords += 1
      records.append(
        SentSegment(
          start: SequenceNumber.max(start, last.end), end: end, sentAt: now,
          order: transmissions, isRetransmission: true))
    }
  }

  /// An ACK arrived at `now`: records below the cumulative ACK leave, records the scoreboard
  /// shows wholly SACKed are marked, and each newly delivered record updates RACK's state.
  mutating func onACK(cumulative ack: SequenceNumber, scoreboard: SACKScoreboard, now: Instant) {
    while head < records.count && !(ack < records[head].end) {
      if !records[head].isSACKed { delivered(records[head], at: now, whole: true) }
      if records[head].isLost { lostRecords -= 1 }
      if records[head].isRetransmission { retransmittedRecords -= 1 }
      head += 1
    }
    if head < records.count && records[head].start < ack {
      delivered(records[head], at: now, whole: false)
      records[head].start = ack
    }
    if !scoreboard.isEmpty {
      for index in head..<records.count where !records[index].isSACKed {
        guard let range = scoreboard.sackedRange(containing: records[index].start),
          !(range.end < records[index].end)
        else { continue }
        records[index].isSACKed = true
        setLost(index, false)
        delivered(records[index], at: now, whole: true)
      }
    }
    if head == records.count {
      records.removeAll(keepingCapacity: true)
      head = 0
    } else if head >= 64 && head * 2 >= records.count {
      records.removeSubrange(0..<head)
      head = 0
    }
  }

  /// RFC 8985 §6.2 step 4: no window while nothing was ever reordered and either recovery is
  /// under way or `duplicateThreshold` segments are SACKed; otherwise a quarter of the
  /// minimum RTT, at most the smoothed RTT.
  func reorderWindow(inRecovery: Bool, sackedSegments: Int, smoothedRTT: Duration?) -> Duration {
    if !reorderingSeen
      && (inRecovery || sackedSegments >= LossRecovery.duplicateThreshold)
    {
      return .zero
    }
    let window = (minimumRTT ?? .zero) * reorderWindowMultiplier / 4
    return smoothedRTT.map { Swift.min(window, $0) } ?? window
  }

  /// A D-SACK arrived (RFC 8985 §6.2 step 4): data was received twice, so a retransmission
  /// was spurious, most likely because the path reorders. Widens the window once per round
  /// trip (a round ends when SND.UNA passes the SND.MAX of the last widening) and keeps it
  /// wide for the next 16 recoveries.
  mutating func noteDuplicateSACK(
    sendUnacknowledged una: SequenceNumber, sendMaximum: SequenceNumber
  ) {
    reorderingSeen = true
    if let round = duplicateSACKRound, una < round { return }
    duplicateSACKRound = sendMaximum
    reorderWindowMultiplier = Swift.min(reorderWindowMultiplier + 1, 16)
    reorderWindowPersistence = 16
  }

  /// A recovery episode ended: after 16 without a D-SACK the window narrows back.
  mutating func noteRecoveryEnded() {
    if reorderWindowPersistence > 0 {
      reorderWindowPersistence -= 1
    } else {
      reorderWindowMultiplier = 1
    }
  }

  /// RFC 8985 §6.2 step 5: marks lost every record sent before the latest delivered one whose
  /// RTT plus `reorderWindow` has passed. Returns whether any record was newly marked, and how
  /// long until the next one could be (for the reordering timer), if any.
  mutating func detectLosses(
    now: Instant, reorderWindow: Duration
  ) -> (
    newlyLost: Bool, wait: Duration?
  ) {
    guard let latest = latestDelivered else { return (false, nil) }
    var newlyLost = false
    var wait: Duration?
    for index in head..<records.count where !records[index].isSACKed && !records[index].isLost {
      let record = records[index]
      let sentBefore =
        record.sentAt < latest.sentAt
        || (record.sentAt == latest.sentAt && record.order < latest.order)
      guard sentBefore else {
        // Without retransmissions the records are in send order: none after this one was
        // sent before the latest delivery either.
        if retransmittedRecords == 0 { break }
        continue
      }
      let remaining = (record.sentAt + roundTripTime + reorderWindow) - now
      if remaining <= .zero {
        setLost(index, true)
        newlyLost = true
      } else {
        wait = wait.map { Swift.max($0, remaining) } ?? remaining
      }
    }
    return (newlyLost, wait)
  }

  /// RFC 6675's IsLost in RACK's terms: never-retransmitted records below `boundary` are lost.
  /// Returns whether any was newly marked.
  mutating func markLost(below boundary: SequenceNumber) -> Bool {
    var newlyLost = false
    for index in head..<records.count {
      guard records[index].start < boundary else { break }
      guard !records[index].isSACKed, !records[index].isLost, !records[index].isRetransmission
      else { continue }
      setLost(index, true)
      newlyLost = true
    }
    return newlyLost
  }

  /// The first lost byte not yet sent again, and the length of its unSACKed run within its
  /// record.
  func firstLostHole(scoreboard: SACKScoreboard) -> (start: SequenceNumber, length: Int)? {
    for record in records[head...] where record.isLost {
      if let hole = scoreboard.firstHole(from: record.start, below: record.end) { return hole }
    }
    return nil
  }

  /// RFC 6675's pipe: the unSACKed bytes of records not deemed lost (a retransmitted record
  /// counts once, for its retransmission).
  func pipe(scoreboard: SACKScoreboard) -> Int {
    var bytes = 0
    for record in records[head...] where !record.isSACKed && !record.isLost {
      bytes +=
        scoreboard.isEmpty
        ? record.end - record.start
        : scoreboard.unSACKedBytes(from: record.start, to: record.end)
    }
    return bytes
  }

  /// Marks record `index` lost or not, keeping the count.
  private mutating func setLost(_ index: Int, _ lost: Bool) {
    guard records[index].isLost != lost else { return }
    records[index].isLost = lost
    lostRecords += lost ? 1 : -1
  }

  /// Splits record `index` at `sequence` (inside it); the second half keeps its marks.
  private mutating func split(at index: Int, sequence: SequenceNumber) {
    var tail = records[index]
    tail.start = sequence
    records[index].end = sequence
    records.insert(tail, at: index + 1)
    if tail.isLost { lostRecords += 1 }
    if tail.isRetransmission { retransmittedRecords += 1 }
  }

  /// RFC 8985 §6.2 steps 1–3 for one newly delivered record (`whole`, or only its start
  /// cumulatively acknowledged, which says nothing about ordering).
  private mutating func delivered(_ record: SentSegment, at now: Instant, whole: Bool) {
    let elapsed = now - record.sentAt
    if record.isRetransmission, let minimumRTT, elapsed < minimumRTT {
      return  // the ACK is for the original transmission: no RTT, no ordering information
    }
    if !record.isRetransmission && whole {
      if let highest = highestDeliveredEnd, record.end < highest { reorderingSeen = true }
      if highestDeliveredEnd.map({ $0 < record.end }) ?? true { highestDeliveredEnd = record.end }
    }
    roundTripTime = elapsed
    minimumRTT = minimumRTT.map { Swift.min($0, elapsed) } ?? elapsed
    if let latest = latestDelivered,
      record.sentAt < latest.sentAt
        || (record.sentAt == latest.sentAt && record.order <= latest.order)
    {
      return
    }
    latestDelivered = (record.sentAt, record.order)
  }
}
