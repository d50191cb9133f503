/// Counters of a ``NetworkStack``: traffic, drops per reason and TCP events.
///
/// The invariant `framesReceived == framesAccepted + totalDrops` holds after every call to
/// ``NetworkStack/receive(frame:at:)``.
public struct StackCounters: Sendable, Hashable {
  /// Frames handed to ``NetworkStack/receive(frame:at:)``.
  public var framesReceived = 0
  /// Frames that were processed without being dropped.
  public var framesAccepted = 0
  /// Received frames whose device marked the transport checksum partial or verified
  /// (virtio-net `NEEDS_CSUM` or `DATA_VALID`), so it was not verified in software.
  public var framesWithTrustedChecksum = 0
  /// Frames returned by ``NetworkStack/transmit(into:at:)``.
  public var framesTransmitted = 0
  /// Drops per ``DropReason``, indexed by its raw value.
  public private(set) var drops = [Int](repeating: 0, count: DropReason.allCases.count)
  /// TCP segments received on a connection or listener.
  public var tcpSegmentsReceived = 0
  /// TCP segments sent.
  public var tcpSegmentsSent = 0
  /// TCP segments retransmitted (after a timeout or by fast retransmit).
  public var tcpRetransmissions = 0
  /// Retransmission timeouts that fired.
  public var tcpTimeouts = 0
  /// Fast retransmits (three duplicate ACKs).
  public var tcpFastRetransmits = 0
  /// Loss recovery episodes driven by SACK (RFC 6675).
  public var tcpSACKRecoveries = 0
  /// ACKs or reordering timeouts on which RACK (RFC 8985) deemed segments lost.
  public var tcpLossesDetectedByRACK = 0
  /// Tail loss probes sent (RFC 8985 §7).
  public var tcpTailLossProbes = 0
  /// Losses a retransmitted tail loss probe repaired (no timeout needed).
  public var tcpTailLossProbeRepairs = 0
  /// D-SACK blocks received: the peer reports data it got twice (RFC 2883).
  public var tcpDuplicateSACKsReceived = 0
  /// Recovery episodes whose window reduction was undone because D-SACKs showed every
  /// retransmission was needless (RFC 3708).
  public var tcpSpuriousRecoveriesUndone = 0
  /// Retransmission timeouts found needless by their first ACK's timestamp echo (Eifel,
  /// RFC 3522) and undone.
  public var tcpSpuriousTimeoutsUndone = 0
  /// SACK blocks ignored as invalid (empty, below SND.UNA or beyond SND.MAX).
  public var tcpInvalidSACKBlocks = 0
  /// RSTs sent.
  public var tcpResetsSent = 0
  /// Challenge ACKs sent (RFC 5961).
  public var tcpChallengeACKs = 0
  /// Challenge ACKs suppressed by the rate limit.
  public var tcpChallengeACKsSuppressed = 0
  /// Receive buffers grown by autotuning (``TCPConfiguration/receiveBufferAutotuning``).
  public var tcpReceiveBufferGrowths = 0
  /// Connections that entered ESTABLISHED.
  public var tcpConnectionsEstablished = 0
  /// Half-open connections dropped after their SYN-ACK retries ran out.
  public var tcpHalfOpenExpired = 0
  /// Connections that failed because their user timeout (`TCP_USER_TIMEOUT`) ran out.
  public var tcpUserTimeouts = 0
  /// Black holes detected: repeated timeouts of full-size segments lowered a connection's MSS
  /// (RFC 4821; Linux `TCPMTUPFail`-like).
  public var tcpPathMTUBlackHoles = 0
  /// Probe segments sent to search for a larger MSS after a black hole.
  public var tcpPathMTUProbes = 0
  /// Probes acknowledged: the connection's MSS grew to their size (Linux `TCPMTUPSuccess`).
  public var tcpPathMTUProbesSucceeded = 0
  /// Probes that had to be retransmitted: their size was taken as too big.
  public var tcpPathMTUProbesFailed = 0
  /// Path MTU cache entries lowered by a validated ICMP fragmentation needed.
  public var pathMTUUpdates = 0
  /// Path MTU cache entries that expired (or were evicted), raising the path MTU again.
  public var pathMTUExpirations = 0
  /// ARP requests sent.
  public var arpRequestsSent = 0
  /// Packets dropped while waiting for address resolution (queue full or resolution failed).
  public var neighborPendingDrops = 0
  /// ICMP echo replies sent.
  public var icmpEchoRepliesSent = 0
  /// ICMP echo replies handed to an echo socket.
  public var icmpEchoRepliesReceived = 0
  /// ICMP echo replies dropped because their echo socket's queue was full.
  public var icmpEchoRepliesDropped = 0
  /// ICMP destination unreachable messages sent.
  public var icmpUnreachablesSent = 0
  /// ICMP time exceeded messages sent (code 1: fragment reassembly time exceeded).
  public var icmpTimeExceededSent = 0
  /// IPv4 fragments received for one of our addresses and handed to reassembly.
  public var ipv4FragmentsReceived = 0
  /// IPv4 datagrams completed from fragments and passed on to ICMP, UDP or TCP.
  public var ipv4DatagramsReassembled = 0
  /// IPv4 datagrams discarded before they were complete: overlap, end conflict, a limit or
  /// the timeout (Linux's `ReasmFails`).
  public var ipv4ReassemblyFailures = 0
  /// The part of ``ipv4ReassemblyFailures`` whose timeout ran out (Linux's `ReasmTimeout`).
  public var ipv4ReassemblyTimeouts = 0
  /// Outgoing IPv4 datagrams longer than the MTU that were sent as fragments (Linux's
  /// `FragOKs`).
  public var ipv4DatagramsFragmented = 0
  /// Fragments created for them (Linux's `FragCreates`).
  public var ipv4FragmentsCreated = 0

  /// Creates zeroed counters.
  public init() {}

  /// Drops for one reason.
  public subscript(reason: DropReason) -> Int { drops[reason.rawValue] }

  /// Drops over all reasons.
  public var totalDrops: Int { drops.reduce(0, +) }

  mutating func drop(_ reason: DropReason) { drops[reason.rawValue] += 1 }

  /// Non-zero drop counters by reason, for reports.
  public var nonZeroDrops: [(DropReason, Int)] {
    DropReason.allCases.compactMap { drops[$0.rawValue] > 0 ? ($0, drops[$0.rawValue]) : nil }
  }
}
