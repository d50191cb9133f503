/// Identifies a TCP connection inside one ``NetworkStack``.
///
/// A handle stays valid until the connection is released; the generation makes a stale handle
/// (one whose slot has been reused) fail lookups instead of reaching another connection.
public struct TCPSocketID: Hashable, Sendable, CustomStringConvertible {
  /// The slot in the stack's connection table.
  public let index: Int
  /// The slot's generation when this handle was issued.
  public let generation: UInt32

  /// A textual form for logs, like `tcp#3.1`.
  public var description: String { "tcp#\(index).\(generation)" }
}

/// Identifies a TCP listener inside one ``NetworkStack``.
public struct TCPListenerID: Hashable, Sendable, CustomStringConvertible {
  /// The slot in the stack's listener table.
  public let index: Int
  /// The slot's generation when this handle was issued.
  public let generation: UInt32

  /// A textual form for logs, like `listener#0.1`.
  public var description: String { "listener#\(index).\(generation)" }
}

/// Identifies a UDP socket inside one ``NetworkStack``.
public struct UDPSocketID: Hashable, Sendable, CustomStringConvertible {
  /// The slot in the stack's UDP table.
  public let index: Int
  /// The slot's generation when this handle was issued.
  public let generation: UInt32

  /// A textual form for logs, like `udp#0.1`.
  public var description: String { "udp#\(index).\(generation)" }
}
