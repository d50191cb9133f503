import Foundation
import Testing
import UsnetCLI
import UsnetPcap
import UsnetSim
import UsnetStack
import UsnetTestSupport

/// Pcap recording of simulator runs: one file per port and direction, virtual timestamps,
/// byte-identical for the same seed.
@Suite struct PcapFrameCaptureTests {
  /// A short lossy transfer (200 kB, 10 ms RTT, 2 % loss, some reordering) with `seed`.
  static func settings(seed: UInt64, pcap: String) -> SimSettings {
    var settings = SimSettings()
    settings.bytes = 200_000
    settings.rtt = .milliseconds(10)
    settings.loss = .bernoulli(0.02)
    settings.reorder = 0.01
    settings.seed = seed
    settings.pcap = pcap
    return settings
  }

  /// Runs the short transfer with `seed` into `directory/name.pcap`; returns the files.
  static func record(
    seed: UInt64, in scratch: ScratchDirectory, name: String
  ) throws
    -> [String]
  {
    let run = SimExecution.perform(settings(seed: seed, pcap: scratch.path("\(name).pcap")))
    #expect(run.succeeded, "\(run.report)")
    #expect(run.pcapErrors.isEmpty)
    return run.pcapFiles
  }

  @Test func onePcapPerPortAndDirection() throws {
    let scratch = try ScratchDirectory()
    let files = try Self.record(seed: 7, in: scratch, name: "out")
    #expect(
      files == [
        scratch.path("out-port0-to-switch.pcap"), scratch.path("out-port0-to-endpoint.pcap"),
        scratch.path("out-port1-to-switch.pcap"), scratch.path("out-port1-to-endpoint.pcap"),
      ])
    for file in files {
      let reader = try PcapReader(path: file)
      #expect(reader.linkType == .ethernet)
      #expect(try reader.readAll().count > 10, "\(file)")
    }
  }

  @Test func sameSeedGivesByteIdenticalFiles() throws {
    let scratch = try ScratchDirectory()
    let first = try Self.record(seed: 7, in: scratch, name: "first")
    let second = try Self.record(seed: 7, in: scratch, name: "second")
    try #require(first.count == 4 && second.count == 4)
    for (a, b) in zip(first, second) {
      let bytesA = try fileBytes(a)
      let bytesB = try fileBytes(b)
      #expect(bytesA.count > 1000)
      #expect(bytesA == bytesB, "\(a) and \(b) differ")
    }
  }

  @Test func differentSeedGivesDifferentFiles() throws {
    let scratch = try ScratchDirectory()
    let seven = try Self.record(seed: 7, in: scratch, name: "seven")
    let eight = try Self.record(seed: 8, in: scratch, name: "eight")
    try #require(seven.count == 4 && eight.count == 4)
    for (a, b) in zip(seven, eight) {
      #expect(try fileBytes(a) != fileBytes(b), "\(a) and \(b) are identical")
    }
  }

  @Test func timestampsAreTheVirtualTimes() throws {
    let scratch = try ScratchDirectory()
    let memory = InMemoryCapture()
    let pcap = PcapFrameCapture(basePath: scratch.path("t.pcap"))
    var scenario = Self.settings(seed: 3, pcap: "").scenario(captures: [memory, pcap])
    scenario.bytes = 50_000
    let result = scenario.run()
    #expect(result.completed)
    #expect(pcap.close() == [])
    for port in 0..<2 {
      for direction in PortDirection.allCases {
        let expected = memory.frames.filter { $0.port == port && $0.direction == direction }
        let records = try PcapReader(path: pcap.path(port: port, direction: direction)).readAll()
        #expect(records.map(\.timestampNanoseconds) == expected.map(\.time.nanoseconds))
        #expect(records.map(\.bytes) == expected.map(\.bytes))
      }
    }
    #expect(pcap.framesWritten == memory.frames.count)
  }

  @Test func fileNames() {
    #expect(
      PcapFrameCapture.path(base: "out.pcap", port: 0, direction: .toSwitch)
        == "out-port0-to-switch.pcap")
    #expect(
      PcapFrameCapture.path(base: "dir/trace", port: 12, direction: .toEndpoint)
        == "dir/trace-port12-to-endpoint.pcap")
  }

  @Test func writeErrorsAreKeptNotFatal() throws {
    let scratch = try ScratchDirectory()
    let missing = scratch.path("no/such/dir/out.pcap")
    let run = SimExecution.perform(Self.settings(seed: 7, pcap: missing))
    #expect(SimReport.succeeded(run.result), "the transfer itself still runs")
    #expect(!run.succeeded)
    #expect(run.pcapFiles == [])
    #expect(run.pcapErrors.count == 4, "one error per port and direction, then silence")
    #expect(run.pcapErrors.allSatisfy { $0.path.hasPrefix(scratch.path("no/such/dir/out-")) })
  }

  @Test func closeIsFinal() throws {
    let scratch = try ScratchDirectory()
    let pcap = PcapFrameCapture(basePath: scratch.path("c.pcap"))
    pcap.capture(
      frame: [UInt8](repeating: 0xff, count: 60), range: 0..<60, port: 0,
      direction: .toSwitch, at: .milliseconds(1))
    #expect(pcap.close() == [])
    pcap.capture(
      frame: [UInt8](repeating: 0xff, count: 60), range: 0..<60, port: 0,
      direction: .toSwitch, at: .milliseconds(2))
    #expect(pcap.close() == [])
    let records = try PcapReader(path: pcap.path(port: 0, direction: .toSwitch)).readAll()
    #expect(records.map(\.timestampNanoseconds) == [1_000_000])
  }
}

/// tshark opens the simulator's pcap files without a warning and dissects every frame.
///
/// Skipped, with the reason in the test report, when tshark is not installed.
@Suite(
  .enabled(
    if: Tshark.path != nil,
    "tshark is not on PATH, so the tshark check is skipped (install it: apt-get install tshark)"))
struct SimulatorPcapTsharkTests {
  @Test func tsharkReadsEveryFileCleanly() throws {
    let scratch = try ScratchDirectory()
    let files = try PcapFrameCaptureTests.record(seed: 7, in: scratch, name: "sim")
    try #require(files.count == 4)
    for file in files {
      let run = try runTshark(["-r", file, "-T", "fields", "-e", "frame.protocols"], scratch)
      #expect(run.status == 0, "tshark failed on \(file): \(run.standardError)")
      let complaints = run.standardError.split(separator: "\n").filter {
        !$0.hasPrefix("Running as user \"root\"")
      }
      #expect(complaints.isEmpty, "tshark wrote to stderr for \(file): \(run.standardError)")
      let lines = run.standardOutput.split(separator: "\n")
      let frames = try PcapReader(path: file).readAll().count
      #expect(lines.count == frames)
      let tcp = lines.filter { $0.hasPrefix("eth:ethertype:ip:tcp") }
      #expect(tcp.count > frames / 2, "\(file): \(Set(lines))")
      #expect(!run.standardOutput.contains("malformed"), "\(file)")
    }
  }

  private func runTshark(
    _ arguments: [String], _ scratch: ScratchDirectory
  ) throws
    -> Tshark.Run
  {
    try Tshark.run(arguments, in: scratch)
  }
}
