/// The connection's send MSS under a changing path: ICMP fragmentation needed (RFC 1191, fed by
/// the stack's path MTU cache) and black-hole detection with probing (RFC 4821, Linux
/// `tcp_mtu_probing=1`).
extension TCPConnection {
  /// The smallest MSS a black hole lowers a connection to: what the IPv4 minimum of 576
  /// bytes carries (RFC 4821 §7.2 and RFC 8899's base PLPMTU in spirit).
  static let minimumProbingMSS = 536

  /// The most the peer, our interface and the known path MTU allow.
  var pathCeilingMSS: Int { Swift.min(negotiatedMSS, pathMSS) }

  /// The send MSS that follows from the ceiling and a black-hole search.
  var pathLimitedMSS: Int {
    Swift.max(64, Swift.min(pathCeilingMSS, pathMTUSearch.searchLow ?? .max))
  }

  /// The most payload one segment may need room for: the MSS, or a probe's size.
  var largestSegmentPayload: Int {
    pathMTUSearch.isActive ? Swift.max(sendMSS, pathCeilingMSS) : sendMSS
  }

  /// The MSS a device that segments (TSO) must cut the last written segment at: the send
  /// MSS, or the probe's size when that segment was the probe (which must leave whole).
  var segmentationSize: Int {
    let optionRoom = sendMSS - effectiveSendMSS
    if let probe = pathMTUSearch.probe, lastSentEnd == probe.end { return probe.size - optionRoom }
    return effectiveSendMSS
  }

  /// The destination's path MTU changed (an ICMP, or a cache entry expired): the ceiling
  /// follows it, down or up.
  func setPathMSS(_ mss: Int) {
    pathMSS = mss
    applyPathLimitedMSS()
  }

  /// Moves ``sendMSS`` to ``pathLimitedMSS``. When it shrinks, everything in flight (too big
  /// to have passed) is sent again from SND.UNA at once, without a congestion response, as
  /// Linux's `tcp_mtu_reduced` does (RFC 1191 §6.3).
  private func applyPathLimitedMSS() {
    let mss = pathLimitedMSS
    guard mss != sendMSS else { return }
    let shrinks = mss < sendMSS
    sendMSS = mss
    if shrinks && state.isSynchronized && sendNext != sendUnacknowledged {
      sendNext = sendUnacknowledged
      rttTimedSequence = nil
      pathMTUSearch.probeFailed()
    }
  }

  /// Black-hole detection, called when the retransmission timer fires and before it resends:
  /// from the second timeout in a row, while the segment at SND.UNA is longer than the target,
  /// the MSS drops to ``TCPConfiguration/pathMTUProbeBaseMSS`` and then halves down to
  /// ``minimumProbingMSS`` (Linux `tcp_mtu_probing`). The resend then goes out in the new size.
  /// Not while the peer holds SACKed data above SND.UNA: full-size segments did get through.
  func detectPathMTUBlackHole(_ environment: inout TCPEnvironment) {
    let configuration = environment.configuration
    guard configuration.pathMTUProbing, state.isSynchronized, retransmitCount >= 1,
      scoreboard.isEmpty
    else {
      return
    }
    let base = configuration.pathMTUProbeBaseMSS
    let target =
      sendMSS > base ? base : Swift.max(sendMSS / 2, Self.minimumProbingMSS)
    let head = Swift.min(sendMaximum - sendUnacknowledged, sendMSS)
    guard target < sendMSS, head > target else { return }
    pathMTUSearch.blackHoleDetected(low: target, ceiling: pathCeilingMSS)
    environment.counters.tcpPathMTUBlackHoles += 1
    applyPathLimitedMSS()
  }

  /// The payload length of a probe to send now as the next new-data segment, or `nil`. A probe
  /// goes only while the search is active and due, the connection is out of recovery and
  /// sending new data, the windows let the whole probe out, and enough data waits behind it
  /// that its loss would be seen by duplicate ACKs rather than a timeout (Linux asks for the
  /// probe and `reordering + 1` segments).
  func pathMTUProbeLength(
    available: Int, usable: Int, _ environment: TCPEnvironment
  ) -> Int? {
    guard pathMTUSearch.isActive, pathMTUSearch.probe == nil,
      environment.configuration.pathMTUProbing, state == .established || state == .closeWait,
      sendNext == sendMaximum, retransmitCount == 0, !lossRecovery.inRecovery,
      scoreboard.isEmpty
    else { return nil }
    let ceiling = pathCeilingMSS
    if let low = pathMTUSearch.searchLow, low >= ceiling {
      pathMTUSearch.deactivate()  // the path allows no more than the search already found
      applyPathLimitedMSS()
      return nil
    }
    guard
      let size = pathMTUSearch.probeSize(
        ceiling: ceiling, now: environment.now,
        interval: environment.configuration.pathMTUProbeInterval),
      size > sendMSS, usable >= size, available >= size + 3 * sendMSS
    else { return nil }
    return size
  }

  /// A segment of `start..<lastSentEnd` went out as a probe (if it is longer than the MSS:
  /// SACK blocks may have made it shorter, and then it is an ordinary segment).
  func notePathMTUProbeSent(from start: SequenceNumber, _ environment: inout TCPEnvironment) {
    let payload = lastSentEnd - start
    guard payload > effectiveSendMSS else { return }
    // Sizes count in MSS terms: the payload plus the room the timestamps option takes.
    pathMTUSearch.probeSent(
      start: start, end: lastSentEnd, size: payload + sendMSS - effectiveSendMSS)
    environment.counters.tcpPathMTUProbes += 1
  }

  /// A retransmission of `start..<end`: a probe it overlaps was lost (or at least not
  /// acknowledged in time), so its size is taken as too big.
  func notePathMTURetransmission(
    from start: SequenceNumber, to end: SequenceNumber, _ environment: inout TCPEnvironment
  ) {
    guard let probe = pathMTUSearch.probe, start < probe.end, probe.start < end else { return }
    pathMTUSearch.probeFailed()
    environment.counters.tcpPathMTUProbesFailed += 1
  }

  /// SND.UNA advanced: a probe it covers passed, and its size becomes the send MSS.
  func checkPathMTUProbe(_ environment: inout TCPEnvironment) {
    guard let probe = pathMTUSearch.probe, !(sendUnacknowledged < probe.end) else { return }
    pathMTUSearch.probeSucceeded()
    environment.counters.tcpPathMTUProbesSucceeded += 1
    if let low = pathMTUSearch.searchLow, low >= pathCeilingMSS {
      pathMTUSearch.deactivate()
    }
    applyPathLimitedMSS()
  }
}
