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
  /// An IPv4 fragment (reassembly is not built yet).
  case ipv4Fragment
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
    case .ipv4Fragment: "ipv4Fragment"
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
