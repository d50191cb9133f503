import UsnetWire

/// One TCP connection: the RFC 9293 state machine with its buffers, timers, RTT estimator and
/// congestion control.
///
/// Owned by one ``NetworkStack`` and touched only from its caller's thread. Input is in
/// `TCPConnection+Input.swift`, output in `TCPConnection+Output.swift`, timers in
/// `TCPConnection+Timers.swift` and the application calls in `TCPConnection+Calls.swift`.
final class TCPConnection {
  let id: TCPSocketID
  let tuple: FourTuple
  var state: TCPState
  /// The listener whose SYN queue holds this half-open connection, until it is established.
  var listener: TCPListenerID?
  /// Whether the connection was opened by a passive open (a listener).
  let isPassive: Bool

  // MARK: Send sequence space (RFC 9293 §3.3.1)
  let initialSendSequence: SequenceNumber
  var sendUnacknowledged: SequenceNumber
  var sendNext: SequenceNumber
  /// The highest sequence number sent so far (SND.NXT moves back on retransmission; this not).
  var sendMaximum: SequenceNumber
  var sendWindow = 0
  var maximumSendWindow = 0
  var sendWindowUpdateSequence = SequenceNumber(0)
  var sendWindowUpdateAcknowledgment = SequenceNumber(0)
  /// Bytes the application queued and the peer has not acknowledged, starting at
  /// ``sendBufferSequence``.
  var sendBuffer: ByteRing
  /// The sequence number of the first byte in ``sendBuffer``.
  var sendBufferSequence: SequenceNumber
  /// The application closed its sending side: a FIN follows the buffered data.
  var finQueued = false
  /// Maximum segment size for what we send: ``negotiatedMSS`` limited by ``pathMSS`` and by
  /// a black-hole search (`TCPConnection+PathMTU.swift`).
  var sendMSS: Int
  /// The peer's MSS option clamped by our interface (536 before the handshake).
  var negotiatedMSS: Int
  /// The MSS the destination's path MTU allows (from ICMP fragmentation needed, through the
  /// stack's path MTU cache), or `Int.max` when nothing is known.
  var pathMSS: Int
  /// The packetization-layer search for a working MSS after a black hole (RFC 4821).
  var pathMTUSearch = PathMTUSearch()
  /// Shift applied to windows the peer advertises.
  var sendWindowShift: UInt8 = 0

  // MARK: Receive sequence space
  var initialReceiveSequence = SequenceNumber(0)
  var receiveNext = SequenceNumber(0)
  /// In-order data the application has not read, and out-of-order data beyond it. Its
  /// capacity grows with autotuning (`TCPConnection+ReceiveAutotuning.swift`), never shrinks.
  var receiveBuffer: ByteRing
  /// The most ``receiveBuffer`` may grow to (``TCPConfiguration/receiveBufferSize``).
  let receiveBufferLimit: Int
  /// Autotuning's measurement of how fast the application reads; `nil` with autotuning off.
  var receiveSpace: ReceiveSpaceMeasurement?
  var reassembly = ReassemblyRanges()
  /// The sequence number of a FIN that arrived ahead of missing data.
  var pendingFINSequence: SequenceNumber?
  /// Shift applied to windows we advertise.
  var receiveWindowShift: UInt8 = 0
  /// Our offered window scale (sent in our SYN when window scaling is enabled).
  let offeredWindowShift: UInt8
  /// Both SYNs carried the window scale option.
  var windowScalingNegotiated = false
  /// Both SYNs carried SACK-permitted: our ACKs carry SACK blocks (RFC 2018).
  var sackNegotiated = false
  /// A duplicate segment to report first in the next ACK's SACK blocks (D-SACK, RFC 2883).
  var duplicateSACK: (start: SequenceNumber, end: SequenceNumber)?
  /// Scratch space for the SACK blocks of one ACK.
  var sackScratch: [Range<Int>] = []
  /// The peer's FIN has been received (in order).
  var finReceived = false
  /// The right edge of the last window we advertised (never moved left).
  var advertisedRightEdge = SequenceNumber(0)
  /// TSval/TSecr, TS.Recent and Last.ACK.sent (RFC 7323), in `TCPConnection+Timestamps.swift`.
  var timestamps = TCPTimestampState()

