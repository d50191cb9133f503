import UsnetWire

/// The TCP socket calls. Each takes the current time; none blocks. Their results are
/// final for this moment: "nothing yet" comes back as `nil` or 0, never as a wait.
extension NetworkStack {
  /// Starts an active open to `remoteAddress:remotePort` (the SYN goes out on the next
  /// ``transmit(into:at:)``). Without a local port an ephemeral one is chosen (RFC 6056
  /// algorithm 3).
  ///
  /// - Throws: `networkUnreachable` without a route, `addressNotAvailable` for a local address
  ///   that is not ours or when no port is free, `addressInUse` when the 4-tuple exists,
  ///   `invalidArgument` for a zero or broadcast destination.
  public func connect(
    to remoteAddress: IPv4Address, port remotePort: UInt16, from localAddress: IPv4Address? = nil,
    localPort: UInt16 = 0, at now: Instant
  ) throws(StackError) -> TCPSocketID {
    environment.now = now
    guard remotePort != 0, !remoteAddress.isUnspecified, !isBroadcast(remoteAddress),
      !remoteAddress.isMulticast
    else {
      throw .invalidArgument("destination \(remoteAddress):\(remotePort)")
    }
    guard let hop = route(to: remoteAddress), !isLocal(remoteAddress) else {
      throw .networkUnreachable
    }
    let source = localAddress ?? hop.source
    guard isLocal(source) else { throw .addressNotAvailable }
    var tuple = FourTuple(
      localAddress: source, localPort: localPort, remoteAddress: remoteAddress,
      remotePort: remotePort)
    if localPort == 0 {
      tuple.localPort = try ephemeralPort(for: tuple)
    } else if connectionsByTuple[tuple] != nil {
      throw .addressInUse
    }
    let isn = initialSequenceNumbers.next(
      localAddress: tuple.localAddress.rawValue, localPort: tuple.localPort,
      remoteAddress: tuple.remoteAddress.rawValue, remotePort: tuple.remotePort, at: now)
    let configuration = configuration.tcp
    let interfaceMSS = environment.interfaceMSS
    let pathMSS = self.pathMSS(to: remoteAddress)
    let connection = connections.insert { index, generation in
      TCPConnection(
        id: TCPSocketID(index: index, generation: generation), tuple: tuple, state: .synSent,
        isPassive: false, initialSendSequence: SequenceNumber(isn),
        configuration: configuration, interfaceMSS: interfaceMSS, pathMSS: pathMSS)
    }
    connection.timestamps.offset = initialSequenceNumbers.timestampOffset(
      localAddress: tuple.localAddress.rawValue, remoteAddress: tuple.remoteAddress.rawValue)
    connectionsByTuple[tuple] = connection.id
    refresh(connection)
    return connection.id
  }

  /// Picks a local port for `tuple` that no connection or listener uses (RFC 6056 §3.3.3).
  private func ephemeralPort(for tuple: FourTuple) throws(StackError) -> UInt16 {
    let range = configuration.tcp.ephemeralPorts
    let size = Int(range.upperBound) - Int(range.lowerBound) + 1
    let offset = Int(
      portHash.hash(
        UInt64(tuple.localAddress.rawValue) << 32 | UInt64(tuple.remoteAddress.rawValue),
        UInt64(tuple.remotePort)) % UInt64(size))
    var candidate = tuple
    for step in 0..<size {
      let port = UInt16(Int(range.lowerBound) + (offset + ephemeralPortCounter + step) % size)
      candidate.localPort = port
      if connectionsByTuple[candidate] == nil
        && listenersByKey[ListenerKey(address: .any, port: port)] == nil
        && listenersByKey[ListenerKey(address: tuple.localAddress, port: port)] == nil
      {
        ephemeralPortCounter += step + 1
        return port
      }
    }
    throw .addressNotAvailable
  }

  /// Opens a listener on `address:port` (`0.0.0.0` for every address) whose SYN and accept
  /// queues each hold at most `backlog` connections (clamped to 1...maximumBacklog, as
  /// Linux clamps to `somaxconn`).
  ///
  /// - Throws: `addressInUse` when a listener has the port (on that address or on all),
  ///   `addressNotAvailable` for an address that is not ours, `invalidArgument` for port 0.
  public func listen(
    on address: IPv4Address = .any, port: UInt16, backlog: Int, at now: Instant
  ) throws(StackError) -> TCPListenerID {
    environment.now = now
    guard port != 0 else { throw .invalidArgument("listening port 0") }
    guard address.isUnspecified || isLocal(address) else { throw .addressNotAvailable }
    let key = ListenerKey(address: address, port: port)
    let conflicts =
      listenersByKey[key] != nil
      || (address.isUnspecified
        ? listenersByKey.keys.contains { $0.port == port }
        : listenersByKey[ListenerKey(address: .any, port: port)] != nil)
    guard !conflicts else { throw .addressInUse }
    let clamped = Swift.min(Swift.max(backlog, 1), configuration.tcp.maximumBacklog)
    let listener = listeners.insert { index, generation in
      TCPListener(
        id: TCPListenerID(index: index, generation: generation), localAddress: address,
        localPort: port, backlog: clamped)
    }
    listenersByKey[key] = listener.id
    return listener.id
  }

  /// Takes the oldest established connection from the listener's accept queue, or `nil`.
  public func accept(_ listenerID: TCPListenerID) throws(StackError) -> TCPSocketID? {
    guard let listener = listener(listenerID) else { throw .invalidHandle }
    while let id = listener.acceptQueue.popFirst() {
      if connection(id) != nil { return id }
    }
    return nil
  }

