import UsnetWire

extension NetworkStack {
  /// Room reserved in a frame for Ethernet, IPv4 and the largest TCP header.
  static let tcpFrameOverhead = EthernetHeader.length + IPv4Header.minimumLength + 60

  /// Runs due timers and writes the next frame to send into `frame`, replacing its contents
  /// (its storage is reused, so pass the same buffer every time). Returns `false` when nothing
  /// is left to send now.
  ///
  /// Call it until it returns `false` after every ``receive(frame:at:)`` or socket call, and
  /// again at ``nextDeadline``.
  public func transmit(into frame: inout [UInt8], at now: Instant) -> Bool {
    var metadata = VirtioNetHeader()
    return transmit(into: &frame, metadata: &metadata, at: now)
  }

  /// Like ``transmit(into:at:)``, and sets `metadata` to the offload work the device must do
  /// on the frame: none (all zero) for every frame unless the interface has
  /// ``InterfaceConfiguration/transmitOffloads``. With ``TransmitOffloads/tcpChecksum`` a TCP
  /// segment's checksum field holds the pseudo-header sum and `metadata` has `NEEDS_CSUM`
  /// with `checksumStart` 34 and `checksumOffset` 16; with
  /// ``TransmitOffloads/tcpSegmentation`` a segment may carry up to 64 KB of payload, and one
  /// that carries more than the MSS has `gsoType` TCPv4, `gsoSize` the MSS (less the
  /// timestamps option when the connection carries one) and
  /// `headerLength` its Ethernet, IPv4 and TCP headers. The IPv4 header checksum is always
  /// complete. Allocates nothing per frame.
  public func transmit(
    into frame: inout [UInt8], metadata: inout VirtioNetHeader, at now: Instant
  ) -> Bool {
    metadata = VirtioNetHeader()
    environment.now = now
    runTimers()
    if takeControlFrame(into: &frame) { return true }
    while let id = readyConnections.popFirst() {
      guard let connection = connection(id) else { continue }
      connection.queuedForOutput = false
      if writeFrame(for: connection, into: &frame, metadata: &metadata) {
        environment.counters.framesTransmitted += 1
        return true
      }
      // Resolving the next hop may have queued an ARP request.
      if takeControlFrame(into: &frame) { return true }
    }
    return false
  }

  /// Moves the oldest queued control frame into `frame`, recycling the caller's buffer.
  private func takeControlFrame(into frame: inout [UInt8]) -> Bool {
    guard let control = controlFrames.popFirst() else { return false }
    let spent = frame
    frame = control
    recycle(spent)
    environment.counters.framesTransmitted += 1
    return true
  }

  /// Writes one segment of `connection` as a complete frame. Requeues the connection for its
  /// next segment; returns `false` when it had nothing to send or its next hop is unresolved.
  private func writeFrame(
    for connection: TCPConnection, into frame: inout [UInt8], metadata: inout VirtioNetHeader
  ) -> Bool {
    let tuple = connection.tuple
    guard let hop = route(to: tuple.remoteAddress) else {
      if connection.state == .synSent {
        connection.enterClosed(error: .unreachable(.network))
      }
      // A RST with nowhere to go is dropped, so that a closed connection is released.
      connection.resetPending = false
      refreshWithoutQueueing(connection)
      return false
    }
    let ipOffset = EthernetHeader.length
    let tcpOffset = ipOffset + IPv4Header.minimumLength
    let offloads = configuration.interface.transmitOffloads
    var payloadRoom = connection.largestSegmentPayload
    if offloads.contains(.tcpSegmentation) {
      // Room for the longest segment the send buffer can fill, not a full 64 KB each time.
      payloadRoom = Swift.min(
        connection.superSegmentLimit, Swift.max(payloadRoom, connection.sendBuffer.count))
    }
    resize(&frame, to: Self.tcpFrameOverhead + payloadRoom)
    guard
      let length = connection.writeSegment(into: &frame, at: tcpOffset, environment: &environment)
    else {
      refreshWithoutQueueing(connection)
      return false
    }
    resize(&frame, to: tcpOffset + length)
    IPv4Header(
      source: tuple.localAddress, destination: tuple.remoteAddress, protocol: .tcp,
      payloadLength: length, timeToLive: connection.timeToLive ?? configuration.timeToLive,
      identification: nextIdentification(), dontFragment: true
    ).emit(into: &frame, at: ipOffset)
    let segment = tcpOffset..<(tcpOffset + length)
    if offloads.contains(.tcpChecksum) {
      TCPHeader.writePartialChecksum(
        in: &frame, segment: segment, source: tuple.localAddress,
        destination: tuple.remoteAddress)
      metadata = offloadMetadata(
        for: frame, segment: segment, mss: connection.segmentationSize)
    } else if configuration.checksums.computeOnTransmit {
      TCPHeader.writeChecksum(
        in: &frame, segment: segment, source: tuple.localAddress,
        destination: tuple.remoteAddress)
    }
    // Resolve the next hop only now that there is a segment: a connection with nothing to send
    // never triggers ARP. An unresolved segment waits on the neighbour entry like a datagram.
    guard let mac = resolveNeighbor(hop.nextHop) else {
      // A waiting frame later leaves without metadata: finish its checksum here. A
      // super-segment cannot leave without it; the retransmission timer resends its data.
      if metadata.gsoType == .none {
        if metadata.flags.contains(.needsChecksum) {
          TCPHeader.writeChecksum(
            in: &frame, segment: segment, source: tuple.localAddress,
            destination: tuple.remoteAddress)
        }
        EthernetHeader(
          destination: .zero, source: configuration.interface.macAddress, etherType: .ipv4
        ).emit(into: &frame, at: 0)
        queueForNeighbor(hop.nextHop, frame: frame)
      }
      metadata = VirtioNetHeader()
      park(connection, waitingFor: hop.nextHop)
      refreshWithoutQueueing(connection)
      return false
    }
    EthernetHeader(
      destination: mac, source: configuration.interface.macAddress, etherType: .ipv4
    ).emit(into: &frame, at: 0)
    refresh(connection)
    return true
  }

  /// The metadata of a TCP segment with a partial checksum: `NEEDS_CSUM`, and TSO when its
  /// payload is longer than `mss`.
  private func offloadMetadata(
    for frame: [UInt8], segment: Range<Int>, mss: Int
  ) -> VirtioNetHeader {
    var metadata = VirtioNetHeader(
      flags: .needsChecksum, checksumStart: UInt16(segment.lowerBound), checksumOffset: 16)
    let headerLength = Int(frame[segment.lowerBound + 12] &>> 4) &* 4
    if segment.count - headerLength > mss {
      metadata.gsoType = .tcpV4
      metadata.gsoSize = UInt16(clamping: mss)
      metadata.headerLength = UInt16(segment.lowerBound + headerLength)
    }
    return metadata
  }

  /// Updates timers and releases a closed connection without queueing it for output again.
  private func refreshWithoutQueueing(_ connection: TCPConnection) {
    connection.queuedForOutput = true
    refresh(connection)
    connection.queuedForOutput = false
  }

  /// Fires every timer that is due.
  private func runTimers() {
    let now = environment.now
    while let key = timers.popExpired(at: now) {
      switch key {
      case .connection(let id):
        guard let connection = connection(id) else { continue }
        connection.scheduledDeadline = nil  // popped from the queue
        connection.fireTimers(&environment)
        refresh(connection)
      case .neighbor(let ip):
        neighborTimerFired(ip)
      case .reassembly(let key):
        reassemblyTimerFired(key)
      case .pathMTU(let destination):
        pathMTUTimerFired(destination)
      }
    }
  }
}
