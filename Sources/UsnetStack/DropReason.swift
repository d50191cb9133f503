/// Why a received frame was not (fully) accepted. Every received frame is either accepted or
/// counted under exactly one of these reasons (see ``StackCounters``).
public enum DropReason: Int, CaseIterable, Sendable, CustomStringConvertible {
  /// Shorter than an Ethernet header, or a broken VLAN tag.
  case malformedEthernet
  /// Addressed to another MAC (not ours, not broadcast).
  case notOurMAC
  /// An EtherType the stack does not handle (IPv6 for now, and others).
  case unsupportedEtherType
  /// A truncated ARP packet or one for other hardware or protocol types.
  case malformedARP
  /// A well-formed ARP packet that asks about or answers for an address that is not ours and
  /// matches no cache entry.
  case arpNotForUs
  /// An IPv4 header that fails parsing (version, lengths).
  case malformedIPv4
  /// An IPv4 header checksum mismatch.
  case ipv4BadChecksum
  /// An IPv4 packet for an address that is not ours.
  case notOurIPv4Address
  /// An IPv4 fragment that is invalid on its own: empty, a fragment other than the last whose
  /// length is not a multiple of 8, or one reaching beyond the 65,535 bytes a datagram may
  /// have. Only the fragment is dropped.
  case ipv4FragmentMalformed
  /// An IPv4 fragment that overlaps data already held for its datagram, other than as an exact
  /// duplicate: the whole datagram is discarded (see ``StackConfiguration/reassembly``).
  case ipv4FragmentOverlap
  /// An IPv4 fragment that contradicts the datagram's end: a second last fragment with another
  /// end, a last fragment before data already held, or data beyond the known end. The whole
  /// datagram is discarded.
  case ipv4FragmentEndConflict
  /// An IPv4 fragment whose every byte is already held with the same values; the datagram is
  /// kept.
  case ipv4FragmentDuplicate
  /// An IPv4 fragment refused by a reassembly limit: too many datagrams in progress, the byte
  /// limit, or too many fragments for one datagram (which is then discarded).
  case ipv4ReassemblyLimit
  /// A source address that no host may use (broadcast, multicast, ours).
  case ipv4BadSource
  /// An IP protocol other than ICMP, UDP and TCP.
  case unsupportedIPProtocol
  /// A truncated ICMP message or one with a bad checksum.
  case malformedICMP
  /// An ICMP message the stack does not act on (or an error that matches no socket).
  case icmpIgnored
  /// A truncated UDP datagram, a bad length field or a bad checksum.
  case malformedUDP
  /// A UDP datagram for a port no socket is bound to (answered with port unreachable unless
  /// it was broadcast), or from a peer other than the one a connected socket accepts (dropped
  /// silently, as Linux does).
  case udpNoSocket
  /// A UDP datagram that did not fit the socket's receive queue.
  case udpReceiveQueueFull
  /// A truncated TCP segment, bad data offset, illegal option length or bad checksum.
  case malformedTCP
  /// A TCP segment for no connection and no listener (answered with RST unless it was one).
  case tcpNoConnection
  /// A SYN dropped because the listener's SYN or accept queue is full.
  case tcpListenQueueFull
  /// A segment outside the receive window, or otherwise unacceptable (answered with an ACK).
  case tcpUnacceptable
  /// A RST that failed the RFC 5961 checks (ignored, or answered with a challenge ACK).
  case tcpRSTRejected
  /// A SYN on a synchronized connection (answered with a challenge ACK, RFC 5961).
  case tcpUnexpectedSYN
  /// An ACK for data never sent, or too old (RFC 5961 §5).
  case tcpBadACK
  /// A segment a state does not accept (for example, no ACK bit after the handshake).
  case tcpInvalidForState
  /// A segment whose TSval is older than the connection's TS.Recent (PAWS, RFC 7323 §5):
  /// answered with an ACK and dropped.
  case tcpPAWSRejected

  /// The reason's name.
  public var description: String {
    // Not "\(self)": string interpolation would call this property again.
    switch self {
    case .malformedEthernet: "malformedEthernet"
    case .notOurMAC: "notOurMAC"
    case .unsupportedEtherType: "unsupportedEtherType"
    case .malformedARP: "malformedARP"
    case .arpNotForUs: "arpNotForUs"
    case .malformedIPv4: "malformedIPv4"
    case .ipv4BadChecksum: "ipv4BadChecksum"
    case .notOurIPv4Address: "notOurIPv4Address"
    case .ipv4FragmentMalformed: "ipv4FragmentMalformed"
    case .ipv4FragmentOverlap: "ipv4FragmentOverlap"
    case .ipv4FragmentEndConflict: "ipv4FragmentEndConflict"
    case .ipv4FragmentDuplicate: "ipv4FragmentDuplicate"
    case .ipv4ReassemblyLimit: "ipv4ReassemblyLimit"
    case .ipv4BadSource: "ipv4BadSource"
    case .unsupportedIPProtocol: "unsupportedIPProtocol"
    case .malformedICMP: "malformedICMP"
    case .icmpIgnored: "icmpIgnored"
    case .malformedUDP: "malformedUDP"
    case .udpNoSocket: "udpNoSocket"
    case .udpReceiveQueueFull: "udpReceiveQueueFull"
    case .malformedTCP: "malformedTCP"
    case .tcpNoConnection: "tcpNoConnection"
    case .tcpListenQueueFull: "tcpListenQueueFull"
    case .tcpUnacceptable: "tcpUnacceptable"
    case .tcpRSTRejected: "tcpRSTRejected"
    case .tcpUnexpectedSYN: "tcpUnexpectedSYN"
    case .tcpBadACK: "tcpBadACK"
    case .tcpInvalidForState: "tcpInvalidForState"
    case .tcpPAWSRejected: "tcpPAWSRejected"
    }
  }
}
