/// Errors of the socket-level calls of a ``NetworkStack``.
///
/// The socket API maps each to the matching `NetError` kind; the names follow the errno they
/// correspond to on Linux.
public enum StackError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The handle does not name a live socket of this stack (EBADF).
  case invalidHandle
  /// The local address and port are taken (EADDRINUSE).
  case addressInUse
  /// The local address is not one of the interface's, or no ephemeral port is free
  /// (EADDRNOTAVAIL).
  case addressNotAvailable
  /// No route to the destination network (ENETUNREACH).
  case networkUnreachable
  /// An argument is out of range; the text says which (EINVAL).
  case invalidArgument(String)
  /// The call needs a connected socket (ENOTCONN).
  case notConnected
  /// The socket is already connected or connecting (EISCONN).
  case alreadyConnected
  /// Writing after a write shutdown or after the connection closed (EPIPE).
  case brokenPipe
  /// The connection failed; the associated error says how.
  case connection(TCPConnectionError)
  /// A datagram too long to send: beyond a 65,535-byte IPv4 datagram, or beyond the MTU when
  /// it may not be fragmented (EMSGSIZE).
  case messageTooLong
  /// An ICMP error reported for an earlier datagram of a connected UDP socket.
  case datagramUnreachable(UnreachableReason)

  /// A short explanation.
  public var description: String {
    switch self {
    case .invalidHandle: "no such socket"
    case .addressInUse: "address in use"
    case .addressNotAvailable: "address not available"
    case .networkUnreachable: "network unreachable"
    case .invalidArgument(let what): "invalid argument: \(what)"
    case .notConnected: "not connected"
    case .alreadyConnected: "already connected"
    case .brokenPipe: "broken pipe"
    case .connection(let error): error.description
    case .messageTooLong: "message too long"
    case .datagramUnreachable(let reason): reason.description
    }
  }
}

/// How a TCP connection ended in failure.
public enum TCPConnectionError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The peer answered our SYN with a RST, or ICMP port unreachable arrived in SYN-SENT
  /// (ECONNREFUSED).
  case refused
  /// The peer reset an established connection (ECONNRESET).
  case reset
  /// Retransmissions ran out (ETIMEDOUT), or the ICMP error seen while retrying
  /// (EHOSTUNREACH etc.), as Linux reports it.
  case timedOut(lastICMP: UnreachableReason?)
  /// An ICMP destination unreachable ended a connection attempt, or the next hop did not
  /// answer ARP.
  case unreachable(UnreachableReason)
  /// The local side aborted the connection (ECONNABORTED).
  case aborted

  /// A short explanation.
  public var description: String {
    switch self {
    case .refused: "connection refused"
    case .reset: "connection reset by peer"
    case .timedOut(nil): "connection timed out"
    case .timedOut(let icmp?): "connection timed out (\(icmp))"
    case .unreachable(let reason): reason.description
    case .aborted: "connection aborted"
    }
  }
}

/// Why a destination could not be reached.
public enum UnreachableReason: Hashable, Sendable, CustomStringConvertible {
  /// ICMP network unreachable or unknown (ENETUNREACH).
  case network
  /// ICMP host unreachable or unknown, or no ARP answer (EHOSTUNREACH).
  case host
  /// ICMP protocol unreachable (ENOPROTOOPT).
  case proto
  /// ICMP port unreachable (ECONNREFUSED).
  case port
  /// Administratively prohibited (EACCES on Linux for some codes; EHOSTUNREACH here).
  case prohibited
  /// Fragmentation needed and DF set (EMSGSIZE).
  case fragmentationNeeded(mtu: Int)
  /// Another ICMP unreachable code.
  case other(code: UInt8)

  /// A short explanation.
  public var description: String {
    switch self {
    case .network: "network unreachable"
    case .host: "host unreachable"
    case .proto: "protocol unreachable"
    case .port: "port unreachable"
    case .prohibited: "communication administratively prohibited"
    case .fragmentationNeeded(let mtu): "fragmentation needed (next-hop MTU \(mtu))"
    case .other(let code): "destination unreachable (code \(code))"
    }
  }
}
