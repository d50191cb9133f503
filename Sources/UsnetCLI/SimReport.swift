import UsnetSim
import UsnetStack

/// The text `usnet sim` prints for a finished transfer.
public enum SimReport {
  /// Whether the run counts as a success: every byte arrived intact.
  public static func succeeded(_ result: TransferResult) -> Bool {
    result.completed && result.payloadIntact
  }

  /// The report: outcome, goodput, times, TCP recovery counters, drops per reason and the
  /// pcap files written.
  public static func text(
    _ result: TransferResult, settings: SimSettings, pcapFiles: [String] = []
  ) -> String {
    var lines: [(String, String)] = []
    lines.append(("transfer", settings.summary))
    let outcome: String
    if !result.completed {
      outcome = "FAILED: \(result.failure ?? "incomplete")"
    } else if result.payloadIntact {
      outcome = "completed, payload intact (SHA-256 match)"
    } else {
      outcome = "completed, payload CORRUPTED (SHA-256 mismatch)"
    }
    lines.append(("result", outcome))
    lines.append(("bytes", "\(result.bytes) of \(result.requestedBytes) received"))
    lines.append(("goodput", "\(Formatting.megabits(result.goodputBitsPerSecond)) Mbit/s"))
    lines.append(
      (
        "completion",
        "\(Formatting.seconds(result.completionTime)) s virtual"
          + " (after a \(Formatting.duration(result.handshakeTime)) handshake)"
      ))
    lines.append(("wall time", "\(Formatting.seconds(result.wallTime)) s"))
    lines.append(("retransmits", "\(result.retransmissions)"))
    lines.append(("timeouts", "\(result.timeouts)"))
    lines.append(("fast retx", "\(result.fastRetransmits)"))
    let sender = result.senderCounters
    lines.append(
      (
        "recovery",
        "\(sender.tcpSACKRecoveries) SACK episodes, \(sender.tcpLossesDetectedByRACK) RACK"
          + " detections, \(sender.tcpTailLossProbes) tail probes"
          + " (\(sender.tcpTailLossProbeRepairs) repaired), \(sender.tcpDuplicateSACKsReceived)"
          + " D-SACKs, \(sender.tcpSpuriousRecoveriesUndone) recoveries and"
          + " \(sender.tcpSpuriousTimeoutsUndone) timeouts undone"
      ))
    lines.append(("sent SHA-256", result.sentDigest))
    lines.append(("recv SHA-256", result.receivedDigest))
    let links = [
      ("A->switch", result.senderLink.toSwitch),
      ("switch->B", result.receiverLink.toEndpoint),
      ("B->switch", result.receiverLink.toSwitch),
      ("switch->A", result.senderLink.toEndpoint),
    ]
    for (name, counters) in links {
      lines.append(("link " + name, linkText(counters)))
    }
    lines.append(("drops sender", stackDropText(result.senderCounters)))
    lines.append(("drops recv", stackDropText(result.receiverCounters)))
    for file in pcapFiles {
      lines.append(("pcap", file))
    }
    let width = lines.map(\.0.count).max() ?? 0
    return lines.map { label, value in
      label + String(repeating: " ", count: width - label.count + 2) + value
    }.joined(separator: "\n")
  }

  /// `offered 123, delivered 120; dropped: loss 3; events: reordered 1`.
  static func linkText(_ counters: LinkCounters) -> String {
    var text = "offered \(counters.offered), delivered \(counters.delivered)"
    let drops = [
      ("loss", counters.lost), ("queue full", counters.queueDrops),
      ("over MTU", counters.mtuDrops), ("runt", counters.runts),
    ].filter { $0.1 > 0 }
    text += "; dropped: "
    text += drops.isEmpty ? "none" : drops.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
    let events = [
      ("duplicated", counters.duplicated), ("corrupted", counters.corrupted),
      ("reordered", counters.reordered),
      ("ICMP frag-needed sent", counters.fragmentationNeededSent),
    ].filter { $0.1 > 0 }
    if !events.isEmpty {
      text += "; " + events.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
    }
    return text
  }

  /// `none` or `malformedTCP 3, tcpUnacceptable 12`.
  static func stackDropText(_ counters: StackCounters) -> String {
    let drops = counters.nonZeroDrops
    return drops.isEmpty ? "none" : drops.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
  }
}
