import UsnetWire

extension NetworkStack {
  /// The live connection for a handle.
  func connection(_ id: TCPSocketID) -> TCPConnection? {
    connections.get(index: id.index, generation: id.generation)
  }

  /// The live listener for a handle.
  func listener(_ id: TCPListenerID) -> TCPListener? {
    listeners.get(index: id.index, generation: id.generation)
  }

  /// TCP input: demultiplex on the 4-tuple, then to a listener, else answer with RST.
  func receiveTCP(_ frame: [UInt8], _ packet: ReceivedPacket) -> DropReason? {
    let segment: TCPHeader
    let payload: Range<Int>
    do {
      (segment, payload) = try TCPHeader.parse(
        frame, in: packet.payload, source: packet.ip.source, destination: packet.ip.destination,
        verifyChecksum: packet.verifyChecksum)
    } catch {
      return .malformedTCP
    }
    let tuple = FourTuple(
      localAddress: packet.ip.destination, localPort: segment.destinationPort,
      remoteAddress: packet.ip.source, remotePort: segment.sourcePort)
    if let id = connectionsByTuple[tuple], let connection = connection(id) {
      if connection.state == .timeWait, segment.flags.contains(.syn),
        !segment.flags.contains(.ack),
        connection.receiveNext < SequenceNumber(segment.sequenceNumber)
      {
        // A new incarnation of the tuple (RFC 9293 §3.6.1, as Linux allows): end TIME-WAIT.
        connection.enterClosed()
        release(connection)
      } else {
        return deliver(segment, frame: frame, payload: payload, to: connection, packet: packet)
      }
    }
    let listenerID =
      listenersByKey[ListenerKey(address: tuple.localAddress, port: tuple.localPort)]
      ?? listenersByKey[ListenerKey(address: .any, port: tuple.localPort)]
    if let listenerID, let listener = listener(listenerID) {
      return receiveOnListener(segment, payload: payload, tuple: tuple, listener, packet: packet)
    }
    if !segment.flags.contains(.rst) {
      queueReset(answering: segment, payloadLength: payload.count, packet: packet)
    }
    return .tcpNoConnection
  }

  private func deliver(
    _ segment: TCPHeader, frame: [UInt8], payload: Range<Int>, to connection: TCPConnection,
    packet: ReceivedPacket
  ) -> DropReason? {
    let parent = connection.listener.flatMap { listener($0) }
    environment.acceptQueueHasRoom = parent?.acceptQueueHasRoom ?? true
    let outcome = connection.process(
      segment, buffer: frame, payload: payload, environment: &environment)
    if outcome.becameEstablished, let parent {
      parent.synQueue.remove(connection.id)
      parent.acceptQueue.append(connection.id)
      noteSocketEvent(.listener(parent.id))
      connection.listener = nil
    }
    if let reply = outcome.resetReply {
      queueReset(
        sequence: reply.sequence, acknowledgment: reply.acknowledgment, packet: packet,
        segment: segment)
    }
    refresh(connection)
    return outcome.drop
  }

  private func receiveOnListener(
    _ segment: TCPHeader, payload: Range<Int>, tuple: FourTuple, _ listener: TCPListener,
    packet: ReceivedPacket
  ) -> DropReason? {
    let flags = segment.flags
    if flags.contains(.rst) { return .tcpNoConnection }
    if flags.contains(.ack) {
      queueReset(answering: segment, payloadLength: payload.count, packet: packet)
      return .tcpNoConnection
    }
    guard flags.contains(.syn) else { return .tcpInvalidForState }
    guard listener.canTakeSYN else { return .tcpListenQueueFull }
    environment.counters.tcpSegmentsReceived += 1
    let now = environment.now
    let isn = initialSequenceNumbers.next(
      localAddress: tuple.localAddress.rawValue, localPort: tuple.localPort,
      remoteAddress: tuple.remoteAddress.rawValue, remotePort: tuple.remotePort, at: now)
    let pathMSS = self.pathMSS(to: tuple.remoteAddress)
    let connection = connections.insert { index, generation in
      TCPConnection(
        id: TCPSocketID(index: index, generation: generation), tuple: tuple,
        state: .synReceived, isPassive: true, initialSendSequence: SequenceNumber(isn),
        configuration: configuration.tcp, interfaceMSS: environment.interfaceMSS,
        pathMSS: pathMSS)
    }
    let sequence = SequenceNumber(segment.sequenceNumber)
    connection.initialReceiveSequence = sequence
    connection.receiveNext = sequence + 1
    connection.timestamps.offset = initialSequenceNumbers.timestampOffset(
      localAddress: tuple.localAddress.rawValue, remoteAddress: tuple.remoteAddress.rawValue)
    connection.adoptOptions(of: segment, environment: environment)
    connection.sendWindow = Int(segment.window)
    connection.sendWindowUpdateSequence = sequence
    connection.listener = listener.id
    connection.timeToLive = listener.timeToLive
    listener.synQueue.insert(connection.id)
    connectionsByTuple[tuple] = connection.id
    refresh(connection)
    return nil
  }

