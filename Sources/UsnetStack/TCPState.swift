/// The states of a TCP connection (RFC 9293 §3.3.2).
public enum TCPState: String, Sendable, CaseIterable, CustomStringConvertible {
  /// No connection.
  case closed
  /// Waiting for a SYN (listeners only; connections never report it).
  case listen
  /// Our SYN is sent, waiting for the peer's.
  case synSent
  /// Both SYNs seen, waiting for the ACK of ours.
  case synReceived
  /// Open in both directions.
  case established
  /// Our FIN is sent, not yet acknowledged; the peer may still send.
  case finWait1
  /// Our FIN is acknowledged; waiting for the peer's.
  case finWait2
  /// The peer's FIN arrived; we may still send.
  case closeWait
  /// Both FINs sent (simultaneous close), waiting for the ACK of ours.
  case closing
  /// After close-wait our FIN is sent, waiting for its ACK.
  case lastAck
  /// Both directions closed; waiting 2·MSL for stray segments.
  case timeWait

  /// The RFC name, like `SYN-SENT`.
  public var description: String {
    switch self {
    case .closed: "CLOSED"
    case .listen: "LISTEN"
    case .synSent: "SYN-SENT"
    case .synReceived: "SYN-RECEIVED"
    case .established: "ESTABLISHED"
    case .finWait1: "FIN-WAIT-1"
    case .finWait2: "FIN-WAIT-2"
    case .closeWait: "CLOSE-WAIT"
    case .closing: "CLOSING"
    case .lastAck: "LAST-ACK"
    case .timeWait: "TIME-WAIT"
    }
  }

  /// True once both SYNs have been exchanged (RFC 9293's synchronized states).
  var isSynchronized: Bool {
    switch self {
    case .closed, .listen, .synSent, .synReceived: false
    default: true
    }
  }

  /// True while the peer may still send data we accept.
  var acceptsData: Bool { self == .established || self == .finWait1 || self == .finWait2 }

  /// True while we may still send data (before our FIN is queued).
  var sendsData: Bool { self == .established || self == .closeWait }
}
