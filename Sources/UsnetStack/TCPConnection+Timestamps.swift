import UsnetWire

/// The RFC 7323 timestamp variables of one connection.
///
/// The timestamp clock ticks once per millisecond (as Linux's does), read from the stack's
/// clock plus a per-connection ``offset`` keyed on the address pair with the stack's secret
/// (Linux's `tsoffset`), so TSval does not reveal the host's uptime.
struct TCPTimestampState {
  /// Both SYNs carried the timestamps option: every segment but a RST carries one, ACKs
  /// give an RTT sample each and PAWS applies.
  var negotiated = false
  /// Added to the millisecond clock to make this connection's TSval.
  var offset: UInt32 = 0
  /// TS.Recent: the peer's TSval we echo in TSecr (RFC 7323 §4.3).
  var recent: UInt32 = 0
  /// When ``recent`` was last set; `nil` while it is not valid (never set, or older than
  /// 24 days, RFC 7323 §5.5).
  var recentSetAt: Instant?
  /// Last.ACK.sent: the acknowledgment number of the last segment we sent with an ACK.
  var lastACKSent = SequenceNumber(0)
  /// The TSval of our latest retransmission, if any: an ACK echoing an older TSval was sent
  /// for an earlier transmission (its own ACK lost, or the retransmission spurious), so it
  /// times the wait for the retransmission rather than the path and gives no RTT sample.
  var lastRetransmissionValue: UInt32?

  /// Bytes the option takes in every segment once negotiated (NOP, NOP, kind, length, TSval,
  /// TSecr).
  static let optionLength = 12

  /// How long TS.Recent stays valid for PAWS without being refreshed (RFC 7323 §5.5).
  static let recentLifetime = Duration.seconds(24 * 24 * 60 * 60)

  /// The longest round trip a TSecr may stand for (Linux: `INT_MAX / 1000` ms, about 24
  /// days); a larger difference means the echo is not one of our TSvals.
  static let maximumEchoAge: UInt32 = (1 << 31) / 1000
}

extension TCPConnection {
  /// The payload of a full-sized segment: the send MSS, less the timestamps option when
  /// negotiated (the MSS excludes options, RFC 6691; Linux lowers the payload the same way).
  /// Segments with SACK blocks carry less again (see `writeData`). Congestion control,
  /// Nagle and the super-segment limit all count in these.
  var effectiveSendMSS: Int {
    timestamps.negotiated ? sendMSS - TCPTimestampState.optionLength : sendMSS
  }

  /// This connection's TSval at `now`: milliseconds of the stack's clock plus the offset.
  func timestampClock(at now: Instant) -> UInt32 {
    // Floor division, so the clock stays monotonic across a negative origin as well.
    var milliseconds = now.nanoseconds / 1_000_000
    if now.nanoseconds % 1_000_000 < 0 { milliseconds -= 1 }
    return UInt32(truncatingIfNeeded: milliseconds) &+ timestamps.offset
  }

  /// The option for the next segment: our clock, and TS.Recent echoed.
  func timestampOption(at now: Instant) -> TCPTimestamp {
    TCPTimestamp(value: timestampClock(at: now), echoReply: timestamps.recent)
  }

  /// Adds the timestamps option to the options of an outgoing non-RST segment once
  /// negotiated (RFC 7323 §3.2).
  func stampTimestamp(_ options: inout TCPOptions, at now: Instant) {
    guard timestamps.negotiated, options.timestamp == nil else { return }
    options.timestamp = timestampOption(at: now)
  }

  /// Takes the timestamps option of the peer's SYN or SYN-ACK: negotiated only when both
  /// SYNs carry it (we offer it exactly when configured), and its TSval starts TS.Recent.
  func adoptTimestamps(of segment: TCPHeader, environment: TCPEnvironment) {
    guard environment.configuration.timestamps, let timestamp = segment.options.timestamp
    else {
      timestamps.negotiated = false
      return
    }
    timestamps.negotiated = true
    timestamps.recent = timestamp.value
    timestamps.recentSetAt = environment.now
  }

  /// PAWS (RFC 7323 §5.3, R1): whether a segment must be dropped because its TSval is older
  /// than TS.Recent. A RST is exempt, and so is every segment while TS.Recent is invalid;
  /// a TS.Recent older than 24 days is invalidated here (§5.5).
  func failsPAWS(_ segment: TCPHeader, now: Instant) -> Bool {
    guard timestamps.negotiated, !segment.flags.contains(.rst),
      let timestamp = segment.options.timestamp, let setAt = timestamps.recentSetAt,
      Int32(bitPattern: timestamp.value &- timestamps.recent) < 0
    else { return false }
    if now - setAt > TCPTimestampState.recentLifetime {
      timestamps.recentSetAt = nil
      return false
    }
    return true
  }

  /// Records the TSval of an acceptable segment in TS.Recent when it is not older and the
  /// segment starts at or before Last.ACK.sent (RFC 7323 §4.3 (2)), so our next ACK echoes the
  /// earliest segment it acknowledges and the peer's RTT covers a delayed ACK's wait.
  func noteTimestamp(of segment: TCPHeader, sequence: SequenceNumber, now: Instant) {
    guard timestamps.negotiated, let timestamp = segment.options.timestamp,
      !(timestamps.lastACKSent < sequence)
    else { return }
    if timestamps.recentSetAt != nil,
      Int32(bitPattern: timestamp.value &- timestamps.recent) < 0
    {
      return
    }
    timestamps.recent = timestamp.value
    timestamps.recentSetAt = now
  }

  /// The round trip a TSecr stands for (RFC 7323 §4.1): our clock now less the TSval the
  /// peer echoed, at least one tick (as Linux counts it). `nil` without timestamps, for a
  /// TSecr of 0 (not an echo), for one that is ahead of our clock or absurdly old, and for
  /// one older than our latest retransmission (see
  /// ``TCPTimestampState/lastRetransmissionValue``).
  func timestampRoundTrip(echoReply: UInt32?, now: Instant) -> Duration? {
    guard timestamps.negotiated, let echoReply, echoReply != 0 else { return nil }
    if let retransmitted = timestamps.lastRetransmissionValue,
      Int32(bitPattern: echoReply &- retransmitted) < 0
    {
      return nil
    }
    let ticks = timestampClock(at: now) &- echoReply
    guard ticks < TCPTimestampState.maximumEchoAge else { return nil }
    return .milliseconds(Swift.max(Int64(ticks), 1))
  }
}
