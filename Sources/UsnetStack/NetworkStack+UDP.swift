import UsnetWire

extension NetworkStack {
  /// UDP input: deliver to the bound socket, or answer with port unreachable.
  func receiveUDP(_ frame: [UInt8], _ packet: ReceivedPacket) -> DropReason? {
    let header: UDPHeader
    let payload: Range<Int>
    do {
      (header, payload) = try UDPHeader.parse(
        frame, in: packet.payload, source: packet.ip.source, destination: packet.ip.destination,
        verifyChecksum: packet.verifyChecksum)
    } catch {
      return .malformedUDP
    }
    let id =
      udpSocketsByKey[ListenerKey(address: packet.ip.destination, port: header.destinationPort)]
      ?? udpSocketsByKey[ListenerKey(address: .any, port: header.destinationPort)]
    guard let id, let socket = udpSockets.get(index: id.index, generation: id.generation) else {
      if !packet.isBroadcast {
        queueUnreachable(.portUnreachable, quoting: frame, packet)
      }
      return .udpNoSocket
    }
    if let peer = socket.connectedPeer,
      peer.address != packet.ip.source || peer.port != header.sourcePort
    {
      return .udpNoSocket
    }
    let limits = configuration.udp
    guard socket.queue.count < limits.receiveQueueDatagrams,
      socket.queuedBytes + payload.count <= limits.receiveQueueBytes
    else {
      return .udpReceiveQueueFull
    }
    var bytes = framePool.popLast() ?? []
    bytes.removeAll(keepingCapacity: true)
    bytes.append(contentsOf: frame[payload])
    socket.queue.append(
      ReceivedDatagram(
        sourceAddress: packet.ip.source, sourcePort: header.sourcePort, bytes: bytes))
    socket.queuedBytes += payload.count
    noteSocketEvent(.udp(socket.id))
    return nil
  }

  /// Queues an ICMP destination unreachable quoting the offending packet (its IP header and as
  /// much of its payload as fits in 576 bytes, as RFC 1812 §4.3.2.3 suggests).
  func queueUnreachable(
    _ code: ICMPv4UnreachableCode, quoting frame: [UInt8], _ packet: ReceivedPacket
  ) {
    let quotedStart = packet.payload.lowerBound - packet.ip.headerLength
    let quotedEnd = Swift.min(
      packet.payload.upperBound,
      quotedStart + 576 - IPv4Header.minimumLength - ICMPv4Packet.headerLength)
    let quotedLength = quotedEnd - quotedStart
    let icmpLength = ICMPv4Packet.headerLength + quotedLength
    queueIPv4Frame(
      to: packet.sourceMAC, source: packet.ip.destination, destination: packet.ip.source,
      protocol: .icmp, payloadLength: icmpLength
    ) { buffer, offset in
      let quoteOffset = offset + ICMPv4Packet.headerLength
      buffer[quoteOffset..<(quoteOffset + quotedLength)] = frame[quotedStart..<quotedEnd]
      ICMPv4Packet(message: .destinationUnreachable(code, nextHopMTU: 0))
        .emit(into: &buffer, at: offset, payloadLength: quotedLength)
    }
    environment.counters.icmpUnreachablesSent += 1
  }
}
