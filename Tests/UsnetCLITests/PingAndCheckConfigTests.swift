import Testing
import UsnetCLI
import UsnetDevice
import UsnetSockets
import UsnetStack
import UsnetWire

@Suite("usnet ping and check-config")
struct PingAndCheckConfigTests {
  private static func configuration(mac: UInt8, ip: IPv4Address) -> StackConfiguration {
    StackConfiguration(
      interface: InterfaceConfiguration(
        macAddress: MACAddress(0x02, 0, 0, 0, 0, mac),
        addresses: [IPv4Network(address: ip, prefixLength: 24)].compactMap { $0 }))
  }

  @Test("a ping run prints a line per reply and ping(8)'s summary")
  func pingRun() throws {
    let devices = MemoryDevicePair()
    defer { devices.disconnect() }
    let a = try UserspaceRuntime(
      configuration: Self.configuration(mac: 1, ip: IPv4Address(198, 18, 0, 1)),
      device: devices.a)
    let b = try UserspaceRuntime(
      configuration: Self.configuration(mac: 2, ip: IPv4Address(198, 18, 0, 2)),
      device: devices.b)
    defer {
      a.shutdown()
      b.shutdown()
    }
    var lines: [String] = []
    let statistics = PingRun(
      destination: IPv4Address(198, 18, 0, 2), count: 3, interval: .milliseconds(10),
      payloadSize: 56, timeout: .seconds(1)
    ).perform(on: a) { lines.append($0) }
    #expect(lines.first == "PING 198.18.0.2 56 data bytes (through the usnet stack)")
    #expect(lines.count == 4)
    #expect(lines[1].hasPrefix("64 bytes from 198.18.0.2: icmp_seq=1 ttl=64 time="))
    #expect(statistics.transmitted == 3 && statistics.received == 3)
    #expect(statistics.summary.contains("3 packets transmitted, 3 received, 0% packet loss"))

    var silent: [String] = []
    let lost = PingRun(
      destination: IPv4Address(198, 18, 0, 77), count: 1, interval: .zero, payloadSize: 0,
      timeout: .milliseconds(100)
    ).perform(on: a) { silent.append($0) }
    #expect(lost.received == 0)
    #expect(silent.last?.hasPrefix("icmp_seq=1: ") == true)
    #expect(lost.summary.contains("1 packets transmitted, 0 received, 100% packet loss"))
    #expect(!lost.summary.contains("rtt"))
  }

  @Test("the statistics summary has min/avg/max in milliseconds")
  func statisticsSummary() {
    var statistics = PingStatistics(destination: "198.18.0.9")
    statistics.record(.microseconds(500))
    statistics.record(nil)
    statistics.record(.microseconds(1500))
    #expect(
      statistics.summary == """
        --- 198.18.0.9 ping statistics ---
        3 packets transmitted, 2 received, 33.3% packet loss
        rtt min/avg/max = 0.500/1.000/1.500 ms
        """)
  }

  @Test("check-config prints the configuration, the link facts and the knobs' effect")
  func checkConfigReport() throws {
    let configuration = try SocketsConfiguration(
      environment: [
        "USNET_SOCKETS":
          #"{"TapConfig":{"Interface":{"interface":"lo","mac":"Random","ipv4":{"Static":"#
          + #"{"ipv4":"198.18.7.2","sub":24,"gateway":"198.18.7.1"}}}}}"#,
        "REDUCE_MTU_BY": "36",
      ], cpuCount: 2)
    let link = try configuration.inspectLink()
    let text = CheckConfigReport.text(configuration, link: link)
    #expect(text.contains("link: TAP \"lo\""))
    #expect(text.contains("  lo: index 1, MTU 65536, MAC 00:00:00:00:00:00, up"))
    #expect(text.contains("  stack MTU: 65500 (link 65536 - REDUCE_MTU_BY 36)"))
    #expect(text.contains("  kernel address: 127.0.0.1/8"))
    #expect(text.hasSuffix("kernel loopback twin: on; engine thread CPU: not pinned"))
  }
}
