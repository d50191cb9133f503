/// The report of `usnet bridge-compare`: the goodput table (each repetition, the medians and
/// the ratios to kernel-to-kernel), the per-transfer details, and as Markdown a header with
/// the command, commit, date and conditions.
public enum BridgeCompareReport {
  /// The tables and notes, as printed to standard output.
  public static func text(_ comparison: BridgeComparison) -> String {
    body(comparison).joined(separator: "\n") + "\n"
  }

  /// The Markdown page: provenance, conditions, then ``text(_:)``'s tables.
  public static func markdown(
    _ comparison: BridgeComparison, provenance: GoodputTable.Provenance
  ) -> String {
    var lines = ["# Goodput through the UsnetSim TAP bridge: usnet versus the kernel", ""]
    lines += provenance.markdownLines(measurement: "comparison", countsJobs: false)
    lines.append("")
    lines += Formatting.wrap(conditions(comparison.settings))
    lines.append("")
    lines += body(comparison)
    return lines.joined(separator: "\n") + "\n"
  }

  /// How the transfers were made, in words.
  public static func conditions(_ settings: BridgeCompareSettings) -> String {
    "Three bulk TCP transfers of \(settings.bytes) bytes (\(Formatting.bytes(settings.bytes)))"
      + " per repetition, one after the other, each through a fresh real-time UsnetSim switch:"
      + " the usnet stack (default configuration: CUBIC, SACK with RACK-TLP and PRR,"
      + " timestamps"
      + (settings.usnetBufferSize.map { "; \($0)-byte send and receive buffers" } ?? "")
      + ") on one port, kernel A's TAP on a port with"
      + " \(Formatting.percent(settings.loss)) independent (Bernoulli) loss on each direction"
      + " and \(Formatting.duration(settings.rtt / 2)) of delay each way"
      + " (\(Formatting.duration(settings.rtt)) RTT), kernel B's TAP on a clean port. Kernel A"
      + " and B are Linux TCP with its defaults"
      + (settings.kernelCongestionControl.map { " but \($0) congestion control on the sender" }
        ?? "")
      + " (the Sender column names the algorithm), in network namespaces of their own, driven"
      + " by python3 sockets. kernel→kernel is A to B, kernel→usnet is A to usnet, usnet→kernel"
      + " is usnet to A: each crosses the impaired link once, with the same seed (the"
      + " repetition's) for the link's loss draws. The TAPs have no virtio-net header and"
      + " their TX offloads are off, so every frame on the link is wire-sized (at most 1514"
      + " bytes) and loss applies per frame alike. Goodput is payload bits over the"
      + " receiver's time from accepting the connection to reading the end of the stream."
  }

  private static func body(_ comparison: BridgeComparison) -> [String] {
    var lines: [String] = []
    if let failure = comparison.failure {
      lines.append("The lab could not be built: \(failure)")
      return lines
    }
    let kinds = BridgeTransferKind.allCases
    let compared = kinds.filter { $0 != .kernelToKernel }
    var header = "| Repetition | Seed |"
    var rule = "| ---: | ---: |"
    for kind in kinds {
      header += " \(kind.label) Mbit/s |"
      rule += " ---: |"
    }
    for kind in compared {
      header += " \(kind.label) ÷ kernel→kernel |"
      rule += " ---: |"
    }
    lines += [header, rule]
    for repetition in 0..<comparison.settings.repetitions {
      var row = "| \(repetition + 1) | \(comparison.settings.seed(ofRepetition: repetition)) |"
      for kind in kinds {
        row += " \(goodput(comparison.result(kind, repetition: repetition))) |"
      }
      for kind in compared {
        row += " \(ratio(comparison.ratio(kind, repetition: repetition))) |"
      }
      lines.append(row)
    }
    var median = "| **median** | |"
    for kind in kinds {
      median += " **\(comparison.medianGoodput(kind).map(Formatting.megabits) ?? "–")** |"
    }
    for kind in compared {
      median += " **\(ratio(comparison.medianRatio(kind)))** |"
    }
    lines.append(median)
    lines.append("")
    lines.append(
      "| Repetition | Transfer | Sender | Mbit/s | Time (s) | Sender retransmissions |"
        + " Sender RTOs | Lost / offered frames (impaired link) | Largest frame (B) | Result |")
    lines.append("| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for result in comparison.results {
      let time = result.duration.map { Formatting.seconds($0) } ?? "–"
      let outcome =
        result.succeeded
        ? "intact"
        : (result.failure ?? "damaged (\(result.bytesReceived) B received)")
      let retransmissions = result.senderRetransmissions.map(String.init) ?? "–"
      let timeouts = result.senderTimeouts.map(String.init) ?? "–"
      lines.append(
        "| \(result.repetition + 1) | \(result.kind.label) | \(result.congestionControl ?? "–") |"
          + " \(goodput(result)) | \(time) | \(retransmissions) | \(timeouts) |"
          + " \(result.impairedFramesLost) / \(result.impairedFramesOffered) |"
          + " \(result.largestFrameRead) | \(outcome) |")
    }
    lines.append("")
    if !comparison.offloadNotes.isEmpty {
      lines.append("TAP offloads (`ethtool -k`, kernel side):")
      for note in comparison.offloadNotes { lines.append("- \(note)") }
      lines.append("")
    }
    lines.append(
      comparison.succeeded
        ? "Every transfer completed with a matching SHA-256 of the payload."
        : "Some transfers failed or arrived damaged; their goodput is left out of the medians.")
    return lines
  }

  private static func goodput(_ result: BridgeTransferResult?) -> String {
    guard let result else { return "–" }
    guard let bitsPerSecond = result.goodputBitsPerSecond else { return "failed" }
    return Formatting.megabits(bitsPerSecond)
  }

  private static func ratio(_ value: Double?) -> String {
    value.map { Formatting.fixed($0, places: 2) + "×" } ?? "–"
  }
}
