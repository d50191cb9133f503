import UsnetStack

/// What `usnet bridge-compare` measures: the transfer size, the impairment of the kernel's
/// bridge port, the seeds and where the Markdown report goes.
public struct BridgeCompareSettings: Sendable, Hashable {
  /// Payload bytes of each transfer.
  public var bytes = 20_000_000
  /// Independent (Bernoulli) frame loss on each direction of the impaired port.
  public var loss = 0.01
  /// The round-trip propagation time, as half of it of delay on each direction of the
  /// impaired port.
  public var rtt: Duration = .milliseconds(20)
  /// The seed of the first repetition; repetition `n` (from 0) uses `seed + n` for the switch's
  /// loss draws, the stack and the payloads.
  public var seed: UInt64 = 1
  /// How many times the three transfers run, one after the other.
  public var repetitions = 3
  /// The wall-clock limit of one transfer.
  public var timeLimit: Duration = .seconds(300)
  /// The kernel sender's congestion control (set on its socket with `TCP_CONGESTION`, which
  /// root may do for any algorithm the kernel has; a namespace's default can only be one of
  /// `net.ipv4.tcp_allowed_congestion_control`), like `cubic`, or `nil` for the kernel's
  /// default (`net.ipv4.tcp_congestion_control`: `cubic` on most hosts, `bbr` on some).
  public var kernelCongestionControl: String?
  /// The usnet stack's send and receive buffer per connection, or `nil` for the stack's
  /// default (``TCPConfiguration/sendBufferSize``, 256 KiB).
  public var usnetBufferSize: Int?
  /// Where to write the Markdown report, if anywhere.
  public var output: String?

  /// The defaults: 20 MB, 1 % loss, 20 ms RTT, seed 1, 3 repetitions, 300 s per transfer.
  public init() {}

  /// The seed of repetition `repetition` (from 0).
  public func seed(ofRepetition repetition: Int) -> UInt64 {
    seed &+ UInt64(repetition)
  }
}
