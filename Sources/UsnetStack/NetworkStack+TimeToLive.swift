import UsnetWire

/// Per-socket IPv4 time to live (`IP_TTL`): set on a connection, a listener (inherited by the
/// connections it accepts) or a UDP socket; `nil` returns to the stack's default.
extension NetworkStack {
  /// Sets the TTL of a connection's packets.
  public func setTimeToLive(_ id: TCPSocketID, _ ttl: UInt8?) throws(StackError) {
    guard let connection = connection(id) else { throw .invalidHandle }
    try checkTimeToLive(ttl)
    connection.timeToLive = ttl
  }

  /// The TTL of a connection's packets.
  public func timeToLive(of id: TCPSocketID) throws(StackError) -> UInt8 {
    guard let connection = connection(id) else { throw .invalidHandle }
    return connection.timeToLive ?? configuration.timeToLive
  }

  /// Sets the TTL the listener's accepted connections start with.
  public func setTimeToLive(_ id: TCPListenerID, _ ttl: UInt8?) throws(StackError) {
    guard let listener = listener(id) else { throw .invalidHandle }
    try checkTimeToLive(ttl)
    listener.timeToLive = ttl
  }

  /// The TTL the listener's accepted connections start with.
  public func timeToLive(of id: TCPListenerID) throws(StackError) -> UInt8 {
    guard let listener = listener(id) else { throw .invalidHandle }
    return listener.timeToLive ?? configuration.timeToLive
  }

  /// Sets the TTL of a UDP socket's datagrams.
  public func setTimeToLive(_ id: UDPSocketID, _ ttl: UInt8?) throws(StackError) {
    guard let socket = udpSocket(id) else { throw .invalidHandle }
    try checkTimeToLive(ttl)
    socket.timeToLive = ttl
  }

  /// The TTL of a UDP socket's datagrams.
  public func timeToLive(of id: UDPSocketID) throws(StackError) -> UInt8 {
    guard let socket = udpSocket(id) else { throw .invalidHandle }
    return socket.timeToLive ?? configuration.timeToLive
  }

  private func checkTimeToLive(_ ttl: UInt8?) throws(StackError) {
    if ttl == 0 { throw .invalidArgument("TTL 0 (accepted: 1 to 255)") }
  }
}
