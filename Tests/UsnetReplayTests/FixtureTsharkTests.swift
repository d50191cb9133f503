import Foundation
import Testing
import UsnetTestSupport

/// Wireshark's dissectors read every capture in Fixtures/pcaps without an error or a warning
/// (the demo's pcaps are checked in UsnetCLITests), and every capture has a replay test.
@Suite("Fixture captures")
struct FixtureTsharkTests {
  static var files: [String] {
    let names =
      (try? FileManager.default.contentsOfDirectory(atPath: FixtureReplay.directory.path)) ?? []
    return names.filter { $0.hasSuffix(".pcap") }.sorted()
  }

  @Test("every capture has a replay test")
  func everyCaptureIsReplayed() {
    #expect(Self.files.map { String($0.dropLast(5)) } == FixtureReplayTests.fixtures.sorted())
  }

  @Test("tshark reads every capture without errors or warnings")
  func tsharkReadsEveryCapture() throws {
    guard Tshark.path != nil else {
      print("skipped: tshark is not on PATH")
      return
    }
    let scratch = try ScratchDirectory()
    for file in Self.files {
      let path = FixtureReplay.directory.appendingPathComponent(file).path
      let run = try Tshark.run(["-r", path, "-z", "expert,warn"], in: scratch)
      #expect(run.status == 0, "\(file)")
      #expect(run.complaints.isEmpty, "\(file): \(run.standardError)")
      let expert = run.standardOutput.split(separator: "\n").filter {
        $0.contains("Warning") || $0.contains("Error")
      }
      #expect(expert.isEmpty, "\(file): \(expert)")
    }
  }
}
