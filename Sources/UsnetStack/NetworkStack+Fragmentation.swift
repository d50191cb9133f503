import UsnetWire

/// IPv4 fragmentation on send (RFC 791): a datagram built longer than the MTU leaves as
/// fragments, as Linux fragments UDP and ICMP locally. Each fragment is a new frame with the
/// datagram's Ethernet header and IPv4 header fields (identification, TTL, protocol) and DF
/// clear; every fragment but the last carries MF and a multiple of 8 payload bytes, the most
/// the MTU allows. The transport checksum was computed over the whole datagram before it was
/// split. TCP never gets here: its segments fit the MSS and carry DF.
extension NetworkStack {
  /// Queues a finished IPv4 datagram for the next hop: for transmission when its MAC is known
  /// (`mac`, already written in the frame), or in the neighbour entry's pending queue, as one
  /// packet, until `nextHop` resolves (it is fragmented then).
  func sendIPv4(_ frame: [UInt8], mac: MACAddress?, nextHop: IPv4Address) {
    if mac != nil {
      queueFragmenting(frame)
    } else {
      queueForNeighbor(nextHop, frame: frame)
    }
  }

  /// Appends an IPv4 frame to the control frames, split into fragments when its IPv4 packet is
  /// longer than the path MTU to its destination.
  func queueFragmenting(_ frame: [UInt8]) {
    let ipStart = EthernetHeader.length
    var mtu = configuration.interface.mtu
    if !pathMTUCache.entries.isEmpty, frame.count >= ipStart + IPv4Header.minimumLength {
      mtu = pathMTU(to: IPv4Address(reading: frame, at: ipStart + 16))
    }
    guard frame.count - ipStart > mtu,
      let (header, payload) = try? IPv4Header.parse(
        frame, in: ipStart..<frame.count, verifyChecksum: false),
      !header.isFragment
    else {
      controlFrames.append(frame)
      return
    }
    let headerLength = IPv4Header.minimumLength
    let chunkLimit = (mtu - headerLength) & ~7
    var offset = 0
    while offset < payload.count {
      let count = Swift.min(chunkLimit, payload.count - offset)
      var fragment = takeFrameBuffer(count: ipStart + headerLength + count)
      fragment[0..<ipStart] = frame[0..<ipStart]
      var fragmentHeader = header
      fragmentHeader.totalLength = UInt16(headerLength + count)
      fragmentHeader.headerLength = headerLength
      fragmentHeader.dontFragment = false
      fragmentHeader.moreFragments = offset + count < payload.count
      fragmentHeader.fragmentOffset = offset
      fragmentHeader.emit(into: &fragment, at: ipStart)
      let dataStart = ipStart + headerLength
      let source = payload.lowerBound + offset
      fragment[dataStart..<(dataStart + count)] = frame[source..<(source + count)]
      controlFrames.append(fragment)
      environment.counters.ipv4FragmentsCreated += 1
      offset += count
    }
    environment.counters.ipv4DatagramsFragmented += 1
    recycle(frame)
  }
}
