import Foundation
import Testing
import UsnetCLI
import UsnetSim
import UsnetSockets
import UsnetWire

@Suite("usnet serve", .serialized)
struct ServeCommandTests {
  @Test("arguments: one flag per service, ports checked, at least one, none twice")
  func arguments() throws {
    let settings = try ServeArguments.parse(["--echo", "7", "--http", "8080"]).settings()
    #expect(settings.echo == 7)
    #expect(settings.http == 8080)
    #expect(settings.tcpServices.map { $0.service.name } == ["echo", "http"])
    #expect(throws: (any Error).self) { try ServeArguments.parse([]) }
    #expect(throws: (any Error).self) { try ServeArguments.parse(["--sink", "0"]) }
    #expect(throws: (any Error).self) {
      try ServeArguments.parse(["--sink", "9", "--discard", "9"])
    }
    let all = try ServeArguments.parse([
      "--echo", "7", "--discard", "9", "--sink", "5001", "--source", "5002", "--daytime", "13",
      "--http", "80",
    ]).settings()
    #expect(all.tcpServices.count == 6)
  }

  @Test("without USNET_SOCKETS the error says what is missing")
  func noStack() throws {
    try #require(UserspaceRuntime.current == nil)
    #expect {
      _ = try ServeStack.prepare(environment: [:])
    } throws: { error in
      "\(error)".contains("USNET_SOCKETS") && "\(error)".contains("not set")
    }
    #expect {
      _ = try ServeStack.prepare(environment: [
        "USNET_SOCKETS":
          #"{"UsnetConfig":{"Interface":{"interface":"DiscoverFromRoute","#
          + #""ipc":"UnixDomainSocket","mac":"Passthru","ipv4":"Passthru"}}}"#
      ])
    } throws: { error in
      (error as? NetError)?.kind == .unsupported && "\(error)".contains("UsnetConfig")
    }
  }

  @Test("serves on a stack configured by USNET_SOCKETS (a registered simulated port)")
  func servesFromEnvironment() throws {
    let network = RealTimeSwitch(seed: 11, portCount: 2)
    defer { network.shutdown() }
    try network.register(port: 0, as: "serve-test")
    let environment = [
      "USNET_SOCKETS": #"{"SimulatedConfig":{"port":"serve-test","mac":"Random","#
        + #""ipv4":{"Static":{"ipv4":"198.18.0.1","sub":24,"gateway":"198.18.0.254"}}}}"#,
      "USNET_KERNEL_TWIN": "off",
    ]
    let description = try ServeStack.prepare(environment: environment)
    defer {
      UserspaceRuntime.current?.shutdown()
      UserspaceRuntime.setDefault(nil)
    }
    #expect(description.contains("198.18.0.1/24"))
    var settings = ServeSettings()
    settings.sink = 5001
    settings.http = 8080
    let threads = try ServeCommand.start(settings) { _ in }
    #expect(threads.count == 2)
    let client = try UserspaceRuntime(
      configuration: ServicePair.configuration(2), device: network.ports[1])
    defer { client.shutdown() }
    let stream = try UserspaceTCPStream.connect(
      to: .v4(IPv4Address(198, 18, 0, 1), port: 8080), timeout: .seconds(5), on: client)
    try stream.setReadTimeout(.seconds(10))
    let fetch = try HTTPFetch.get("/", host: "198.18.0.1", on: stream)
    #expect(fetch.head?.status == 200)
    #expect(fetch.bodyBytes == HTTPService.defaultBody.count)
    let sink = try UserspaceTCPStream.connect(
      to: .v4(IPv4Address(198, 18, 0, 1), port: 5001), timeout: .seconds(5), on: client)
    try sink.setReadTimeout(.seconds(10))
    try sink.writeAll(testPattern(10_000))
    try sink.shutdown(.write)
    #expect(String(decoding: try readToEnd(sink), as: UTF8.self) == "10000\n")
  }
}
