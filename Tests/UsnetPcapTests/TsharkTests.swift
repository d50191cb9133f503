import Foundation
import Testing
import UsnetPcap
import UsnetTestSupport

/// Interoperability with Wireshark's dissector: the files we write open in tshark cleanly.
///
/// Skipped, with the reason in the test report, when tshark is not installed
/// (`apt-get install tshark`; `.ci/run` installs it).
@Suite(
  .enabled(
    if: Tshark.path != nil,
    "tshark is not on PATH, so the tshark check is skipped (install it: apt-get install tshark)"))
struct TsharkTests {
  private func tshark(_ arguments: [String], scratch: ScratchDirectory) throws -> Tshark.Run {
    try Tshark.run(arguments, in: scratch)
  }

  private func writeSample(_ scratch: ScratchDirectory) throws -> String {
    let path = scratch.path("sample.pcap")
    let writer = try PcapWriter(path: path, linkType: .ethernet)
    for (frame, nanoseconds) in SampleFrames.timed {
      try writer.write(frame, timestampNanoseconds: nanoseconds)
    }
    try writer.close()
    return path
  }

  @Test func tsharkReadsTheFileWithoutWarnings() throws {
    let scratch = try ScratchDirectory()
    let path = try writeSample(scratch)
    let run = try tshark(["-r", path], scratch: scratch)
    #expect(run.status == 0, "tshark failed: \(run.standardError)")
    #expect(run.complaints == [], "tshark wrote to stderr")
    #expect(!run.standardError.lowercased().contains("warning"))
    let lines = run.standardOutput.split(separator: "\n")
    #expect(lines.count == SampleFrames.timed.count, "\(run.standardOutput)")
    #expect(lines.allSatisfy { $0.contains("ARP") }, "\(run.standardOutput)")
    #expect(!run.standardOutput.contains("Malformed"))
  }

  @Test func tsharkSeesTheNanosecondTimestampsAndLengths() throws {
    let scratch = try ScratchDirectory()
    let path = try writeSample(scratch)
    let fields = ["-e", "frame.time_epoch", "-e", "frame.len", "-e", "frame.cap_len"]
    let run = try tshark(
      ["-r", path, "-T", "fields", "-E", "separator=,"] + fields, scratch: scratch)
    #expect(run.status == 0, "tshark failed: \(run.standardError)")
    #expect(run.complaints == [], "tshark wrote to stderr")
    let expected = SampleFrames.timed.map { frame, nanoseconds in
      let seconds = nanoseconds / 1_000_000_000
      let fraction = String(nanoseconds % 1_000_000_000)
      let padded = String(repeating: "0", count: 9 - fraction.count) + fraction
      return "\(seconds).\(padded),\(frame.count),\(frame.count)"
    }
    #expect(run.standardOutput.split(separator: "\n").map(String.init) == expected)
  }
}
