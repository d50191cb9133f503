/// Per-connection keep-alive (`SO_KEEPALIVE`) with the stack's idle time, interval and probe
/// count (Linux defaults: 2 h, 75 s, 9).
extension NetworkStack {
  /// Turns keep-alive probing on or off for a connection.
  public func setKeepAlive(
    _ id: TCPSocketID, _ enabled: Bool, at now: Instant
  )
    throws(StackError)
  {
    environment.now = now
    guard let connection = connection(id) else { throw .invalidHandle }
    connection.keepAlive = enabled
    connection.restartKeepAlive(environment)
    refresh(connection)
  }

  /// Whether keep-alive probing is on for a connection.
  public func isKeepAliveEnabled(_ id: TCPSocketID) throws(StackError) -> Bool {
    guard let connection = connection(id) else { throw .invalidHandle }
    return connection.keepAlive
  }
}