  // MARK: Timers and recovery
  var rto: RetransmissionTimeout
  var retransmitDeadline: Instant?
  var retransmitCount = 0
  var persistDeadline: Instant?
  var persistBackoff = 0
  var delayedACKDeadline: Instant?
  /// Quick-ACK and interactive (ping-pong) state, in `TCPConnection+DelayedACK.swift`.
  var delayedACK = DelayedACKState()
  var timeWaitDeadline: Instant?
  /// A FIN-WAIT-2 limit for connections the application has closed (Linux `tcp_fin_timeout`).
  var finWait2Deadline: Instant?
  var rttTimedSequence: SequenceNumber?
  var rttTimedAt = Instant.zero
  var congestion: any CongestionControl
  var lossRecovery: LossRecovery
  /// After a first timeout with timestamps: the retransmission's TSval and the window and
  /// threshold before the timeout, for Eifel detection (`TCPConnection+SpuriousTimeout.swift`).
  var spuriousTimeoutCheck: (retransmittedAt: UInt32, window: Int, threshold: Int)?
  /// How much of the congestion window was used lately (app-limited detection, restart after
  /// idle).
  var windowUse = CongestionWindowUse()
  /// What the peer has SACKed above SND.UNA (only with SACK negotiated).
  var scoreboard = SACKScoreboard()
  /// RACK's record of transmissions (only with SACK negotiated).
  var recentACK = RecentACK()
  /// RACK's reordering timer: when a segment sent before the latest delivered one is due to
  /// be deemed lost.
  var reorderDeadline: Instant?
  /// The tail loss probe timer (RFC 8985 §7).
  var tailLossProbeDeadline: Instant?
  /// The probe that is out: the SND.MAX it reached, and whether it was a retransmission.
  var tailLossProbe: (end: SequenceNumber, isRetransmission: Bool)?
  /// A D-SACK reported the probe's retransmission as a duplicate: nothing was lost.
  var tailLossProbeWasDuplicate = false
  /// The probe to send: new data beyond the congestion window, or the last segment again.
  var tailLossProbePending = false
  /// The end of the last segment written (its sequence range's upper bound).
  var lastSentEnd = SequenceNumber(0)
  /// The last ICMP unreachable seen while retrying: reported if the retries then run out.
  var softError: UnreachableReason?
  /// The user timeout (`TCP_USER_TIMEOUT`), or `nil` to rely on the retry counts alone.
  var userTimeout: Duration?
  /// Since when the data at SND.UNA has waited for an acknowledgment (the last forward
  /// progress, or the first transmission after an idle time); `nil` before anything was sent.
  var unacknowledgedSince: Instant?
  /// When the first zero-window probe of the current closed-window period was sent.
  var zeroWindowProbedSince: Instant?
  /// When the peer was last heard from, while keep-alive is on.
  var keepAliveQuietSince: Instant?

  // MARK: Pending output
  var ackNow = false
  /// Out-of-order segments that arrived since the last transmission: each is answered with
  /// its own pure duplicate ACK before any data (RFC 5681 §4.2), so the peer's duplicate-ACK
  /// counting works even when a batch of segments is processed before output, and in
  /// bidirectional transfers.
  var duplicateACKsOwed = 0
  var unacknowledgedSegments = 0
  var retransmitFirstPending = false
  /// Bytes limited transmit (RFC 3042) lets out beyond the congestion window: one MSS per
  /// duplicate ACK below the fast-retransmit threshold, cleared by the next new ACK.
  var limitedTransmitAllowance = 0
  var windowProbePending = false
  /// The persist timer ran out while sender SWS avoidance held back a small segment: it may
  /// go now (RFC 9293 §3.8.6.2.1's override timeout).
  var smallSegmentOverride = false
  var resetPending = false

  /// The connection is in the stack's queue of connections that may have output.
  var queuedForOutput = false
  /// The connection is in the stack's list of socket events not yet taken.
  var socketEventPending = false
  /// The deadline the stack's timer queue holds for this connection, if any.
  var scheduledDeadline: Instant?

  // MARK: Application side
  /// Disables Nagle's algorithm.
  var noDelay = false
  /// The IPv4 TTL of this connection's packets; `nil` uses the stack's.
  var timeToLive: UInt8?
  /// Keep-alive probing is on (`SO_KEEPALIVE`).
  var keepAlive = false
  /// When the next keep-alive probe is due, while keep-alive is on and the peer is quiet.
  var keepAliveDeadline: Instant?
  /// Keep-alive probes sent since the peer was last heard from.
  var keepAliveProbesSent = 0
  /// The application released its handle; the connection finishes on its own.
  var applicationClosed = false
  /// The application shut down reading: buffered and further data is discarded.
  var readShutdown = false
  /// Why the connection failed, if it did.
  var error: TCPConnectionError?

