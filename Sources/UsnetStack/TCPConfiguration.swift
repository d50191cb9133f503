/// TCP defaults and limits of a ``NetworkStack``, Linux-like unless stated.
public struct TCPConfiguration: Sendable {
  /// Bytes an application may queue for sending per connection.
  public var sendBufferSize: Int = 256 * 1024
  /// Bytes of receive buffer (and so the largest advertised window) per connection: the
  /// ceiling of receive-buffer autotuning, or the fixed size with autotuning off. The window
  /// scale offered in a SYN is the one this size needs (Linux offers it for `tcp_rmem[2]`).
  public var receiveBufferSize: Int = 256 * 1024
  /// Grow each connection's receive buffer, from ``initialReceiveBufferSize`` up to
  /// ``receiveBufferSize``, to twice what the application reads per round trip (Linux's
  /// dynamic right-sizing, `tcp_moderate_rcvbuf`), so a fast reader on a long path gets a
  /// window that covers the path and a slow one does not tie up memory. Off: every
  /// connection gets ``receiveBufferSize`` from the start (as Linux does after `SO_RCVBUF`).
  public var receiveBufferAutotuning: Bool = true
  /// The receive buffer (and window) a connection starts with while autotuning (Linux's
  /// `tcp_rmem[1]`, 128 KiB; the SYN still offers at most 65,535 bytes); at most
  /// ``receiveBufferSize`` is used.
  public var initialReceiveBufferSize: Int = 128 * 1024
  /// The retransmission timeout before any RTT sample (RFC 6298: 1 s).
  public var initialRTO: Duration = .seconds(1)
  /// The floor of the retransmission timeout (Linux: 200 ms; RFC 6298 suggests 1 s).
  public var minimumRTO: Duration = .milliseconds(200)
  /// The ceiling of the retransmission timeout, also after backoff (Linux: 120 s).
  public var maximumRTO: Duration = .seconds(120)
  /// Retransmissions of a SYN before connect fails with ``TCPConnectionError/timedOut``.
  public var synRetries: Int = 6
  /// Retransmissions of a SYN-ACK before a half-open connection is dropped.
  public var synAckRetries: Int = 5
  /// Retransmissions of data or FIN before the connection fails with `timedOut`.
  public var dataRetries: Int = 15
  /// The maximum segment lifetime; TIME-WAIT lasts twice this (Linux: 60 s in all).
  public var maximumSegmentLifetime: Duration = .seconds(30)
  /// How long a receiver may delay an ACK for a single segment; `nil` acknowledges every segment
  /// at once. Every second full-sized segment is acknowledged immediately either way, and so
  /// is each of the first ``quickACKs`` segments of data (see there).
  public var delayedACKTimeout: Duration? = .milliseconds(40)
  /// Segments of data acknowledged at once, without delay, at the start of a connection and
  /// after it was idle longer than the retransmission timeout, so the peer's slow start is not
  /// held back by delayed ACKs (Linux's quick-ACK mode: at most 16, and at most the receive
  /// window over two segments). Not while the connection is interactive: data we send soon
  /// after data arrives carries the ACK instead (Linux's ping-pong mode).
  public var quickACKs: Int = 16
  /// The initial congestion window in segments (RFC 6928: 10).
  public var initialWindowSegments: Int = 10
  /// After an idle period longer than the RTO, start again from at most the initial window
  /// (RFC 5681 §4.1; Linux `tcp_slow_start_after_idle`, on by default).
  public var slowStartAfterIdle: Bool = true
  /// The congestion control algorithm for new connections.
  public var congestionControl: CongestionControlAlgorithm = .cubic
  /// Offer the window scale option (RFC 7323).
  public var windowScaling: Bool = true
  /// Offer and accept SACK (RFC 2018): while data is missing, our ACKs then carry SACK blocks
  /// (and D-SACK blocks for duplicates, RFC 2883), so the peer retransmits only the holes.
  public var selectiveAcknowledgments: Bool = true
  /// Offer and accept the timestamps option (RFC 7323; Linux `tcp_timestamps`, on by
  /// default). Once both SYNs carry it, every segment but a RST carries TSval and TSecr (12
  /// bytes less payload per full-sized segment), every ACK of new data gives an RTT sample,
  /// also for retransmitted data, and PAWS drops segments with an old TSval.
  public var timestamps: Bool = true
  /// RACK-TLP (RFC 8985), with SACK negotiated: segments are deemed lost by time (a segment
  /// sent later was delivered a reordering window ago) rather than by counting, which also
  /// finds lost retransmissions, and a probe after two RTTs of silence turns a tail loss into
  /// SACK information instead of a timeout. Off, SACK recovery uses RFC 6675's IsLost alone.
  public var rackTLP: Bool = true
  /// Local ports used for connections that do not bind one (Linux: 32768...60999).
  public var ephemeralPorts: ClosedRange<UInt16> = 32768...60999
  /// Idle time before the first keep-alive probe on connections that enable keep-alive
  /// (Linux `tcp_keepalive_time`: 2 hours).
  public var keepAliveIdle: Duration = .seconds(7200)
  /// Time between unanswered keep-alive probes (Linux `tcp_keepalive_intvl`: 75 s).
  public var keepAliveInterval: Duration = .seconds(75)
  /// Unanswered probes before the connection fails with `timedOut` (Linux: 9).
  public var keepAliveProbes: Int = 9
  /// The most challenge ACKs (RFC 5961) the whole stack sends per second (Linux: 1000).
  public var challengeACKsPerSecond: Int = 1000
  /// The largest backlog a listener may ask for (Linux `somaxconn`: 4096).
  public var maximumBacklog: Int = 4096
  /// Packetization-layer path MTU discovery for black holes (RFC 4821 in the manner of Linux
  /// `tcp_mtu_probing=1`): when full-size segments only ever time out (ICMP filtered on the
  /// path), the second consecutive timeout lowers the connection's MSS to
  /// ``pathMTUProbeBaseMSS``, later ones halve it down to 536; larger probe segments then
  /// search upward, and the search restarts every ``pathMTUProbeInterval``.
  ///
  /// On by default, unlike Linux (where it is 0): a userspace stack often runs behind tunnels
  /// and filters that drop ICMP, and without it such a connection stalls until it times out.
  /// It changes nothing on a path that works or that sends ICMP.
  public var pathMTUProbing: Bool = true
  /// The MSS a connection drops to when a black hole is detected (Linux `tcp_base_mss`: 1024).
  public var pathMTUProbeBaseMSS: Int = 1024
  /// How long after a finished upward search the next one starts (Linux
  /// `tcp_probe_interval`: 600 s).
  public var pathMTUProbeInterval: Duration = .seconds(600)
  /// The default user timeout (`TCP_USER_TIMEOUT`, RFC 5482) of new connections: how long
  /// sent data may stay unacknowledged (or a zero window stay closed under probes, or
  /// keep-alive probes go unanswered) before the connection fails with `timedOut`, even when
  /// retries remain. `nil` (the default, as on Linux) leaves it to the retry counts.
  public var userTimeout: Duration? = nil

