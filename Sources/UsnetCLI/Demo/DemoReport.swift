import UsnetSockets
import UsnetStack

/// The text `usnet demo` prints: what was fetched, whether it arrived intact, bytes each way,
/// elapsed time and goodput, the stacks' segments and retransmissions, the links' frame fates
/// (simulated path) and the pcap file.
public enum DemoReport {
  /// The report for `result`, one `label  value` pair per line.
  public static func text(_ result: DemoResult) -> String {
    let settings = result.settings
    var lines: [(String, String)] = []
    let url = settings.usesNamespace ? NamespaceDemoRun.url : DemoRun.url
    lines.append(
      (
        "demo",
        settings.usesNamespace
          ? "HTTP/1.0 GET \(url) by the kernel's curl, from a usnet stack on a TAP"
          : "HTTP/1.0 GET \(url) from \(DemoRun.clientAddress), two usnet stacks on a"
            + " real-time UsnetSim switch"
      ))
    lines.append(("path", settings.summary))
    lines.append(("server", "USNET_SOCKETS='\(result.serverDevice)'"))
    lines.append(
      (
        "client",
        settings.usesNamespace ? result.clientDevice : "USNET_SOCKETS='\(result.clientDevice)'"
      ))
    let problems = result.problems
    lines.append(
      (
        "result",
        problems.isEmpty
          ? "OK: 200, \(settings.bytes) body bytes, SHA-256 match"
          : "FAILED: " + problems.joined(separator: "; ")
      ))
    if let fetch = result.fetch {
      lines.append(("client->server", "\(fetch.requestBytes) bytes (the request)"))
      lines.append(
        (
          "server->client",
          "\(fetch.responseBytes) bytes (\(fetch.headBytes) head + \(fetch.bodyBytes) body)"
        ))
      lines.append(
        (
          "elapsed",
          "\(Formatting.seconds(result.elapsed)) s wall, connect to last byte"
            + " (handshake \(Formatting.duration(result.handshake)))"
        ))
      lines.append(
        ("goodput", "\(Formatting.megabits(result.goodputBitsPerSecond)) Mbit/s of body"))
    }
    lines.append(("server TCP", tcpText(result.serverCounters)))
    if settings.usesNamespace {
      lines.append(("body SHA-256", result.fetch?.bodyDigest ?? "-"))
      lines.append(
        ("pcap", "\(settings.pcap) (\(result.pcapFrames) frames: the stack's TAP, both directions)")
      )
    } else {
      lines += simulatedPathLines(result)
    }
    let width = lines.map(\.0.count).max() ?? 0
    return lines.map { label, value in
      label + String(repeating: " ", count: width - label.count + 2) + value
    }.joined(separator: "\n")
  }

  /// The client's counters, the links, the queue drops, the digest and the pcap of a run on
  /// the simulated switch.
  private static func simulatedPathLines(_ result: DemoResult) -> [(String, String)] {
    var lines: [(String, String)] = []
    lines.append(("client TCP", tcpText(result.clientCounters)))
    lines.append(("link server->switch", SimReport.linkText(result.serverPort.toSwitch)))
    lines.append(("link switch->client", SimReport.linkText(result.clientPort.toEndpoint)))
    lines.append(("link client->switch", SimReport.linkText(result.clientPort.toSwitch)))
    lines.append(("link switch->server", SimReport.linkText(result.serverPort.toEndpoint)))
    let queueDrops =
      result.serverPort.ingressDropped + result.serverPort.inboxDropped
      + result.clientPort.ingressDropped + result.clientPort.inboxDropped
    if queueDrops > 0 { lines.append(("device queue drops", "\(queueDrops)")) }
    lines.append(("body SHA-256", result.fetch?.bodyDigest ?? "-"))
    lines.append(
      (
        "pcap",
        "\(result.settings.pcap) (\(result.pcapFrames) frames: the client's interface, both"
          + " directions)"
      ))
    return lines
  }

  /// `sent 2900 segments, received 1500, retransmitted 31 (timeouts 1, fast 12)`, or
  /// `unavailable` without counters.
  static func tcpText(_ counters: StackCounters?) -> String {
    guard let counters else { return "unavailable (the stack had stopped)" }
    return "sent \(counters.tcpSegmentsSent) segments, received \(counters.tcpSegmentsReceived),"
      + " retransmitted \(counters.tcpRetransmissions) (timeouts \(counters.tcpTimeouts),"
      + " fast \(counters.tcpFastRetransmits))"
  }
}
