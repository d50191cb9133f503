import UsnetWire

/// The UDP socket calls. None blocks.
extension NetworkStack {
  /// Binds a UDP socket to `address:port` (`0.0.0.0` for every address; port 0 picks an
  /// ephemeral port).
  ///
  /// - Throws: `addressInUse`, or `addressNotAvailable` for an address that is not ours or
  ///   when no ephemeral port is free.
  public func bindUDP(
    address: IPv4Address = .any, port: UInt16, at now: Instant
  )
    throws(StackError) -> UDPSocketID
  {
    environment.now = now
    guard address.isUnspecified || isLocal(address) else { throw .addressNotAvailable }
    var chosen = port
    if port == 0 {
      chosen = try ephemeralUDPPort(for: address)
    } else if udpPortTaken(port, address: address) {
      throw .addressInUse
    }
    let socket = udpSockets.insert { index, generation in
      UDPSocket(
        id: UDPSocketID(index: index, generation: generation), localAddress: address,
        localPort: chosen)
    }
    udpSocketsByKey[ListenerKey(address: address, port: chosen)] = socket.id
    return socket.id
  }

  private func udpPortTaken(_ port: UInt16, address: IPv4Address) -> Bool {
    if udpSocketsByKey[ListenerKey(address: address, port: port)] != nil { return true }
    if address.isUnspecified {
      return udpSocketsByKey.keys.contains { $0.port == port }
    }
    return udpSocketsByKey[ListenerKey(address: .any, port: port)] != nil
  }

  private func ephemeralUDPPort(for address: IPv4Address) throws(StackError) -> UInt16 {
    let range = configuration.udp.ephemeralPorts
    let size = UInt64(Int(range.upperBound) - Int(range.lowerBound) + 1)
    for _ in 0..<Swift.min(size, 4096) {
      udpPortState = udpPortState &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      let port = UInt16(UInt64(range.lowerBound) + (udpPortState >> 33) % size)
      if !udpPortTaken(port, address: address) { return port }
    }
    for port in range where !udpPortTaken(port, address: address) { return port }
    throw .addressNotAvailable
  }

  /// The address and port a UDP socket is bound to.
  public func localEndpoint(
    _ id: UDPSocketID
  ) throws(StackError) -> (
    address: IPv4Address, port: UInt16
  ) {
    guard let socket = udpSocket(id) else { throw .invalidHandle }
    return (socket.localAddress, socket.localPort)
  }

  /// Sets (or with `nil`, clears) the peer of a UDP socket: only its datagrams are received,
  /// and ICMP errors for it are reported by the next call.
  public func connectUDP(
    _ id: UDPSocketID, to peer: (address: IPv4Address, port: UInt16)?
  )
    throws(StackError)
  {
    guard let socket = udpSocket(id) else { throw .invalidHandle }
    if let peer {
      guard peer.port != 0, !peer.address.isUnspecified else {
        throw .invalidArgument("peer \(peer.address):\(peer.port)")
      }
      guard route(to: peer.address) != nil else { throw .networkUnreachable }
    }
    socket.connectedPeer = peer
    socket.pendingError = nil
  }

  /// Sends `bytes[range]` as one datagram to `address:port` (or to the connected peer when
  /// `destination` is `nil`). The datagram waits for address resolution if needed. One longer
  /// than the path MTU (the interface MTU, or less once ICMP lowered it for the destination)
  /// leaves as IPv4 fragments, as Linux sends UDP by default, unless the socket sets
  /// ``setDontFragment(_:_:)``.
  ///
  /// - Throws: `messageTooLong` beyond 65,507 bytes (a 65,535-byte IPv4 datagram), or beyond
  ///   the path MTU with don't-fragment set; `networkUnreachable`, `notConnected` without a
  ///   destination, or a pending ICMP error.
  public func send(
    _ id: UDPSocketID, _ bytes: [UInt8], range: Range<Int>? = nil,
    to destination: (address: IPv4Address, port: UInt16)? = nil, at now: Instant
  ) throws(StackError) {
    environment.now = now
    guard let socket = udpSocket(id) else { throw .invalidHandle }
    if let error = socket.pendingError {
      socket.pendingError = nil
      throw .datagramUnreachable(error)
    }
    guard let target = destination ?? socket.connectedPeer else { throw .notConnected }
    guard target.port != 0 else { throw .invalidArgument("destination port 0") }
    let range = range ?? bytes.startIndex..<bytes.endIndex
    guard range.lowerBound >= 0, range.upperBound <= bytes.count else {
      throw .invalidArgument("range \(range) outside a buffer of \(bytes.count) bytes")
    }
    let udpLength = UDPHeader.length + range.count
    let ipLength = IPv4Header.minimumLength + udpLength
    guard
      ipLength <= (socket.dontFragment ? pathMTU(to: target.address) : Self.maximumIPv4Length)
    else {
      throw .messageTooLong
    }
    if isLocal(target.address) {
      deliverLocally(
        bytes[range], from: socket,
        source: socket.localAddress.isUnspecified
          ? target.address : socket.localAddress, to: target)
      return
    }
    let broadcast = isBroadcast(target.address)
    let hop: (source: IPv4Address, nextHop: IPv4Address)
    if broadcast {
      hop = (
        socket.localAddress.isUnspecified ? primaryAddress : socket.localAddress, target.address
      )
    } else {
      guard let routed = route(to: target.address) else { throw .networkUnreachable }
      hop = (
        socket.localAddress.isUnspecified ? routed.source : socket.localAddress, routed.nextHop
      )
    }
    let header = UDPHeader(
      sourcePort: socket.localPort, destinationPort: target.port, payloadLength: range.count)
    let computeChecksum = configuration.checksums.computeOnTransmit
    let mac = resolveNeighbor(hop.nextHop)
    let frame = makeIPv4Frame(
      to: mac ?? .zero, source: hop.source, destination: target.address, protocol: .udp,
      payloadLength: udpLength, timeToLive: socket.timeToLive,
      dontFragment: socket.dontFragment
    ) { buffer, offset in
      let dataOffset = offset + UDPHeader.length
      buffer[dataOffset..<(dataOffset + range.count)] = bytes[range]
      if computeChecksum {
        header.emit(into: &buffer, at: offset, source: hop.source, destination: target.address)
      } else {
        var unchecked = header
        unchecked.checksum = 0
        unchecked.emit(into: &buffer, at: offset, source: hop.source, destination: target.address)
      }
    }
    sendIPv4(frame, mac: mac, nextHop: hop.nextHop)
  }

