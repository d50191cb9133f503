/// What one transfer of `usnet bridge-compare` did: how long the receiver took, whether the
/// bytes arrived intact, and what the sender and the impaired link saw.
public struct BridgeTransferResult: Sendable, Hashable {
  /// Which transfer.
  public var kind: BridgeTransferKind
  /// The repetition, from 0.
  public var repetition: Int
  /// The seed of the repetition.
  public var seed: UInt64
  /// Payload bytes sent.
  public var bytes: Int
  /// Payload bytes the receiver read before the end of the stream.
  public var bytesReceived = 0
  /// The receiver's time from accepting the connection to reading the end of the stream, or
  /// `nil` when it did not get there.
  public var duration: Duration?
  /// Whether the receiver read exactly ``bytes`` bytes with the sender's SHA-256.
  public var intact = false
  /// Why the transfer failed (a program, a socket call, the time limit), or `nil`.
  public var failure: String?
  /// Segments the sender retransmitted (kernel: `RetransSegs` of its namespace; usnet: the
  /// stack's counter), when known.
  public var senderRetransmissions: Int?
  /// Retransmission timeouts at the sender (kernel: `TCPTimeouts`), when known.
  public var senderTimeouts: Int?
  /// The sender's congestion control, like `cubic`.
  public var congestionControl: String?
  /// Frames offered to the impaired link, both directions.
  public var impairedFramesOffered = 0
  /// Frames the impaired link lost, both directions.
  public var impairedFramesLost = 0
  /// The longest frame read from a TAP, in bytes: 1514 when the kernel sent wire-sized
  /// frames only.
  public var largestFrameRead = 0

  /// An empty result for `kind` in `repetition`.
  public init(kind: BridgeTransferKind, repetition: Int, seed: UInt64, bytes: Int) {
    self.kind = kind
    self.repetition = repetition
    self.seed = seed
    self.bytes = bytes
  }

  /// Whether the transfer finished with every byte intact.
  public var succeeded: Bool { failure == nil && intact && duration != nil }

  /// Payload bits per second over ``duration``, for a transfer that succeeded.
  public var goodputBitsPerSecond: Double? {
    guard succeeded, let duration else { return nil }
    let seconds =
      Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    return seconds > 0 ? Double(bytes) * 8 / seconds : nil
  }
}