  /// The RST that answers a segment with no connection (RFC 9293 §3.10.7.1).
  private func queueReset(answering segment: TCPHeader, payloadLength: Int, packet: ReceivedPacket)
  {
    if segment.flags.contains(.ack) {
      queueReset(
        sequence: segment.acknowledgmentNumber, acknowledgment: nil, packet: packet,
        segment: segment)
    } else {
      var length = payloadLength
      if segment.flags.contains(.syn) { length += 1 }
      if segment.flags.contains(.fin) { length += 1 }
      queueReset(
        sequence: 0,
        acknowledgment: (SequenceNumber(segment.sequenceNumber) + length).rawValue,
        packet: packet, segment: segment)
    }
  }

  private func queueReset(
    sequence: UInt32, acknowledgment: UInt32?, packet: ReceivedPacket, segment: TCPHeader
  ) {
    let header = TCPHeader(
      sourcePort: segment.destinationPort, destinationPort: segment.sourcePort,
      sequenceNumber: sequence, acknowledgmentNumber: acknowledgment ?? 0,
      flags: acknowledgment == nil ? [.rst] : [.rst, .ack], window: 0)
    let source = packet.ip.destination
    let destination = packet.ip.source
    let computeChecksum = configuration.checksums.computeOnTransmit
    queueIPv4Frame(
      to: packet.sourceMAC, source: source, destination: destination, protocol: .tcp,
      payloadLength: TCPHeader.minimumLength
    ) { buffer, offset in
      header.emit(into: &buffer, at: offset)
      if computeChecksum {
        TCPHeader.writeChecksum(
          in: &buffer, segment: offset..<(offset + TCPHeader.minimumLength), source: source,
          destination: destination)
      }
    }
    environment.counters.tcpResetsSent += 1
  }

  /// Brings the stack's view of a connection up to date after anything touched it: queue it
  /// for output, reschedule its timer, or release it once closed.
  func refresh(_ connection: TCPConnection) {
    if !connection.applicationClosed && !connection.socketEventPending {
      connection.socketEventPending = true
      socketEvents.append(.tcp(connection.id))
    }
    if connection.state == .closed && !connection.resetPending {
      release(connection)
      return
    }
    if !connection.queuedForOutput {
      connection.queuedForOutput = true
      readyConnections.append(connection.id)
    }
    // The connection remembers what is in the timer queue for it, so the common case (no
    // change) costs no hash lookup.
    let deadline = connection.nextDeadline
    guard deadline != connection.scheduledDeadline else { return }
    connection.scheduledDeadline = deadline
    let key = TimerKey.connection(connection.id)
    if let deadline {
      timers.schedule(key, at: deadline)
    } else {
      timers.cancel(key)
    }
  }

  /// Unhashes a closed connection and frees its slot unless the application still holds it.
  func release(_ connection: TCPConnection) {
    timers.cancel(.connection(connection.id))
    connection.scheduledDeadline = nil
    if connectionsByTuple[connection.tuple] == connection.id {
      connectionsByTuple[connection.tuple] = nil
    }
    if let parentID = connection.listener {
      connection.listener = nil
      listener(parentID)?.synQueue.remove(connection.id)
      connections.remove(index: connection.id.index, generation: connection.id.generation)
      return
    }
    if connection.applicationClosed {
      connections.remove(index: connection.id.index, generation: connection.id.generation)
    }
  }
}
