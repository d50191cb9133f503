import UsnetWire

extension TCPConnection {
  /// The options of a segment that acknowledges: once SACK is negotiated, a D-SACK block for
  /// the last duplicate first (RFC 2883 §4), then the queued out-of-order ranges, the one
  /// holding the newest segment first (RFC 2018 §4), as many as fit (4 without timestamps);
  /// no options otherwise. Allocates nothing in steady state.
  func acknowledgmentOptions() -> TCPOptions {
    var options = TCPOptions()
    guard sackNegotiated else { return options }
    if let duplicate = duplicateSACK {
      _ = options.sackBlocks.append(
        SACKBlock(start: duplicate.start.rawValue, end: duplicate.end.rawValue))
    }
    guard !reassembly.isEmpty else { return options }
    reassembly.rangesNewestFirst(
      limit: SACKBlockList.capacity - options.sackBlocks.count, into: &sackScratch)
    for range in sackScratch {
      _ = options.sackBlocks.append(
        SACKBlock(
          start: (receiveNext + range.lowerBound).rawValue,
          end: (receiveNext + range.upperBound).rawValue))
    }
    return options
  }

  /// Remembers that `length` bytes from `sequence` arrived again, for the next ACK's D-SACK
  /// block (only with SACK negotiated).
  func noteDuplicate(from sequence: SequenceNumber, length: Int) {
    guard sackNegotiated, length > 0 else { return }
    duplicateSACK = (sequence, sequence + length)
  }
}
