import UsnetWire

/// IPv4 reassembly in the receive path: fragments are held by ``IPv4Reassembly`` until their
/// datagram is complete, which then goes to ICMP, UDP or TCP like an unfragmented packet (its
/// transport checksum verified over the whole payload). A datagram still incomplete after
/// ``ReassemblyConfiguration/timeout`` is freed by the timer queue, and when its first
/// fragment had arrived an ICMP time exceeded (code 1) goes back to the sender, as Linux does.
extension NetworkStack {
  /// Bytes of reassembly buffers held by IPv4 datagrams in progress; never more than
  /// ``ReassemblyConfiguration/maximumBytes``.
  public var reassemblyBytesHeld: Int { reassembly.heldBytes }

  /// IPv4 datagrams being reassembled.
  public var reassemblyDatagramsInProgress: Int { reassembly.datagrams.count }

  /// Takes one fragment addressed to us (or broadcast).
  func receiveFragment(
    _ frame: [UInt8], _ payload: Range<Int>, header: IPv4Header, sourceMAC: MACAddress
  ) -> DropReason? {
    // Only what a complete datagram could be delivered to is worth holding.
    switch header.protocol {
    case .tcp:
      if isBroadcast(header.destination) { return .notOurIPv4Address }
    case .udp, .icmp:
      break
    default:
      return .unsupportedIPProtocol
    }
    environment.counters.ipv4FragmentsReceived += 1
    let key = FragmentKey(header)
    switch reassembly.insert(frame, payload: payload, header: header, sourceMAC: sourceMAC) {
    case .held(let started):
      if started {
        timers.schedule(.reassembly(key), at: environment.now + configuration.reassembly.timeout)
      }
      return nil
    case .dropped(let reason, let discarded):
      if discarded {
        timers.cancel(.reassembly(key))
        environment.counters.ipv4ReassemblyFailures += 1
      }
      return reason
    case .completed(let datagram):
      timers.cancel(.reassembly(key))
      environment.counters.ipv4DatagramsReassembled += 1
      let packet = ReceivedPacket(
        ip: datagram.header, payload: datagram.payload, sourceMAC: datagram.sourceMAC,
        isBroadcast: isBroadcast(datagram.header.destination),
        verifyChecksum: configuration.checksums.verifyOnReceive)
      return deliverIPv4(datagram.buffer, packet)
    }
  }

  /// The reassembly timer of `key` ran out: free the datagram, and answer with ICMP time
  /// exceeded, fragment reassembly time exceeded (RFC 792, RFC 1122 §3.3.2), when its first
  /// fragment arrived (the quote needs it), it was not broadcast, and it is not an ICMP error.
  func reassemblyTimerFired(_ key: FragmentKey) {
    guard let datagram = reassembly.remove(key) else { return }
    environment.counters.ipv4ReassemblyFailures += 1
    environment.counters.ipv4ReassemblyTimeouts += 1
    guard var quoted = datagram.firstHeader, !isBroadcast(key.destination),
      !(key.ipProtocol == IPProtocol.icmp.rawValue
        && Self.isICMPError(type: datagram.buffer[IPv4Reassembly.headerRoom]))
    else { return }
    // The first fragment's header (options dropped) and as much of its data as fits in a
    // 576-byte ICMP packet (RFC 1812 §4.3.2.3).
    let room = 576 - 2 * IPv4Header.minimumLength - ICMPv4Packet.headerLength
    let dataLength = Swift.min(datagram.firstLength, room)
    quoted.totalLength = UInt16(IPv4Header.minimumLength + datagram.firstLength)
    quoted.headerLength = IPv4Header.minimumLength
    let quoteLength = IPv4Header.minimumLength + dataLength
    let buffer = datagram.buffer
    let header = quoted
    queueIPv4Frame(
      to: datagram.sourceMAC, source: key.destination, destination: key.source,
      protocol: .icmp, payloadLength: ICMPv4Packet.headerLength + quoteLength
    ) { frame, offset in
      let quoteOffset = offset + ICMPv4Packet.headerLength
      header.emit(into: &frame, at: quoteOffset)
      let dataOffset = quoteOffset + IPv4Header.minimumLength
      let dataStart = IPv4Reassembly.headerRoom
      frame[dataOffset..<(dataOffset + dataLength)] =
        buffer[dataStart..<(dataStart + dataLength)]
      ICMPv4Packet(message: .timeExceeded(code: 1))
        .emit(into: &frame, at: offset, payloadLength: quoteLength)
    }
    environment.counters.icmpTimeExceededSent += 1
  }

  /// Whether an ICMP type is an error message (RFC 1122 §3.2.2: never answered with another).
  private static func isICMPError(type: UInt8) -> Bool {
    [3, 4, 5, 11, 12].contains(type)
  }
}
