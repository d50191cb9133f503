/// The TCP counters of a lab namespace that tell how a kernel sender fared: `RetransSegs`
/// (from `/proc/net/snmp`) and `TCPTimeouts` (from `/proc/net/netstat`). Each namespace
/// keeps its own, so the difference across one transfer is that transfer's.
struct KernelTCPCounters {
  /// Segments retransmitted.
  var retransmittedSegments = 0
  /// Retransmission timeouts.
  var timeouts = 0

  /// Reads the counters inside `namespace`, or `nil` when they cannot be read.
  static func read(in namespace: DemoNamespace) -> KernelTCPCounters? {
    guard let shown = try? namespace.run(["cat", "/proc/net/snmp", "/proc/net/netstat"]),
      shown.succeeded
    else { return nil }
    let lines = shown.standardOutput.split(separator: "\n").map {
      $0.split(separator: " ").map(String.init)
    }
    guard let retransmitted = value(lines, "Tcp:", "RetransSegs") else { return nil }
    return KernelTCPCounters(
      retransmittedSegments: retransmitted, timeouts: value(lines, "TcpExt:", "TCPTimeouts") ?? 0)
  }

  /// `after` minus `before`, field by field.
  static func - (after: KernelTCPCounters, before: KernelTCPCounters) -> KernelTCPCounters {
    KernelTCPCounters(
      retransmittedSegments: after.retransmittedSegments - before.retransmittedSegments,
      timeouts: after.timeouts - before.timeouts)
  }

  /// The value of `name` in the pair of lines (names, then values) that start with `prefix`.
  private static func value(_ lines: [[String]], _ prefix: String, _ name: String) -> Int? {
    let pair = lines.filter { $0.first == prefix }
    guard pair.count >= 2, let index = pair[0].firstIndex(of: name), index < pair[1].count
    else { return nil }
    return Int(pair[1][index])
  }
}
