import UsnetWire

extension NetworkStack {
  /// Opens an ICMP echo socket with an echo identifier no other echo socket uses. Does not
  /// send anything.
  ///
  /// - Throws: `addressInUse` when all 65,536 identifiers are taken.
  public func openEchoSocket() throws(StackError) -> EchoSocketID {
    guard echoSocketsByIdentifier.count <= Int(UInt16.max) else { throw .addressInUse }
    var identifier = UInt16(truncatingIfNeeded: udpPortState &>> 16)
    while echoSocketsByIdentifier[identifier] != nil { identifier &+= 1 }
    udpPortState &+= 0x1_0000
    let socket = echoSockets.insert { index, generation in
      EchoSocket(id: EchoSocketID(index: index, generation: generation), identifier: identifier)
    }
    echoSocketsByIdentifier[identifier] = socket.id
    return socket.id
  }

  /// The echo identifier of `id`'s requests, or nil for a closed socket.
  public func echoIdentifier(of id: EchoSocketID) -> UInt16? {
    echoSocket(id)?.identifier
  }

  /// Queues an echo request to `destination` with `sequence` and `payload`. A request to one of
  /// the interface's own addresses is answered at once, as the kernel's loopback does.
  ///
  /// A request longer than the MTU leaves as IPv4 fragments.
  ///
  /// - Throws: `invalidHandle`, `networkUnreachable` without a route, `messageTooLong`
  ///   beyond 65,507 payload bytes (a 65,535-byte IPv4 datagram).
  public func sendEchoRequest(
    _ id: EchoSocketID, to destination: IPv4Address, sequence: UInt16, payload: [UInt8],
    at now: Instant
  ) throws(StackError) {
    environment.now = now
    guard let socket = echoSocket(id) else { throw .invalidHandle }
    let icmpLength = ICMPv4Packet.headerLength + payload.count
    guard IPv4Header.minimumLength + icmpLength <= Self.maximumIPv4Length else {
      throw .messageTooLong
    }
    if isLocal(destination) {
      deliverEchoReply(
        EchoReply(
          source: destination, sequence: sequence, payload: payload,
          timeToLive: configuration.timeToLive),
        to: socket)
      return
    }
    guard let hop = route(to: destination) else { throw .networkUnreachable }
    let identifier = socket.identifier
    let mac = resolveNeighbor(hop.nextHop)
    let frame = makeIPv4Frame(
      to: mac ?? .zero, source: hop.source, destination: destination, protocol: .icmp,
      payloadLength: icmpLength
    ) { buffer, offset in
      let dataOffset = offset + ICMPv4Packet.headerLength
      buffer[dataOffset..<(dataOffset + payload.count)] = payload[...]
      ICMPv4Packet(message: .echoRequest(identifier: identifier, sequence: sequence))
        .emit(into: &buffer, at: offset, payloadLength: payload.count)
    }
    sendIPv4(frame, mac: mac, nextHop: hop.nextHop)
  }

  /// The oldest reply `id` received, or nil when none is queued.
  ///
  /// - Throws: `invalidHandle` for a closed socket.
  public func receiveEchoReply(_ id: EchoSocketID) throws(StackError) -> EchoReply? {
    guard let socket = echoSocket(id) else { throw .invalidHandle }
    guard let reply = socket.replies.popFirst() else { return nil }
    socket.queued -= 1
    return reply
  }

  /// Closes `id`; its unread replies are discarded. Closing twice does nothing.
  public func close(_ id: EchoSocketID) {
    guard let socket = echoSocket(id) else { return }
    echoSocketsByIdentifier[socket.identifier] = nil
    echoSockets.remove(index: id.index, generation: id.generation)
  }

  /// Hands an echo reply to the socket whose identifier it carries.
  func receiveEchoReply(
    identifier: UInt16, sequence: UInt16, _ frame: [UInt8], payload: Range<Int>,
    packet: ReceivedPacket
  ) -> DropReason? {
    guard let id = echoSocketsByIdentifier[identifier], let socket = echoSocket(id) else {
      return .icmpIgnored
    }
    deliverEchoReply(
      EchoReply(
        source: packet.ip.source, sequence: sequence, payload: Array(frame[payload]),
        timeToLive: packet.ip.timeToLive),
      to: socket)
    return nil
  }

  private func deliverEchoReply(_ reply: EchoReply, to socket: EchoSocket) {
    guard socket.queued < EchoSocket.queueLimit else {
      environment.counters.icmpEchoRepliesDropped += 1
      return
    }
    socket.replies.append(reply)
    socket.queued += 1
    environment.counters.icmpEchoRepliesReceived += 1
    noteSocketEvent(.echo(socket.id))
  }

  private func echoSocket(_ id: EchoSocketID) -> EchoSocket? {
    echoSockets.get(index: id.index, generation: id.generation)
  }
}
