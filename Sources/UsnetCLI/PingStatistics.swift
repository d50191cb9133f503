/// The tally of a `usnet ping` run, in ping(8)'s terms.
public struct PingStatistics: Hashable, Sendable {
  /// The destination, as printed.
  public var destination: String
  /// Requests sent.
  public private(set) var transmitted = 0
  /// Round-trip times of the replies received.
  public private(set) var roundTrips: [Duration] = []

  /// Starts an empty tally for `destination`.
  public init(destination: String) {
    self.destination = destination
  }

  /// Replies received.
  public var received: Int { roundTrips.count }

  /// Counts a request and, when it was answered, its round-trip time.
  public mutating func record(_ roundTrip: Duration?) {
    transmitted += 1
    if let roundTrip { roundTrips.append(roundTrip) }
  }

  /// ping(8)'s closing lines: counts, loss and (with replies) min/avg/max in milliseconds.
  public var summary: String {
    let loss = transmitted == 0 ? 0 : Double(transmitted - received) / Double(transmitted)
    var lines = [
      "--- \(destination) ping statistics ---",
      "\(transmitted) packets transmitted, \(received) received, "
        + "\(Formatting.trimmed(loss * 100, places: 1))% packet loss",
    ]
    if let minimum = roundTrips.min(), let maximum = roundTrips.max() {
      let total = roundTrips.reduce(Duration.zero, +)
      let average = total / received
      lines.append(
        "rtt min/avg/max = \(Self.milliseconds(minimum))/\(Self.milliseconds(average))/"
          + "\(Self.milliseconds(maximum)) ms")
    }
    return lines.joined(separator: "\n")
  }

  /// `duration` in milliseconds with three decimals.
  static func milliseconds(_ duration: Duration) -> String {
    let (seconds, attoseconds) = duration.components
    return Formatting.fixed(Double(seconds) * 1000 + Double(attoseconds) / 1e15, places: 3)
  }
}
