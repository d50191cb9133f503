import Testing
import UsnetSockets
import UsnetStack

/// A valid device for tests about the knobs.
private let raw = #""RawConfig""#

/// The message `environment` is rejected with, or nil when it is accepted.
private func rejection(_ environment: [String: String], cpuCount: Int? = 4) -> String? {
  do {
    _ = try SocketsConfiguration(environment: environment, cpuCount: cpuCount)
    return nil
  } catch {
    return error.description
  }
}

/// Reading the environment: `USNET_SOCKETS` and the four knobs.
@Suite("Configuration: environment")
struct ConfigurationEnvironmentTests {
  @Test("unset knobs take the original's defaults")
  func defaults() throws {
    let configuration = try SocketsConfiguration(
      environment: ["USNET_SOCKETS": raw, "UNRELATED": "x"], cpuCount: 4)
    #expect(configuration.device == .raw(RawConfig()))
    #expect(configuration.reduceMTUBy == 0)
    #expect(configuration.socketBacklog == 32)
    #expect(configuration.socketBuffer == 500_000)
    #expect(configuration.engineThreadCPU == nil)
    #expect(configuration.usesKernelTwin)
    #expect(configuration == SocketsConfiguration(device: .raw(RawConfig())))
  }

  @Test("knobs are read as decimal integers")
  func knobs() throws {
    let configuration = try SocketsConfiguration(
      environment: [
        "USNET_SOCKETS": raw, "REDUCE_MTU_BY": "160", "SOCKET_BACKLOG": "1024",
        "SOCKET_BUFFER": "65536", "BG_THREAD_PIN_CPU_ID": "3", "USNET_KERNEL_TWIN": "off",
      ], cpuCount: 4)
    #expect(configuration.reduceMTUBy == 160)
    #expect(configuration.socketBacklog == 1024)
    #expect(configuration.socketBuffer == 65536)
    #expect(configuration.engineThreadCPU == 3)
    #expect(!configuration.usesKernelTwin)
    #expect(
      configuration.runtimeOptions == RuntimeOptions(usesKernelTwin: false, engineThreadCPU: 3))
  }

  @Test("BG_THREAD_PIN_CPU_ID=-1 means no pinning")
  func noPinning() throws {
    let configuration = try SocketsConfiguration(
      environment: ["USNET_SOCKETS": raw, "BG_THREAD_PIN_CPU_ID": "-1"], cpuCount: 4)
    #expect(configuration.engineThreadCPU == nil)
  }

  @Test("a missing USNET_SOCKETS is a clear error, not a default")
  func missingDevice() {
    let expected =
      "USNET_SOCKETS: (not set) is not accepted; expected a device in JSON, like"
      + #" {"TapConfig":{"Interface":{"interface":"tap0","mac":"Random","ipv4":{"Static":"#
      + #"{"ipv4":"10.0.0.2","sub":24,"gateway":"10.0.0.1"}}}}} (there is no default device"#
      + " yet)"
    #expect(rejection([:]) == expected)
    #expect(rejection(["SOCKET_BACKLOG": "8"]) == expected)
  }

  @Test(
    "knobs out of range or not integers are rejected with the range",
    arguments: [
      (
        "REDUCE_MTU_BY", "925",
        "REDUCE_MTU_BY: 925 is not accepted; expected an integer from 0 to 924"
      ),
      (
        "REDUCE_MTU_BY", "-1",
        "REDUCE_MTU_BY: -1 is not accepted; expected an integer from 0 to 924"
      ),
      (
        "REDUCE_MTU_BY", "16O",
        #"REDUCE_MTU_BY: "16O" is not accepted; expected an integer from 0 to 924"#
      ),
      (
        "SOCKET_BACKLOG", "0",
        "SOCKET_BACKLOG: 0 is not accepted; expected an integer from 1 to 65535"
      ),
      (
        "SOCKET_BACKLOG", "65536",
        "SOCKET_BACKLOG: 65536 is not accepted; expected an integer from 1 to 65535"
      ),
      (
        "SOCKET_BACKLOG", " 32",
        #"SOCKET_BACKLOG: " 32" is not accepted; expected an integer from 1 to 65535"#
      ),
      (
        "SOCKET_BACKLOG", "+32",
        #"SOCKET_BACKLOG: "+32" is not accepted; expected an integer from 1 to 65535"#
      ),
      (
        "SOCKET_BACKLOG", "",
        #"SOCKET_BACKLOG: "" is not accepted; expected an integer from 1 to 65535"#
      ),
      (
        "SOCKET_BUFFER", "4095",
        "SOCKET_BUFFER: 4095 is not accepted; expected an integer from 4096 to 1073741824"
      ),
      (
        "SOCKET_BUFFER", "1073741825",
        "SOCKET_BUFFER: 1073741825 is not accepted; expected an integer from 4096 to 1073741824"
      ),
      (
        "SOCKET_BUFFER", "99999999999999999999",
        #"SOCKET_BUFFER: "99999999999999999999" is not accepted; expected an integer from 4096"#
          + " to 1073741824"
      ),
      (
        "SOCKET_BUFFER", "500k",
        #"SOCKET_BUFFER: "500k" is not accepted; expected an integer from 4096 to 1073741824"#
      ),
      (
        "BG_THREAD_PIN_CPU_ID", "4",
        "BG_THREAD_PIN_CPU_ID: 4 is not accepted; expected -1 (no pinning) or a CPU id from 0"
          + " to 3"
      ),
      (
        "BG_THREAD_PIN_CPU_ID", "-2",
        "BG_THREAD_PIN_CPU_ID: -2 is not accepted; expected -1 (no pinning) or a CPU id from 0"
          + " to 3"
      ),
      (
        "USNET_KERNEL_TWIN", "false",
        #"USNET_KERNEL_TWIN: "false" is not accepted; expected on or off"#
      ),
      (
        "BG_THREAD_PIN_CPU_ID", "zero",
        #"BG_THREAD_PIN_CPU_ID: "zero" is not accepted; expected -1 (no pinning) or a CPU id"#
          + " from 0 to 3"
      ),
    ])
  func knobRange(variable: String, value: String, message: String) {
    #expect(rejection(["USNET_SOCKETS": raw, variable: value]) == message)
  }

  @Test("without a known CPU count, any CPU id of 0 or more is accepted")
  func unknownCPUCount() throws {
    let environment = ["USNET_SOCKETS": raw, "BG_THREAD_PIN_CPU_ID": "4095"]
    let configuration = try SocketsConfiguration(environment: environment, cpuCount: nil)
    #expect(configuration.engineThreadCPU == 4095)
    #expect(
      rejection(["USNET_SOCKETS": raw, "BG_THREAD_PIN_CPU_ID": "-5"], cpuCount: nil)
        == "BG_THREAD_PIN_CPU_ID: -5 is not accepted; expected -1 (no pinning) or a CPU id of 0"
        + " or more")
  }

  @Test("the machine's CPU count is known on Linux and bounds the default check")
  func machineCPUCount() throws {
    let count = try #require(SocketsConfiguration.machineCPUCount)
    #expect(count >= 1)
    let environment = ["USNET_SOCKETS": raw, "BG_THREAD_PIN_CPU_ID": String(count)]
    #expect(throws: ConfigurationError.self) {
      try SocketsConfiguration(environment: environment)
    }
  }

  @Test("a device attached through an API takes the knobs and ignores USNET_SOCKETS")
  func apiDevice() throws {
    let configuration = try SocketsConfiguration(
      device: .raw(RawConfig()),
      environment: ["USNET_SOCKETS": "not even JSON", "SOCKET_BACKLOG": "7"], cpuCount: 4)
    #expect(configuration.socketBacklog == 7)
    #expect(throws: ConfigurationError.self) {
      try SocketsConfiguration(
        device: .raw(RawConfig()), environment: ["SOCKET_BACKLOG": "0"], cpuCount: 4)
    }
  }

  @Test("a device error comes before the knobs are read")
  func deviceFirst() {
    #expect(
      rejection(["USNET_SOCKETS": "{}", "SOCKET_BACKLOG": "0"])?.hasPrefix("USNET_SOCKETS: {}")
        == true)
  }
}