  init(
    id: TCPSocketID, tuple: FourTuple, state: TCPState, isPassive: Bool,
    initialSendSequence: SequenceNumber, configuration: TCPConfiguration, interfaceMSS: Int,
    pathMSS: Int = .max
  ) {
    self.id = id
    self.tuple = tuple
    self.state = state
    self.isPassive = isPassive
    self.initialSendSequence = initialSendSequence
    sendUnacknowledged = initialSendSequence
    sendNext = initialSendSequence
    sendMaximum = initialSendSequence
    lossRecovery = LossRecovery(initialSendSequence: initialSendSequence)
    windowUse.roundEnd = initialSendSequence
    sendBufferSequence = initialSendSequence + 1
    sendBuffer = ByteRing(capacity: configuration.sendBufferSize)
    receiveBufferLimit = configuration.receiveBufferSize
    receiveBuffer = ByteRing(
      capacity: configuration.receiveBufferAutotuning
        ? Swift.min(configuration.initialReceiveBufferSize, configuration.receiveBufferSize)
        : configuration.receiveBufferSize)
    receiveSpace = configuration.receiveBufferAutotuning ? ReceiveSpaceMeasurement() : nil
    negotiatedMSS = Swift.min(536, interfaceMSS)
    self.pathMSS = pathMSS
    sendMSS = Swift.max(64, Swift.min(536, interfaceMSS, pathMSS))
    userTimeout = configuration.userTimeout
    rto = RetransmissionTimeout(configuration: configuration)
    congestion = configuration.congestionControl.make(
      maximumSegmentSize: sendMSS,
      initialWindowSegments: configuration.initialWindowSegments)
    offeredWindowShift =
      configuration.windowScaling
      ? TCPConnection.windowShift(forBuffer: configuration.receiveBufferSize) : 0
  }

  /// The smallest shift that lets a window of `size` bytes fit 16 bits (RFC 7323, at most 14).
  static func windowShift(forBuffer size: Int) -> UInt8 {
    var shift: UInt8 = 0
    while shift < 14 && (size >> Int(shift)) > 65535 { shift += 1 }
    return shift
  }

  /// Bytes sent and not yet acknowledged, counting SYN and FIN.
  var flightSize: Int { sendNext - sendUnacknowledged }

  /// The sequence number our FIN occupies, once queued.
  var finSequence: SequenceNumber { sendBufferSequence + sendBuffer.count }

  /// The window we can advertise now, in bytes.
  var receiveWindow: Int { receiveBuffer.capacity - receiveBuffer.count }

  /// Whether the application can read: data, end of stream or an error is waiting.
  var isReadable: Bool {
    receiveBuffer.count > 0 || finReceived || error != nil || state == .closed
  }

  /// Whether the application can queue data now.
  var isWritable: Bool {
    (state.sendsData || state == .synSent || state == .synReceived) && !finQueued
      && sendBuffer.freeSpace > 0
  }

  /// The earliest pending timer of this connection.
  var nextDeadline: Instant? {
    earliest(
      earliest(
        earliest(retransmitDeadline, persistDeadline),
        earliest(reorderDeadline, tailLossProbeDeadline)),
      earliest(
        earliest(delayedACKDeadline, timeWaitDeadline),
        earliest(finWait2Deadline, keepAliveDeadline)))
  }

  /// Moves to CLOSED, dropping timers and pending output. The stack then unhashes the
  /// connection.
  func enterClosed(error: TCPConnectionError? = nil) {
    if let error, self.error == nil { self.error = error }
    state = .closed
    retransmitDeadline = nil
    persistDeadline = nil
    reorderDeadline = nil
    tailLossProbeDeadline = nil
    delayedACKDeadline = nil
    timeWaitDeadline = nil
    finWait2Deadline = nil
    keepAliveDeadline = nil
    ackNow = false
    duplicateACKsOwed = 0
    retransmitFirstPending = false
    windowProbePending = false
    smallSegmentOverride = false
  }

  /// Enters TIME-WAIT and (re)starts its 2·MSL timer.
  func enterTimeWait(_ environment: TCPEnvironment) {
    state = .timeWait
    retransmitDeadline = nil
    persistDeadline = nil
    reorderDeadline = nil
    tailLossProbeDeadline = nil
    finWait2Deadline = nil
    timeWaitDeadline = environment.now + environment.configuration.timeWaitDuration
  }
}

/// The earlier of two optional instants.
func earliest(_ a: Instant?, _ b: Instant?) -> Instant? {
  guard let a else { return b }
  guard let b else { return a }
  return a < b ? a : b
}
