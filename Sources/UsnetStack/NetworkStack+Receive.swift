import UsnetWire

extension NetworkStack {
  /// Processes one received Ethernet frame.
  ///
  /// Malformed or unwanted frames are dropped and counted (``StackCounters``); nothing a frame
  /// contains can make this call fail. Replies and follow-up segments are queued for
  /// ``transmit(into:at:)``.
  public func receive(frame: [UInt8], at now: Instant) {
    receive(frame: frame, range: frame.startIndex..<frame.endIndex, at: now)
  }

  /// Processes the Ethernet frame in `frame[range]` (see ``receive(frame:at:)``).
  public func receive(frame: [UInt8], range: Range<Int>, at now: Instant) {
    receive(frame: frame, range: range, metadata: VirtioNetHeader(), at: now)
  }

  /// Processes the Ethernet frame in `frame[range]` that a device delivered with offload
  /// `metadata` (its virtio-net header).
  ///
  /// When the metadata says the transport checksum is partial (`NEEDS_CSUM`: the kernel's
  /// own packets, whose checksum field holds only the pseudo-header sum) or already verified
  /// (`DATA_VALID`), the TCP, UDP or ICMP checksum is not verified (the IPv4 header checksum
  /// still is) and ``StackCounters/framesWithTrustedChecksum`` counts the frame. A frame
  /// larger than the MTU (a GRO/GSO frame) is processed as one packet: a TCP segment of up to
  /// 64 KB is taken whole. Without those flags this is ``receive(frame:range:at:)``.
  public func receive(
    frame: [UInt8], range: Range<Int>, metadata: VirtioNetHeader, at now: Instant
  ) {
    environment.now = now
    environment.counters.framesReceived += 1
    let trusted = metadata.checksumIsTrusted
    if trusted { environment.counters.framesWithTrustedChecksum += 1 }
    let reason = dispatchEthernet(
      frame, range, verifyTransport: configuration.checksums.verifyOnReceive && !trusted)
    if let reason {
      environment.counters.drop(reason)
    } else {
      environment.counters.framesAccepted += 1
    }
  }

  private func dispatchEthernet(
    _ frame: [UInt8], _ range: Range<Int>, verifyTransport: Bool
  ) -> DropReason? {
    guard range.lowerBound >= 0, range.upperBound <= frame.count else {
      return .malformedEthernet
    }
    let ethernet: EthernetHeader
    let payload: Range<Int>
    do {
      (ethernet, payload) = try EthernetHeader.parse(frame, in: range)
    } catch {
      return .malformedEthernet
    }
    let ourMAC = configuration.interface.macAddress
    guard ethernet.destination == ourMAC || ethernet.destination.isBroadcast else {
      return .notOurMAC
    }
    switch ethernet.etherType {
    case .arp:
      return receiveARP(frame, payload)
    case .ipv4:
      return receiveIPv4(
        frame, payload, sourceMAC: ethernet.source, verifyTransport: verifyTransport)
    default:
      return .unsupportedEtherType
    }
  }

  private func receiveIPv4(
    _ frame: [UInt8], _ range: Range<Int>, sourceMAC: MACAddress, verifyTransport: Bool
  ) -> DropReason? {
    let header: IPv4Header
    let payload: Range<Int>
    do {
      (header, payload) = try IPv4Header.parse(
        frame, in: range, verifyChecksum: configuration.checksums.verifyOnReceive)
    } catch .badChecksum {
      return .ipv4BadChecksum
    } catch {
      return .malformedIPv4
    }
    let destination = header.destination
    let broadcast = isBroadcast(destination)
    guard isLocal(destination) || broadcast else { return .notOurIPv4Address }
    guard !isBroadcast(header.source), !header.source.isMulticast, !isLocal(header.source)
    else {
      return .ipv4BadSource
    }
    if header.isFragment {
      return receiveFragment(frame, payload, header: header, sourceMAC: sourceMAC)
    }
    let packet = ReceivedPacket(
      ip: header, payload: payload, sourceMAC: sourceMAC, isBroadcast: broadcast,
      verifyChecksum: verifyTransport)
    return deliverIPv4(frame, packet)
  }

  /// Hands a whole IPv4 packet (received so, or reassembled) to ICMP, UDP or TCP.
  func deliverIPv4(_ frame: [UInt8], _ packet: ReceivedPacket) -> DropReason? {
    switch packet.ip.protocol {
    case .tcp:
      return packet.isBroadcast ? .notOurIPv4Address : receiveTCP(frame, packet)
    case .udp:
      return receiveUDP(frame, packet)
    case .icmp:
      return receiveICMP(frame, packet)
    default:
      return .unsupportedIPProtocol
    }
  }
}

/// An IPv4 packet that passed the IP layer: its header, where its payload is, and who sent it.
struct ReceivedPacket {
  var ip: IPv4Header
  var payload: Range<Int>
  var sourceMAC: MACAddress
  var isBroadcast: Bool
  /// Whether to verify the transport checksum: the policy asks for it and the device did not
  /// vouch for it.
  var verifyChecksum: Bool
}