  /// Moves the oldest queued datagram into `buffer[range]` (truncating it like `recv`) and
  /// says where it came from; `nil` when the queue is empty. With `peek` the datagram stays.
  ///
  /// - Throws: a pending ICMP error of a connected socket.
  public func receive(
    _ id: UDPSocketID, into buffer: inout [UInt8], range: Range<Int>? = nil, peek: Bool = false,
    at now: Instant
  ) throws(StackError) -> UDPDatagramInfo? {
    environment.now = now
    guard let socket = udpSocket(id) else { throw .invalidHandle }
    if let error = socket.pendingError {
      socket.pendingError = nil
      throw .datagramUnreachable(error)
    }
    let range = range ?? buffer.startIndex..<buffer.endIndex
    guard range.lowerBound >= 0, range.upperBound <= buffer.count else {
      throw .invalidArgument("range \(range) outside a buffer of \(buffer.count) bytes")
    }
    guard let datagram = socket.queue.first else { return nil }
    let count = Swift.min(range.count, datagram.bytes.count)
    buffer[range.lowerBound..<(range.lowerBound + count)] = datagram.bytes[0..<count]
    let info = UDPDatagramInfo(
      count: count, length: datagram.bytes.count, sourceAddress: datagram.sourceAddress,
      sourcePort: datagram.sourcePort)
    if !peek {
      _ = socket.queue.popFirst()
      socket.queuedBytes -= datagram.bytes.count
      recycle(datagram.bytes)
    }
    return info
  }

  /// Datagrams waiting in a UDP socket's queue.
  public func pendingDatagrams(_ id: UDPSocketID) -> Int {
    udpSocket(id)?.queue.count ?? 0
  }

  /// Closes a UDP socket, dropping what it queued.
  public func close(_ id: UDPSocketID, at now: Instant) {
    environment.now = now
    guard let socket = udpSocket(id) else { return }
    udpSocketsByKey[ListenerKey(address: socket.localAddress, port: socket.localPort)] = nil
    udpSockets.remove(index: id.index, generation: id.generation)
  }

  func udpSocket(_ id: UDPSocketID) -> UDPSocket? {
    udpSockets.get(index: id.index, generation: id.generation)
  }

  /// A datagram to one of our own addresses never touches the link: it goes straight into the
  /// bound socket's queue (as the kernel loops it back), or, with no socket there, a connected
  /// sender gets the port-unreachable error its next call reports. No frame exists, so the
  /// frame counters do not change; a full queue or a peer filter drops it silently.
  private func deliverLocally(
    _ payload: ArraySlice<UInt8>, from sender: UDPSocket, source: IPv4Address,
    to target: (address: IPv4Address, port: UInt16)
  ) {
    let id =
      udpSocketsByKey[ListenerKey(address: target.address, port: target.port)]
      ?? udpSocketsByKey[ListenerKey(address: .any, port: target.port)]
    guard let id, let receiver = udpSocket(id) else {
      if let peer = sender.connectedPeer, peer.address == target.address,
        peer.port == target.port
      {
        sender.pendingError = .port
        noteSocketEvent(.udp(sender.id))
      }
      return
    }
    if let peer = receiver.connectedPeer,
      peer.address != source || peer.port != sender.localPort
    {
      return
    }
    let limits = configuration.udp
    guard receiver.queue.count < limits.receiveQueueDatagrams,
      receiver.queuedBytes + payload.count <= limits.receiveQueueBytes
    else {
      return  // a full queue drops the datagram, as on the wire (no frame, so no counter)
    }
    var bytes = framePool.popLast() ?? []
    bytes.removeAll(keepingCapacity: true)
    bytes.append(contentsOf: payload)
    receiver.queue.append(
      ReceivedDatagram(sourceAddress: source, sourcePort: sender.localPort, bytes: bytes))
    receiver.queuedBytes += payload.count
    noteSocketEvent(.udp(receiver.id))
  }
}
