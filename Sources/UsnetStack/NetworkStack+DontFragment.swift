/// Per-socket don't-fragment (Linux's `IP_MTU_DISCOVER` with `IP_PMTUDISC_DO`) for UDP.
///
/// By default a UDP datagram longer than the MTU leaves as IPv4 fragments (up to 65,507
/// bytes), as Linux sends UDP by default. With don't-fragment set, every datagram carries DF
/// and one longer than the MTU fails with `messageTooLong` instead.
extension NetworkStack {
  /// Sets whether a UDP socket's datagrams carry DF and are never fragmented.
  public func setDontFragment(_ id: UDPSocketID, _ dontFragment: Bool) throws(StackError) {
    guard let socket = udpSocket(id) else { throw .invalidHandle }
    socket.dontFragment = dontFragment
  }

  /// Whether a UDP socket's datagrams carry DF and are never fragmented.
  public func dontFragment(of id: UDPSocketID) throws(StackError) -> Bool {
    guard let socket = udpSocket(id) else { throw .invalidHandle }
    return socket.dontFragment
  }
}