  /// Connections waiting in the listener's accept queue.
  public func pendingAccepts(_ listenerID: TCPListenerID) -> Int {
    listener(listenerID)?.acceptQueue.count ?? 0
  }

  /// Closes a listener: connections it has not handed out are reset.
  public func close(_ listenerID: TCPListenerID, at now: Instant) {
    environment.now = now
    guard let listener = listener(listenerID) else { return }
    listenersByKey[ListenerKey(address: listener.localAddress, port: listener.localPort)] = nil
    var orphans = Array(listener.synQueue)
    while let id = listener.acceptQueue.popFirst() { orphans.append(id) }
    for id in orphans {
      guard let connection = connection(id) else { continue }
      connection.listener = nil
      connection.applicationClosed = true
      connection.abort()
      refresh(connection)
    }
    listeners.remove(index: listenerID.index, generation: listenerID.generation)
  }

  /// Queues bytes from `bytes[range]` for sending and returns how many were taken (0 when
  /// the send buffer is full).
  ///
  /// - Throws: `brokenPipe` after a write shutdown or close, `connection(_)` once failed,
  ///   `invalidHandle` for an unknown handle.
  public func send(
    _ id: TCPSocketID, _ bytes: [UInt8], range: Range<Int>? = nil, at now: Instant
  ) throws(StackError) -> Int {
    environment.now = now
    guard let connection = connection(id), !connection.applicationClosed else {
      throw .invalidHandle
    }
    let range = range ?? bytes.startIndex..<bytes.endIndex
    guard range.lowerBound >= 0, range.upperBound <= bytes.count else {
      throw .invalidArgument("range \(range) outside a buffer of \(bytes.count) bytes")
    }
    let taken = try connection.send(bytes, range: range)
    if taken > 0 { refresh(connection) }
    return taken
  }

  /// Moves received bytes into `buffer[range]`. Returns the count, 0 at the end of the stream,
  /// or `nil` when no data is there yet.
  ///
  /// - Throws: `connection(_)` when the connection failed and no data is left,
  ///   `invalidHandle` for an unknown handle.
  public func receive(
    _ id: TCPSocketID, into buffer: inout [UInt8], range: Range<Int>? = nil, at now: Instant
  ) throws(StackError) -> Int? {
    try read(id, into: &buffer, range: range, peek: false, at: now)
  }

  /// Like ``receive(_:into:range:at:)`` but leaves the bytes in the receive buffer.
  public func peek(
    _ id: TCPSocketID, into buffer: inout [UInt8], range: Range<Int>? = nil, at now: Instant
  ) throws(StackError) -> Int? {
    try read(id, into: &buffer, range: range, peek: true, at: now)
  }

  private func read(
    _ id: TCPSocketID, into buffer: inout [UInt8], range: Range<Int>?, peek: Bool,
    at now: Instant
  ) throws(StackError) -> Int? {
    environment.now = now
    guard let connection = connection(id), !connection.applicationClosed else {
      throw .invalidHandle
    }
    let range = range ?? buffer.startIndex..<buffer.endIndex
    guard range.lowerBound >= 0, range.upperBound <= buffer.count else {
      throw .invalidArgument("range \(range) outside a buffer of \(buffer.count) bytes")
    }
    let result = try connection.receive(into: &buffer, range: range, peek: peek, &environment)
    if connection.ackNow { refresh(connection) }
    return result
  }

  /// Shuts down one or both directions (RFC 9293 CLOSE for writing: a FIN follows the data).
  public func shutdown(
    _ id: TCPSocketID, read: Bool, write: Bool, at now: Instant
  )
    throws(StackError)
  {
    environment.now = now
    guard let connection = connection(id), !connection.applicationClosed else {
      throw .invalidHandle
    }
    if read { connection.shutdownRead() }
    if write {
      guard connection.state != .closed || connection.error == nil else {
        throw .notConnected
      }
      connection.shutdownWrite()
    }
    refresh(connection)
  }

  /// Releases the handle. The connection closes gracefully in the background (FIN, then
  /// FIN-WAIT and TIME-WAIT as needed), or is reset if received data was left unread.
  public func close(_ id: TCPSocketID, at now: Instant) {
    environment.now = now
    guard let connection = connection(id), !connection.applicationClosed else { return }
    connection.close(environment)
    if connection.state == .closed && !connection.resetPending {
      release(connection)
    } else {
      refresh(connection)
    }
  }

  /// Resets the connection (a RST if the peer knows it) and releases the handle.
  public func abort(_ id: TCPSocketID, at now: Instant) {
    environment.now = now
    guard let connection = connection(id) else { return }
    connection.applicationClosed = true
    connection.abort()
    refresh(connection)
  }

  /// Disables (or re-enables) Nagle's algorithm for the connection.
  public func setNoDelay(_ id: TCPSocketID, _ noDelay: Bool) throws(StackError) {
    guard let connection = connection(id) else { throw .invalidHandle }
    connection.noDelay = noDelay
    if noDelay { refresh(connection) }
  }

  /// A snapshot of the connection, or `nil` for an unknown handle.
  public func info(_ id: TCPSocketID) -> TCPConnectionInfo? {
    guard let connection = connection(id) else { return nil }
    return TCPConnectionInfo(connection)
  }
}
