/// The socket calls that take any ``ToSocketAddresses`` (a name, a `"host:port"` string, a
/// list), so ported code resolves through usnet and never through the system resolver. Like
/// Rust's `each_addr`, `connect` and `bind` try each address in order and report the last
/// error; `send(_:to:)` uses only the first address.
///
/// **Blocking.** Resolution may block (see ``ToSocketAddresses``) before the call itself.
extension TCPStreamProtocol {
  /// Connects to the first address `target` names that accepts the connection.
  public static func connect(
    to target: some ToSocketAddresses, timeout: Duration? = nil
  ) throws(NetError) -> Self {
    try target.firstSuccess { (address) throws(NetError) -> Self in
      try connect(to: address, timeout: timeout)
    }
  }
}

extension TCPListenerProtocol {
  /// Binds to the first address `target` names that can be bound.
  public static func bind(
    to target: some ToSocketAddresses, backlog: Int? = nil
  ) throws(NetError) -> Self {
    try target.firstSuccess { (address) throws(NetError) -> Self in
      try bind(to: address, backlog: backlog)
    }
  }
}

extension UDPSocketProtocol {
  /// Binds to the first address `target` names that can be bound.
  public static func bind(to target: some ToSocketAddresses) throws(NetError) -> Self {
    try target.firstSuccess { (address) throws(NetError) -> Self in try bind(to: address) }
  }

  /// Sets the peer to the first address `target` names that works.
  public func connect(to target: some ToSocketAddresses) throws(NetError) {
    try target.firstSuccess { (address) throws(NetError) in try connect(to: address) }
  }

  /// Sends one datagram to the first address `target` names (Rust's `send_to`).
  ///
  /// - Throws: `invalidInput` "no addresses to send data to" when `target` names none.
  public func send(_ bytes: [UInt8], to target: some ToSocketAddresses) throws(NetError) -> Int {
    guard let address = try target.socketAddresses().first else {
      throw NetError(.invalidInput, message: "no addresses to send data to")
    }
    return try send(bytes, to: address)
  }
}
