/// Limits of IPv4 reassembly (RFC 791), Linux-like unless stated.
///
/// Memory stays bounded by ``maximumBytes``: a fragment that would need more, or a new
/// datagram beyond ``maximumDatagrams``, is refused and counted
/// (``DropReason/ipv4ReassemblyLimit``) rather than evicting datagrams in progress, as Linux
/// does above `ipfrag_high_thresh`.
public struct ReassemblyConfiguration: Sendable {
  /// Bytes of reassembly buffers held across all datagrams in progress (Linux's
  /// `ipfrag_high_thresh`: 4 MiB). A datagram's buffer is as long as the highest fragment end
  /// seen plus a 20-byte header, reserved in doubling steps.
  public var maximumBytes: Int = 4 * 1024 * 1024
  /// Datagrams in progress at once (Linux has no count limit, only the bytes).
  public var maximumDatagrams: Int = 256
  /// Fragments that may make up one datagram; a datagram that needs more is discarded. A
  /// 65,507-byte UDP datagram needs 45 fragments over an MTU of 1500 and 119 over 576.
  public var maximumFragmentsPerDatagram: Int = 512
  /// How long a datagram may take to complete from its first fragment (Linux's
  /// `ipfrag_time`: 30 s; RFC 791 suggests 15 s).
  public var timeout: Duration = .seconds(30)

  /// Creates the defaults.
  public init() {}

  func validate() throws(ConfigurationError) {
    try check(
      (65536...(1 << 30)).contains(maximumBytes), "reassembly.maximumBytes", "\(maximumBytes)",
      "65536 to 1073741824 bytes (room for at least one full-size datagram)")
    try check(
      (1...65536).contains(maximumDatagrams), "reassembly.maximumDatagrams",
      "\(maximumDatagrams)", "1 to 65536")
    try check(
      (2...8192).contains(maximumFragmentsPerDatagram), "reassembly.maximumFragmentsPerDatagram",
      "\(maximumFragmentsPerDatagram)", "2 to 8192")
    try check(
      timeout >= .seconds(1) && timeout <= .seconds(255), "reassembly.timeout", "\(timeout)",
      "1 to 255 seconds")
  }
}
