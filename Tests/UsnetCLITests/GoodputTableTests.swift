import Testing
import UsnetCLI
import UsnetSim

/// The `usnet sim-table` grid and its Markdown, on a small transfer.
@Suite struct GoodputTableTests {
  @Test func theGridIsTheIssuesGrid() {
    #expect(GoodputTable.lossRates == [0, 0.001, 0.01, 0.02, 0.05, 0.10])
    #expect(GoodputTable.roundTripTimes == [.milliseconds(10), .milliseconds(50)])
  }

  @Test func smallGridRendersEveryCell() {
    let cells = GoodputTable.run(
      bytes: 100_000, seed: 1, jobs: 2, lossRates: [0, 0.01],
      roundTripTimes: [.milliseconds(10), .milliseconds(50)])
    #expect(cells.count == 4)
    #expect(cells.map(\.loss) == [0, 0, 0.01, 0.01])
    #expect(
      cells.map(\.rtt) == [
        .milliseconds(10), .milliseconds(50), .milliseconds(10), .milliseconds(50),
      ])
    #expect(cells.allSatisfy { SimReport.succeeded($0.result) })
    let provenance = GoodputTable.Provenance(
      command: "usnet sim-table --bytes 100K", commit: "`abc1234`", date: "2026-01-02",
      build: "debug", wallTime: .seconds(1), jobs: 2)
    let text = GoodputTable.markdown(cells, bytes: 100_000, seed: 1, provenance: provenance)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(lines.contains("- Command: `usnet sim-table --bytes 100K`"))
    #expect(lines.contains("- Commit: `abc1234`"))
    #expect(lines.contains("- Date: 2026-01-02"))
    let header =
      "| Loss | 10ms Mbit/s | 10ms time (s) | 10ms retransmissions | 50ms Mbit/s"
      + " | 50ms time (s) | 50ms retransmissions |"
    #expect(lines.contains(header), "\(text)")
    let rows = lines.filter { $0.hasPrefix("| 0 % |") || $0.hasPrefix("| 1 % |") }
    #expect(rows.count == 2, "\(text)")
    #expect(rows.allSatisfy { $0.split(separator: "|").count == 7 })
    #expect(lines.contains("Every transfer completed with a matching SHA-256 of the payload."))
    #expect(lines.allSatisfy { $0.count <= 100 || $0.hasPrefix("|") })
  }

  @Test func theSameSeedGivesTheSameCells() {
    let first = GoodputTable.run(
      bytes: 50_000, seed: 5, jobs: 2, lossRates: [0.02], roundTripTimes: [.milliseconds(10)])
    let second = GoodputTable.run(
      bytes: 50_000, seed: 5, jobs: 1, lossRates: [0.02], roundTripTimes: [.milliseconds(10)])
    #expect(first.map(\.result.completionTime) == second.map(\.result.completionTime))
    #expect(first.map(\.result.retransmissions) == second.map(\.result.retransmissions))
  }
}
