import UsnetDevice

extension HostDescriptor {
  /// Rust's `Debug` form: `Name { addr: A, peer: P, fd: N }` (`peer` only when asked for and
  /// known), or `Name { closed }` after close.
  func describe(_ name: String, withPeer: Bool) -> String {
    let fields = try? perform { socket throws(DeviceError) in
      let local = try socket.localAddress().map { SocketAddress($0).description } ?? "?"
      var text = "addr: \(local)"
      if withPeer, let peer = try? socket.peerAddress() {
        text += ", peer: \(SocketAddress(peer))"
      }
      return "\(text), fd: \(socket.descriptor)"
    }
    return "\(name) { \(fields ?? "closed") }"
  }
}
