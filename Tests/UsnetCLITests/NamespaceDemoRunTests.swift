import Foundation
import Testing
import UsnetCLI
import UsnetPcap
import UsnetSim
import UsnetTestSupport

#if canImport(Glibc)
  import Glibc
#endif

@Suite("usnet demo --netns", .serialized)
struct NamespaceDemoRunTests {
  /// Why the kernel-curl run cannot happen here, or nil when it can.
  static var skipReason: String? {
    if geteuid() != 0 { return "usnet demo --netns needs root" }
    if ProgramRun.find("ip") == nil { return "ip (iproute2) is not installed" }
    if ProgramRun.find("curl") == nil { return "curl is not installed" }
    return nil
  }

  @Test("the kernel's curl fetches the page from the stack on a TAP; the namespace goes")
  func kernelCurlFetchesThePage() throws {
    if let reason = Self.skipReason {
      print("skipped: \(reason)")
      return
    }
    let scratch = try ScratchDirectory()
    var settings = DemoSettings()
    settings.usesNamespace = true
    settings.bytes = 300_000
    settings.pcap = scratch.path("netns.pcap")
    settings.timeLimit = .seconds(20)
    let result = NamespaceDemoRun.perform(settings)
    let report = DemoReport.text(result)
    #expect(result.succeeded, "\(report)")
    let fetch = try #require(result.fetch)
    var hash = SHA256()
    hash.update(DemoPage.body(bytes: 300_000))
    #expect(fetch.bodyDigest == hash.hexDigest())
    #expect(result.server?.bytesSent == fetch.responseBytes)
    #expect(result.server?.bytesReceived == fetch.requestBytes)
    let counters = try #require(result.serverCounters)
    #expect(counters.tcpSegmentsSent >= 300_000 / 65_535)
    #expect(result.elapsed > .zero && result.goodputBitsPerSecond > 0)
    #expect(report.contains("OK: 200, 300000 body bytes, SHA-256 match"))
    #expect(report.contains("server TCP"))
    // The namespace is gone and the recording is complete.
    let listed = try ProgramRun.run(try #require(ProgramRun.find("ip")), ["netns", "list"])
    #expect(!listed.standardOutput.contains("usnet-demo-\(getpid())-"))
    let records = try PcapReader(path: settings.pcap).readAll()
    #expect(records.count == result.pcapFrames && records.count > 10)
    guard Tshark.path != nil else {
      print("skipped the tshark check: tshark is not on PATH")
      return
    }
    let run = try Tshark.run(
      [
        "-r", settings.pcap, "-Y", "http.response.code == 200", "-T", "fields", "-e",
        "tcp.srcport",
      ],
      in: scratch)
    #expect(run.status == 0)
    #expect(run.complaints.isEmpty, "\(run.standardError)")
    #expect(run.standardOutput.split(separator: "\n") == ["80"])
  }
}