  /// Creates the defaults.
  public init() {}

  /// TIME-WAIT duration: twice the maximum segment lifetime.
  public var timeWaitDuration: Duration { maximumSegmentLifetime * 2 }

  func validate() throws(ConfigurationError) {
    let bufferRange = 1024...(1 << 30)
    try check(
      bufferRange.contains(sendBufferSize), "tcp.sendBufferSize", "\(sendBufferSize)",
      "bytes from 1024 to 1073741824")
    try check(
      bufferRange.contains(receiveBufferSize), "tcp.receiveBufferSize", "\(receiveBufferSize)",
      "bytes from 1024 to 1073741824")
    try check(
      bufferRange.contains(initialReceiveBufferSize), "tcp.initialReceiveBufferSize",
      "\(initialReceiveBufferSize)", "bytes from 1024 to 1073741824")
    try check(
      (0...1000).contains(quickACKs), "tcp.quickACKs", "\(quickACKs)", "0 to 1000 segments")
    try check(
      minimumRTO > .zero && minimumRTO <= maximumRTO, "tcp.minimumRTO", "\(minimumRTO)",
      "a positive duration no larger than tcp.maximumRTO")
    try check(
      initialRTO >= minimumRTO && initialRTO <= maximumRTO, "tcp.initialRTO", "\(initialRTO)",
      "a duration between tcp.minimumRTO and tcp.maximumRTO")
    try check(
      (0...255).contains(synRetries), "tcp.synRetries", "\(synRetries)", "0 to 255")
    try check(
      (0...255).contains(synAckRetries), "tcp.synAckRetries", "\(synAckRetries)", "0 to 255")
    try check(
      (1...255).contains(dataRetries), "tcp.dataRetries", "\(dataRetries)", "1 to 255")
    try check(
      maximumSegmentLifetime >= .zero, "tcp.maximumSegmentLifetime",
      "\(maximumSegmentLifetime)", "a duration of zero or more")
    if let delay = delayedACKTimeout {
      try check(
        delay > .zero && delay <= .milliseconds(500), "tcp.delayedACKTimeout", "\(delay)",
        "a duration above zero and at most 500 ms, or nil")
    }
    try check(
      (1...100).contains(initialWindowSegments), "tcp.initialWindowSegments",
      "\(initialWindowSegments)", "1 to 100 segments")
    try check(
      ephemeralPorts.lowerBound >= 1024, "tcp.ephemeralPorts", "\(ephemeralPorts)",
      "a range of ports within 1024...65535")
    try check(
      keepAliveIdle > .zero, "tcp.keepAliveIdle", "\(keepAliveIdle)", "a positive duration")
    try check(
      keepAliveInterval > .zero, "tcp.keepAliveInterval", "\(keepAliveInterval)",
      "a positive duration")
    try check(
      (1...255).contains(keepAliveProbes), "tcp.keepAliveProbes", "\(keepAliveProbes)",
      "1 to 255")
    try check(
      challengeACKsPerSecond >= 1, "tcp.challengeACKsPerSecond", "\(challengeACKsPerSecond)",
      "1 or more")
    try check(
      (1...65535).contains(maximumBacklog), "tcp.maximumBacklog", "\(maximumBacklog)",
      "1 to 65535")
    try check(
      (536...65495).contains(pathMTUProbeBaseMSS), "tcp.pathMTUProbeBaseMSS",
      "\(pathMTUProbeBaseMSS)", "536 to 65495 bytes")
    try check(
      pathMTUProbeInterval >= .seconds(1), "tcp.pathMTUProbeInterval",
      "\(pathMTUProbeInterval)", "a duration of 1 second or more")
    if let userTimeout {
      try check(
        userTimeout > .zero && userTimeout <= .seconds(Int(Int32.max) / 1000),
        "tcp.userTimeout", "\(userTimeout)", "a positive duration up to 2147483 s, or nil")
    }
  }
}

