import UsnetStack

/// The outcome of a ``TransferScenario``.
public struct TransferResult: Sendable, CustomStringConvertible {
  /// Payload bytes the receiver got.
  public var bytes: Int
  /// Payload bytes the scenario asked for.
  public var requestedBytes: Int
  /// Whether every byte arrived within the time limit.
  public var completed: Bool
  /// Virtual time from the first byte handed to the sender to the last byte read by the
  /// receiver (up to the limit when the transfer stalled).
  public var completionTime: Duration
  /// Virtual time of the connection handshake.
  public var handshakeTime: Duration
  /// Payload bits per second of virtual time over ``completionTime``.
  public var goodputBitsPerSecond: Double
  /// Segments the sender retransmitted.
  public var retransmissions: Int
  /// Retransmission timeouts at the sender.
  public var timeouts: Int
  /// Fast retransmits at the sender.
  public var fastRetransmits: Int
  /// Whether the SHA-256 of what was read equals that of what was sent (and all arrived).
  public var payloadIntact: Bool
  /// SHA-256 of the bytes handed to the sender, hex.
  public var sentDigest: String
  /// SHA-256 of the bytes the receiver read, hex.
  public var receivedDigest: String
  /// Wall-clock time the run took.
  public var wallTime: Duration
  /// Why the transfer stopped early, if it did (a stall, a connection error).
  public var failure: String?
  /// The sender's stack counters at the end.
  public var senderCounters: StackCounters
  /// The receiver's stack counters at the end.
  public var receiverCounters: StackCounters
  /// Link counters of the sender's port (into the switch, out to the sender).
  public var senderLink: (toSwitch: LinkCounters, toEndpoint: LinkCounters)
  /// Link counters of the receiver's port (into the switch, out to the receiver).
  public var receiverLink: (toSwitch: LinkCounters, toEndpoint: LinkCounters)

  /// A one-line summary: bytes, completion time, goodput, retransmissions, integrity.
  public var description: String {
    let megabits = (goodputBitsPerSecond / 1e4).rounded() / 100
    let status = completed ? (payloadIntact ? "intact" : "CORRUPTED") : "STALLED"
    var text =
      "\(bytes)/\(requestedBytes) bytes in \(completionTime.seconds)s virtual"
      + " (\(wallTime.seconds)s wall): \(megabits) Mbit/s, \(retransmissions) retransmissions"
      + " (\(fastRetransmits) fast, \(timeouts) timeouts), payload \(status)"
    if let failure { text += ": \(failure)" }
    return text
  }
}

extension Duration {
  /// The duration in seconds, rounded to milliseconds, for reports.
  var seconds: Double {
    (Double(totalNanoseconds) / 1e6).rounded() / 1e3
  }
}
