import UsnetWire

extension NetworkStack {
  /// ICMP input: echo requests answered, echo replies handed to their echo socket, and
  /// destination unreachable routed to the socket that owns the quoted flow.
  func receiveICMP(_ frame: [UInt8], _ packet: ReceivedPacket) -> DropReason? {
    let icmp: ICMPv4Packet
    let payload: Range<Int>
    do {
      (icmp, payload) = try ICMPv4Packet.parse(
        frame, in: packet.payload, verifyChecksum: packet.verifyChecksum)
    } catch {
      return .malformedICMP
    }
    switch icmp.message {
    case .echoRequest(let identifier, let sequence):
      guard !packet.isBroadcast else { return .icmpIgnored }
      queueIPv4Frame(
        to: packet.sourceMAC, source: packet.ip.destination, destination: packet.ip.source,
        protocol: .icmp, payloadLength: ICMPv4Packet.headerLength + payload.count
      ) { buffer, offset in
        let dataOffset = offset + ICMPv4Packet.headerLength
        buffer[dataOffset..<(dataOffset + payload.count)] = frame[payload]
        ICMPv4Packet(message: .echoReply(identifier: identifier, sequence: sequence))
          .emit(into: &buffer, at: offset, payloadLength: payload.count)
      }
      environment.counters.icmpEchoRepliesSent += 1
      return nil
    case .echoReply(let identifier, let sequence):
      return receiveEchoReply(
        identifier: identifier, sequence: sequence, frame, payload: payload, packet: packet)
    case .destinationUnreachable(let code, let mtu):
      guard let quoted = try? QuotedDatagram.parse(frame, in: payload),
        isLocal(quoted.header.source)
      else {
        return .icmpIgnored
      }
      let reason = UnreachableReason(code: code, mtu: mtu)
      switch quoted.header.protocol {
      case .tcp:
        return tcpUnreachable(quoted, reason: reason)
      case .udp:
        return udpUnreachable(quoted, reason: reason)
      default:
        return .icmpIgnored
      }
    default:
      return .icmpIgnored
    }
  }

  /// RFC 1122 §4.2.3.9 as Linux applies it: an unreachable ends a connection attempt
  /// (SYN-SENT) and is remembered as a soft error otherwise.
  private func tcpUnreachable(_ quoted: QuotedDatagram, reason: UnreachableReason) -> DropReason? {
    let tuple = FourTuple(
      localAddress: quoted.header.source, localPort: quoted.sourcePort,
      remoteAddress: quoted.header.destination, remotePort: quoted.destinationPort)
    guard let id = connectionsByTuple[tuple], let connection = connection(id) else {
      return .icmpIgnored
    }
    // RFC 5927 §4.1: the quoted sequence number must be one we have sent and not had acked.
    if let sequence = quoted.tcpSequenceNumber {
      let quotedSequence = SequenceNumber(sequence)
      guard !(quotedSequence < connection.sendUnacknowledged),
        !(connection.sendMaximum < quotedSequence)
      else { return .icmpIgnored }
    }
    if case .fragmentationNeeded(let mtu) = reason {
      guard
        let nextHop = Self.nextHopMTU(mtu, quotedLength: Int(quoted.header.totalLength))
      else { return .icmpIgnored }
      lowerPathMTU(to: tuple.remoteAddress, mtu: nextHop)
      // The quoted connection follows even when the cache already had the value.
      let mss = Self.mss(forMTU: nextHop)
      if mss < connection.pathMSS {
        connection.setPathMSS(mss)
        refresh(connection)
      }
      return nil
    }
    if connection.state == .synSent {
      connection.enterClosed(error: reason == .port ? .refused : .unreachable(reason))
    } else {
      connection.softError = reason
    }
    refresh(connection)
    return nil
  }

  private func udpUnreachable(_ quoted: QuotedDatagram, reason: UnreachableReason) -> DropReason? {
    let key = ListenerKey(address: quoted.header.source, port: quoted.sourcePort)
    let id = udpSocketsByKey[key] ?? udpSocketsByKey[ListenerKey(address: .any, port: key.port)]
    guard let id, let socket = udpSockets.get(index: id.index, generation: id.generation)
    else {
      return .icmpIgnored
    }
    // A socket of ours sent the quoted datagram from that port: a fragmentation needed lowers
    // the path MTU of its destination even when the socket is not connected (Linux's
    // `ipv4_sk_update_pmtu`).
    var pathLowered = false
    if case .fragmentationNeeded(let mtu) = reason,
      let nextHop = Self.nextHopMTU(mtu, quotedLength: Int(quoted.header.totalLength))
    {
      pathLowered = lowerPathMTU(to: quoted.header.destination, mtu: nextHop)
    }
    guard let peer = socket.connectedPeer, peer.address == quoted.header.destination,
      peer.port == quoted.destinationPort
    else {
      return pathLowered ? nil : .icmpIgnored
    }
    socket.pendingError = reason
    noteSocketEvent(.udp(socket.id))
    return nil
  }
}

extension UnreachableReason {
  /// Maps an ICMP destination unreachable code.
  init(code: ICMPv4UnreachableCode, mtu: UInt16) {
    switch code {
    case .networkUnreachable, .networkUnknown: self = .network
    case .hostUnreachable, .hostUnknown, .sourceRouteFailed: self = .host
    case .protocolUnreachable: self = .proto
    case .portUnreachable: self = .port
    case .fragmentationNeeded: self = .fragmentationNeeded(mtu: Int(mtu))
    case .networkProhibited, .hostProhibited, .communicationProhibited: self = .prohibited
    default: self = .other(code: code.rawValue)
    }
  }
}
