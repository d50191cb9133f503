import ArgumentParser
import Foundation
import Testing
import UsnetCLI
import UsnetPcap
import UsnetSim
import UsnetTestSupport

@Suite("usnet demo", .serialized)
struct DemoRunTests {
  /// A small demo (200 kB, 2 % loss) writing its pcap into `scratch`.
  static func settings(in scratch: ScratchDirectory) -> DemoSettings {
    var settings = DemoSettings()
    settings.bytes = 200_000
    settings.loss = .bernoulli(0.02)
    settings.seed = 3
    settings.pcap = scratch.path("demo.pcap")
    settings.timeLimit = .seconds(30)
    return settings
  }

  @Test("the page arrives intact and the report's numbers agree")
  func consistentReport() throws {
    let scratch = try ScratchDirectory()
    let result = DemoRun.perform(Self.settings(in: scratch))
    #expect(result.succeeded, "\(DemoReport.text(result))")
    let fetch = try #require(result.fetch)
    #expect(fetch.bodyBytes == 200_000)
    #expect(fetch.head?.contentLength == 200_000)
    var hash = SHA256()
    hash.update(DemoPage.body(bytes: 200_000))
    #expect(fetch.bodyDigest == hash.hexDigest())
    #expect(result.expectedDigest == fetch.bodyDigest)
    #expect(
      result.server
        == ConnectionTally(
          bytesReceived: fetch.requestBytes, bytesSent: fetch.responseBytes))
    #expect(result.elapsed > .zero && result.goodputBitsPerSecond > 0)
    let server = try #require(result.serverCounters)
    #expect(server.tcpSegmentsSent >= 200_000 / 1460)
    #expect(server.tcpRetransmissions >= server.tcpFastRetransmits)
    #expect(try #require(result.clientCounters).tcpSegmentsReceived > 0)
    // Every frame on the client's link was delivered or lost, nothing dropped silently.
    let down = result.clientPort.toEndpoint
    #expect(down.offered == down.delivered + down.lost)
    #expect(result.clientPort.inboxAccepted + result.clientPort.inboxDropped == down.delivered)
    #expect(result.serverPort.toSwitch.offered == result.serverPort.ingressAccepted)
    // The pcap holds what the client sent and what it received.
    let records = try PcapReader(path: result.settings.pcap).readAll()
    #expect(records.count == result.pcapFrames)
    #expect(
      records.count == result.clientPort.toSwitch.offered + result.clientPort.toEndpoint.delivered)
    let report = DemoReport.text(result)
    #expect(report.contains("result               OK: 200, 200000 body bytes, SHA-256 match"))
    #expect(report.contains("pcap"))
  }

  @Test("tshark reads the pcap: an HTTP 200 response on TCP port 80")
  func tsharkReadsPcap() throws {
    guard Tshark.path != nil else {
      print("skipped: tshark is not on PATH")
      return
    }
    let scratch = try ScratchDirectory()
    let result = DemoRun.perform(Self.settings(in: scratch))
    #expect(result.succeeded, "\(DemoReport.text(result))")
    let run = try Tshark.run(
      [
        "-r", result.settings.pcap, "-Y", "http.response.code == 200", "-T", "fields", "-e",
        "tcp.srcport",
      ],
      in: scratch)
    #expect(run.status == 0)
    #expect(run.complaints.isEmpty, "\(run.standardError)")
    #expect(run.standardOutput.split(separator: "\n") == ["80"])
  }

  @Test("a pcap path that cannot be written fails the run")
  func badPcapPath() throws {
    let scratch = try ScratchDirectory()
    var settings = Self.settings(in: scratch)
    settings.pcap = scratch.path("missing/demo.pcap")
    let result = DemoRun.perform(settings)
    #expect(!result.succeeded)
    #expect(result.failure?.contains("pcap") == true)
  }

  @Test("the command exits 0 on success and 1 when the run fails")
  func exitStatus() throws {
    let scratch = try ScratchDirectory()
    var command = try UsnetCommand.parseAsRoot([
      "demo", "--bytes", "50K", "--pcap", scratch.path("ok.pcap"),
    ])
    try command.run()
    command = try UsnetCommand.parseAsRoot([
      "demo", "--bytes", "50K", "--pcap", scratch.path("missing/x.pcap"),
    ])
    #expect(throws: ExitCode(1)) { try command.run() }
  }

  @Test("arguments: defaults and bad values")
  func arguments() throws {
    let defaults = try DemoArguments.parse([]).settings()
    #expect(defaults == DemoSettings())
    let custom = try DemoArguments.parse(
      ["--loss", "0", "--rtt", "20ms", "--bytes", "1M", "--seed", "9", "--pcap", "x.pcap"]
    ).settings()
    #expect(custom.loss == .none)
    #expect(custom.rtt == .milliseconds(20))
    #expect(custom.bytes == 1_000_000)
    #expect(custom.seed == 9)
    #expect(custom.pcap == "x.pcap")
    #expect(throws: (any Error).self) { try DemoArguments.parse(["--loss", "150%"]) }
    #expect(throws: (any Error).self) { try DemoArguments.parse(["--bytes", "0"]) }
    #expect(try DemoArguments.parse(["--netns"]).settings().usesNamespace)
    #expect(!defaults.usesNamespace)
  }

  @Test("the page is numbered lines cut to the exact size")
  func page() {
    #expect(DemoPage.body(bytes: 0).isEmpty)
    #expect(DemoPage.body(bytes: 10) == Array("usnet demo".utf8))
    let page = DemoPage.body(bytes: 1_000)
    #expect(page.count == 1_000)
    #expect(String(decoding: page, as: UTF8.self).hasPrefix("usnet demo page, line 0000001: "))
  }
}
