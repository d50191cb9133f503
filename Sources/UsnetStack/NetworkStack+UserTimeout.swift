/// Per-connection user timeout (`TCP_USER_TIMEOUT`, RFC 5482 in Linux's local sense): the
/// longest time sent data may go unacknowledged, a closed window stay closed under probes, or
/// a probed peer stay quiet under keep-alive, before the connection fails with
/// ``TCPConnectionError/timedOut(lastICMP:)``, even when retries remain. New connections start
/// with ``TCPConfiguration/userTimeout``.
extension NetworkStack {
  /// Sets (or with `nil`, clears) a connection's user timeout. It applies from the next
  /// retransmission, zero-window or keep-alive timer on; like every stack call it does not
  /// block.
  ///
  /// - Throws: `invalidHandle` for an unknown handle, `invalidArgument` for a duration that
  ///   is not positive.
  public func setUserTimeout(_ id: TCPSocketID, _ duration: Duration?) throws(StackError) {
    guard let connection = connection(id) else { throw .invalidHandle }
    if let duration, duration <= .zero {
      throw .invalidArgument("user timeout \(duration) (expected a positive duration or nil)")
    }
    connection.userTimeout = duration
    connection.clampDeadlinesToUserTimeout()
    refresh(connection)
  }

  /// A connection's user timeout, `nil` when it relies on the retry counts alone.
  public func userTimeout(of id: TCPSocketID) throws(StackError) -> Duration? {
    guard let connection = connection(id) else { throw .invalidHandle }
    return connection.userTimeout
  }
}
