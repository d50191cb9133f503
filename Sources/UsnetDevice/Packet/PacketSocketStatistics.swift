/// What the kernel counted for a ``PacketSocket`` (PACKET_STATISTICS, summed over reads, since
/// the kernel resets its counters on each read) and what the socket counted itself.
///
/// The kernel does not count the frames its socket filter rejected; ``packets`` counts the
/// ones that passed it. A plain value; `Sendable`. A snapshot.
public struct PacketSocketStatistics: Hashable, Sendable {
  /// Frames that passed the filter (`tp_packets`), including the dropped ones.
  public var packets = 0
  /// Frames dropped for want of room in the ring or the receive buffer (`tp_drops`).
  public var drops = 0
  /// Times the receive ring was full and froze (`tp_freeze_q_cnt`, TPACKET_V3 only).
  public var ringFreezes = 0
  /// Frames the host sent that reached the receive ring (`PACKET_OUTGOING`) and were skipped.
  public var outgoingSkipped = 0
  /// Receive blocks given back to the kernel unread because they were corrupt.
  public var corruptBlocks = 0
  /// Transmit slots the kernel rejected (`TP_STATUS_WRONG_FORMAT`, or skipped with
  /// PACKET_LOSS).
  public var rejectedTransmissions = 0
  /// Frames not sent because every transmit slot was still owned by the kernel.
  public var transmitRingFull = 0

  /// Creates zeroed statistics.
  public init() {}
}
