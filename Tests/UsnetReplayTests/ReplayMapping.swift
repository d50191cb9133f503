import UsnetWire

/// What is legitimately different between a recording and its replay, made explicit: the
/// stack's initial sequence number per connection (RFC 6528: random) and the base of its IPv4
/// identification counter (the recorded stack had sent other packets before). Each is learned
/// from the first frame that shows it; everything else must match as recorded.
struct ReplayMapping {
  /// Replayed minus recorded sequence number of the stack, per peer port.
  private(set) var sequenceOffsets: [UInt16: UInt32] = [:]
  /// Replayed minus recorded IPv4 identification of the stack.
  private(set) var identificationOffset: UInt16?

  /// Learns the stack's ISN for `peerPort` from a SYN it emitted (`replayed`) and the one
  /// recorded; a later SYN for the same port keeps the first mapping.
  mutating func learnSequence(peerPort: UInt16, replayed: UInt32, recorded: UInt32) {
    if sequenceOffsets[peerPort] == nil { sequenceOffsets[peerPort] = replayed &- recorded }
  }

  /// A stack sequence number of the replay in the recording's sequence space.
  func recordedSequence(_ value: UInt32, peerPort: UInt16) -> UInt32 {
    value &- (sequenceOffsets[peerPort] ?? 0)
  }

  /// A stack sequence number of the recording (as the peer acknowledges it) in the replay's.
  func replayedSequence(_ value: UInt32, peerPort: UInt16) -> UInt32 {
    value &+ (sequenceOffsets[peerPort] ?? 0)
  }

  /// The recording's identification for a replayed one, learning the offset from the first.
  mutating func recordedIdentification(_ replayed: UInt16, recorded: UInt16) -> UInt16 {
    if identificationOffset == nil { identificationOffset = replayed &- recorded }
    return replayed &- (identificationOffset ?? 0)
  }

  /// `frame` (a peer's frame of the recording) rewritten for the replay: a TCP segment's
  /// acknowledgment number moved into the replay's sequence space and its checksum computed
  /// afresh (the recording may hold partial checksums from the TAP's offloads).
  func peerFrame(_ frame: [UInt8]) -> [UInt8] {
    var frame = frame
    guard let (ethernet, ipRange) = try? EthernetHeader.parse(frame, in: 0..<frame.count),
      ethernet.etherType == .ipv4,
      let (ip, segment) = try? IPv4Header.parse(frame, in: ipRange), ip.protocol == .tcp,
      segment.count >= TCPHeader.minimumLength
    else { return frame }
    let start = segment.lowerBound
    if TCPFlags(rawValue: frame[start + 13]).contains(.ack) {
      let peerPort = frame.readUInt16(at: start)
      let ack = replayedSequence(frame.readUInt32(at: start + 8), peerPort: peerPort)
      frame.writeUInt32(ack, at: start + 8)
    }
    TCPHeader.writeChecksum(
      in: &frame, segment: segment, source: ip.source, destination: ip.destination)
    return frame
  }
}
