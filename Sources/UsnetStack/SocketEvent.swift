/// A socket whose state may have changed: readable, writable, connected, closed or failed.
///
/// Drivers collect these with ``NetworkStack/takeSocketEvents(into:)`` after each batch of
/// calls and wake exactly the threads waiting on those sockets (per-socket wake-ups), instead
/// of waking everyone.
public enum SocketEvent: Hashable, Sendable {
  /// A TCP connection.
  case tcp(TCPSocketID)
  /// A listener (its accept queue changed).
  case listener(TCPListenerID)
  /// A UDP socket (a datagram or an error arrived).
  case udp(UDPSocketID)
  /// An ICMP echo socket (a reply arrived).
  case echo(EchoSocketID)
}