/// UDP limits of a ``NetworkStack``.
public struct UDPConfiguration: Sendable {
  /// Datagrams a socket queues before further ones are dropped and counted.
  public var receiveQueueDatagrams: Int = 256
  /// Payload bytes a socket queues before further datagrams are dropped and counted.
  public var receiveQueueBytes: Int = 256 * 1024
  /// Local ports for sockets bound to port 0.
  public var ephemeralPorts: ClosedRange<UInt16> = 32768...60999

  /// Creates the defaults.
  public init() {}

  func validate() throws(ConfigurationError) {
    try check(
      receiveQueueDatagrams >= 1, "udp.receiveQueueDatagrams", "\(receiveQueueDatagrams)",
      "1 or more")
    try check(
      receiveQueueBytes >= 1500, "udp.receiveQueueBytes", "\(receiveQueueBytes)",
      "1500 bytes or more")
    try check(
      ephemeralPorts.lowerBound >= 1024, "udp.ephemeralPorts", "\(ephemeralPorts)",
      "a range of ports within 1024...65535")
  }
}

/// Neighbour (ARP) cache behaviour.
public struct NeighborConfiguration: Sendable {
  /// How long a resolved entry is used before it is confirmed again (smoltcp: 60 s).
  public var entryLifetime: Duration = .seconds(60)
  /// The minimum spacing of ARP requests for one address (RFC 1122: at most 1 per second).
  public var requestInterval: Duration = .seconds(1)
  /// Requests sent before an address is declared unreachable.
  public var maximumRequests: Int = 3
  /// Packets queued per unresolved address; more are dropped and counted.
  public var pendingPacketLimit: Int = 16
  /// The most entries in the cache; the stalest is evicted beyond it.
  public var capacity: Int = 1024

  /// Creates the defaults.
  public init() {}

  func validate() throws(ConfigurationError) {
    try check(
      entryLifetime > .zero, "neighbors.entryLifetime", "\(entryLifetime)",
      "a positive duration")
    try check(
      requestInterval > .zero, "neighbors.requestInterval", "\(requestInterval)",
      "a positive duration")
    try check(
      (1...100).contains(maximumRequests), "neighbors.maximumRequests", "\(maximumRequests)",
      "1 to 100")
    try check(
      (1...4096).contains(pendingPacketLimit), "neighbors.pendingPacketLimit",
      "\(pendingPacketLimit)", "1 to 4096")
    try check(
      (1...1_000_000).contains(capacity), "neighbors.capacity", "\(capacity)", "1 to 1000000")
  }
}
