import UsnetWire

extension NetworkStack {
  /// ARP input (RFC 826 with the merge rule): learn or refresh the sender, answer requests for
  /// our addresses.
  func receiveARP(_ frame: [UInt8], _ range: Range<Int>) -> DropReason? {
    let packet: ARPPacket
    do {
      packet = try ARPPacket.parse(frame, in: range)
    } catch {
      return .malformedARP
    }
    let forUs = isLocal(packet.targetIP)
    let known = neighbors[packet.senderIP] != nil
    guard forUs || known else { return .arpNotForUs }
    guard packet.senderMAC.isUnicast, !packet.senderIP.isUnspecified else {
      // An ARP probe (RFC 5227) or a bogus sender: answer probes for our address, learn
      // nothing.
      if forUs && packet.operation == .request && packet.senderIP.isUnspecified {
        queueARPReply(to: packet)
        return nil
      }
      return .malformedARP
    }
    learnNeighbor(packet.senderIP, macAddress: packet.senderMAC)
    if forUs && packet.operation == .request {
      queueARPReply(to: packet)
    }
    return nil
  }

  private func queueARPReply(to request: ARPPacket) {
    let reply = ARPPacket(
      operation: .reply, senderMAC: configuration.interface.macAddress,
      senderIP: request.targetIP, targetMAC: request.senderMAC, targetIP: request.senderIP)
    var frame = takeFrameBuffer(count: EthernetHeader.length + ARPPacket.length)
    EthernetHeader(
      destination: request.senderMAC, source: configuration.interface.macAddress,
      etherType: .arp
    ).emit(into: &frame, at: 0)
    reply.emit(into: &frame, at: EthernetHeader.length)
    controlFrames.append(frame)
  }

  /// Records `ip` at `macAddress` and releases what waited for it.
  func learnNeighbor(_ ip: IPv4Address, macAddress: MACAddress) {
    let now = environment.now
    var entry =
      neighbors[ip] ?? NeighborEntry(macAddress: nil, confirmedAt: now, lastRequestAt: nil)
    entry.macAddress = macAddress
    entry.confirmedAt = now
    entry.requestsSent = 0
    let pending = entry.pendingFrames
    let waiting = entry.waitingConnections
    entry.pendingFrames = []
    entry.waitingConnections = []
    if neighbors[ip] == nil && neighbors.count >= configuration.neighbors.capacity {
      evictStalestNeighbor()
    }
    neighbors[ip] = entry
    timers.cancel(.neighbor(ip))
    for var frame in pending {
      macAddress.write(to: &frame, at: 0)
      queueFragmenting(frame)
    }
    for id in waiting {
      if let connection = connection(id) { refresh(connection) }
    }
  }

  private func evictStalestNeighbor() {
    var stalest: (IPv4Address, Instant)?
    for (ip, entry) in neighbors
    where entry.pendingFrames.isEmpty
      && entry.waitingConnections.isEmpty
    {
      if stalest.map({ entry.confirmedAt < $0.1 }) ?? true { stalest = (ip, entry.confirmedAt) }
    }
    if let (ip, _) = stalest {
      neighbors[ip] = nil
      timers.cancel(.neighbor(ip))
    }
  }

  /// The MAC for next hop `ip`, or `nil` while it is being resolved. Starts or refreshes the
  /// resolution as needed (rate-limited).
  func resolveNeighbor(_ ip: IPv4Address) -> MACAddress? {
    if isBroadcast(ip) { return .broadcast }
    let now = environment.now
    if var entry = neighbors[ip] {
      if let mac = entry.macAddress {
        if now - entry.confirmedAt >= configuration.neighbors.entryLifetime
          && entry.requestsSent == 0
        {
          // Stale: keep using it while asking again (unicast would be kinder; broadcast is
          // what every stack answers).
          entry.requestsSent = 1
          entry.lastRequestAt = now
          neighbors[ip] = entry
          sendARPRequest(for: ip)
          timers.schedule(.neighbor(ip), at: now + configuration.neighbors.requestInterval)
        }
        return mac
      }
      return nil
    }
    if neighbors.count >= configuration.neighbors.capacity { evictStalestNeighbor() }
    neighbors[ip] = NeighborEntry(
      macAddress: nil, confirmedAt: now, lastRequestAt: now, requestsSent: 1)
    sendARPRequest(for: ip)
    timers.schedule(.neighbor(ip), at: now + configuration.neighbors.requestInterval)
    return nil
  }

  /// Queues `frame` (Ethernet destination to be filled in) until `ip` resolves.
  func queueForNeighbor(_ ip: IPv4Address, frame: [UInt8]) {
    guard var entry = neighbors[ip] else {
      environment.counters.neighborPendingDrops += 1
      return
    }
    if entry.pendingFrames.count >= configuration.neighbors.pendingPacketLimit {
      environment.counters.neighborPendingDrops += 1
      recycle(entry.pendingFrames.removeFirst())
    }
    entry.pendingFrames.append(frame)
    neighbors[ip] = entry
  }

  /// Parks a connection until `ip` resolves.
  func park(_ connection: TCPConnection, waitingFor ip: IPv4Address) {
    guard var entry = neighbors[ip] else { return }
    if !entry.waitingConnections.contains(connection.id) {
      entry.waitingConnections.append(connection.id)
      neighbors[ip] = entry
    }
  }

  /// A neighbour timer: ask again, or give up and fail what waits.
  func neighborTimerFired(_ ip: IPv4Address) {
    guard var entry = neighbors[ip] else { return }
    let now = environment.now
    if entry.requestsSent < configuration.neighbors.maximumRequests {
      entry.requestsSent += 1
      entry.lastRequestAt = now
      neighbors[ip] = entry
      sendARPRequest(for: ip)
      timers.schedule(.neighbor(ip), at: now + configuration.neighbors.requestInterval)
      return
    }
    if entry.macAddress != nil && entry.pendingFrames.isEmpty {
      // A stale entry that stopped answering: forget it.
      neighbors[ip] = nil
      return
    }
    neighbors[ip] = nil
    environment.counters.neighborPendingDrops += entry.pendingFrames.count
    for frame in entry.pendingFrames { recycle(frame) }
    for id in entry.waitingConnections {
      guard let connection = connection(id) else { continue }
      if connection.state == .synSent {
        connection.enterClosed(error: .unreachable(.host))
      } else {
        connection.softError = .host
      }
      // A RST waiting for this next hop cannot be sent: drop it so the connection is released.
      connection.resetPending = false
      refresh(connection)
    }
  }

  private func sendARPRequest(for ip: IPv4Address) {
    let source = route(to: ip)?.source ?? primaryAddress
    let request = ARPPacket(
      operation: .request, senderMAC: configuration.interface.macAddress, senderIP: source,
      targetMAC: .zero, targetIP: ip)
    var frame = takeFrameBuffer(count: EthernetHeader.length + ARPPacket.length)
    EthernetHeader(
      destination: .broadcast, source: configuration.interface.macAddress, etherType: .arp
    ).emit(into: &frame, at: 0)
    request.emit(into: &frame, at: EthernetHeader.length)
    controlFrames.append(frame)
    environment.counters.arpRequestsSent += 1
  }
}
