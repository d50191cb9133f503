import Testing
import UsnetSockets
import UsnetStack
import UsnetWire

/// 10.0.0.2/24 via 10.0.0.1.
private func identity() throws -> SocketsConfiguration.StaticIPv4 {
  try #require(
    SocketsConfiguration.StaticIPv4(
      address: IPv4Address(10, 0, 0, 2), prefixLength: 24, gateway: IPv4Address(10, 0, 0, 1)))
}

/// One device of every kind and shape.
private func devices() throws -> [SocketsConfiguration.Device] {
  let mac = MACAddress(0x02, 0, 0, 0, 0, 0x0A)
  return [
    .macVtap(.create(mac: .passthru, parent: .discoverFromRoute, ipv4: .passthru)),
    .macVtap(.create(mac: .random, parent: .name("eth0"), ipv4: .static(try identity()))),
    .macVtap(.interface(name: "mymacvtap", ipv4: .passthru)),
    .tap(.create(mac: .static(mac), ipv4: try identity(), hostIP: IPv4Address(10, 0, 0, 1))),
    .tap(.interface(name: "tap0", mac: .random, ipv4: try identity())),
    .raw(RawConfig()),
    .usnetd(
      UsnetConfig(
        interface: .name("eth0"), channel: .unixDomainSocket, mac: .static(mac),
        ipv4: .static(try identity()))),
    .usnetd(
      UsnetConfig(
        interface: .discoverFromRoute, channel: .netmapPipe, mac: .passthru, ipv4: .passthru)),
    .netmap(NetmapConfig(port: .discoverFromRoute, mac: .random, ipv4: .passthru)),
    .netmap(
      NetmapConfig(
        port: .named(netmapName: "netmap:eth0{4094", parent: "eth0"), mac: .passthru,
        ipv4: .static(try identity()))),
    .simulated(SimulatedConfig(port: "a \"quoted\" port", mac: .random, ipv4: try identity())),
  ]
}

/// The model: descriptions that read back, validation of values built in code, the mapping to
/// the stack, and the conversion to `NetError`.
@Suite("Configuration: model")
struct ConfigurationModelTests {
  @Test("every device's description is USNET_SOCKETS JSON that reads back as the same device")
  func deviceRoundTrip() throws {
    for device in try devices() {
      #expect(try SocketsConfiguration.Device(json: device.description) == device)
    }
  }

  @Test("descriptions are compact JSON in the original's key order")
  func deviceDescription() throws {
    #expect(
      SocketsConfiguration.Device.macVtap(
        .create(mac: .passthru, parent: .name("eth0"), ipv4: .static(try identity()))
      ).description
        == #"{"MacVtapConfig":{"Create":{"mac":"Passthru","parent":{"Interface":"eth0"},"#
        + #""ipv4":{"Static":{"ipv4":"10.0.0.2","sub":24,"gateway":"10.0.0.1"}}}}}"#)
    #expect(SocketsConfiguration.Device.raw(RawConfig()).description == #""RawConfig""#)
  }

  @Test("the whole configuration round-trips through its environment")
  func environmentRoundTrip() throws {
    for device in try devices() where (try? device.validate()) != nil {
      let configuration = SocketsConfiguration(
        device: device, reduceMTUBy: 160, socketBacklog: 128, socketBuffer: 1 << 20,
        engineThreadCPU: 1, usesKernelTwin: false)
      let environment = configuration.environment
      #expect(try SocketsConfiguration(environment: environment, cpuCount: 2) == configuration)
    }
    let defaults = SocketsConfiguration(device: .raw(RawConfig()))
    #expect(try SocketsConfiguration(environment: defaults.environment, cpuCount: 1) == defaults)
    #expect(
      defaults.description
        == #"USNET_SOCKETS='"RawConfig"' REDUCE_MTU_BY=0 SOCKET_BACKLOG=32 SOCKET_BUFFER=500000"#
        + " BG_THREAD_PIN_CPU_ID=-1 USNET_KERNEL_TWIN=on")
  }

  @Test("validation catches values built in code that the parser would not accept")
  func validateBuiltInCode() throws {
    let multicast = MACAddress(0x01, 0, 0x5E, 0, 0, 1)
    let cases: [(SocketsConfiguration.Device, String)] = [
      (
        .tap(.interface(name: "tap0", mac: .passthru, ipv4: try identity())),
        #"TapConfig.Interface.mac: "Passthru" is not accepted; expected "Random" or"#
          + #" {"Static": "aa:bb:cc:dd:ee:ff"} (this device has no parent interface to copy"#
          + " from)"
      ),
      (
        .macVtap(.create(mac: .static(multicast), parent: .discoverFromRoute, ipv4: .passthru)),
        #"MacVtapConfig.Create.mac.Static: "01:00:5e:00:00:01" is not accepted; expected a"#
          + #" unicast, nonzero MAC address like "aa:bb:cc:dd:ee:00""#
      ),
      (
        .macVtap(.interface(name: "", ipv4: .passthru)),
        #"MacVtapConfig.Interface.interface: "" is not accepted; expected an interface name of"#
          + #" 1 to 15 bytes without "/", ":" or whitespace, not "." or "..""#
      ),
      (
        .tap(.create(mac: .random, ipv4: try identity(), hostIP: IPv4Address(10, 0, 0, 2))),
        #"TapConfig.Create.host_ip: "10.0.0.2" is not accepted; expected a unicast address"#
          + " inside 10.0.0.0/24 other than 10.0.0.2"
      ),
      (
        .simulated(
          SimulatedConfig(
            port: "p", mac: .random,
            ipv4: SocketsConfiguration.StaticIPv4(
              network: try #require(IPv4Network("10.0.0.2/24")), gateway: IPv4Address(10, 0, 1, 1))
          )),
        #"SimulatedConfig.ipv4.Static.gateway: "10.0.1.1" is not accepted; expected a unicast"#
          + " address inside 10.0.0.0/24 other than 10.0.0.2"
      ),
    ]
    for (device, message) in cases {
      let error = #expect(throws: ConfigurationError.self) { try device.validate() }
      #expect(error?.description == message)
    }
    #expect(
      SocketsConfiguration.StaticIPv4(
        address: IPv4Address(10, 0, 0, 2), prefixLength: 33, gateway: IPv4Address(10, 0, 0, 1))
        == nil)
  }

  @Test("validate() checks the knobs of a configuration built in code")
  func validateKnobs() {
    var configuration = SocketsConfiguration(device: .raw(RawConfig()), socketBacklog: 0)
    var error = #expect(throws: ConfigurationError.self) {
      try configuration.validate(cpuCount: 2)
    }
    #expect(error?.field == "SOCKET_BACKLOG")
    configuration.socketBacklog = 32
    configuration.engineThreadCPU = 2
    error = #expect(throws: ConfigurationError.self) { try configuration.validate(cpuCount: 2) }
    #expect(
      error?.description
        == "BG_THREAD_PIN_CPU_ID: 2 is not accepted; expected a CPU id from 0 to 1 (nil: no"
        + " pinning)")
    configuration.engineThreadCPU = -1
    error = #expect(throws: ConfigurationError.self) { try configuration.validate(cpuCount: 2) }
    #expect(error?.value == "-1")
  }

  @Test("the knobs adjust the stack's configuration")
  func stackMapping() throws {
    let interface = InterfaceConfiguration(
      macAddress: MACAddress(0x02, 0, 0, 0, 0, 1),
      addresses: [try #require(IPv4Network("10.0.0.2/24"))], gateway: IPv4Address(10, 0, 0, 1),
      mtu: 1500)
    let base = StackConfiguration(interface: interface)
    let configuration = SocketsConfiguration(
      device: .raw(RawConfig()), reduceMTUBy: 160, socketBacklog: 8192, socketBuffer: 123_456)
    let adjusted = try configuration.stackConfiguration(adjusting: base)
    #expect(adjusted.interface.mtu == 1340)
    #expect(adjusted.tcp.sendBufferSize == 123_456)
    #expect(adjusted.tcp.receiveBufferSize == 123_456)
    #expect(adjusted.udp.receiveQueueBytes == 123_456)
    #expect(adjusted.tcp.maximumBacklog == 8192)
    try adjusted.validate()

    let defaults = try SocketsConfiguration(device: .raw(RawConfig()))
      .stackConfiguration(adjusting: base)
    #expect(defaults.interface.mtu == 1500)
    #expect(defaults.tcp.receiveBufferSize == 500_000)
    #expect(defaults.tcp.maximumBacklog == base.tcp.maximumBacklog)
    try defaults.validate()
  }

  @Test("an MTU reduction that leaves less than 576 bytes is rejected for that link")
  func mtuTooSmall() throws {
    var interface = InterfaceConfiguration(
      macAddress: MACAddress(0x02, 0, 0, 0, 0, 1),
      addresses: [try #require(IPv4Network("10.0.0.2/24"))], mtu: 1280)
    let configuration = SocketsConfiguration(device: .raw(RawConfig()), reduceMTUBy: 705)
    var error = #expect(throws: ConfigurationError.self) {
      try configuration.stackConfiguration(adjusting: StackConfiguration(interface: interface))
    }
    #expect(
      error?.description
        == "REDUCE_MTU_BY: 705 is not accepted; expected at most 704 on a link with MTU 1280"
        + " (the IPv4 minimum MTU is 576)")
    interface.mtu = 576
    error = #expect(throws: ConfigurationError.self) {
      try SocketsConfiguration(device: .raw(RawConfig()), reduceMTUBy: 1)
        .stackConfiguration(adjusting: StackConfiguration(interface: interface))
    }
    #expect(error?.accepted == "at most 0 on a link with MTU 576 (the IPv4 minimum MTU is 576)")
  }

  @Test("a configuration error becomes NetError invalidInput with the same text")
  func netError() {
    let error = ConfigurationError(field: "SOCKET_BACKLOG", value: "0", accepted: "1 to 65535")
    let netError = NetError(error)
    #expect(netError.kind == .invalidInput)
    #expect(netError.errno == nil)
    #expect(netError.message == "SOCKET_BACKLOG: 0 is not accepted; expected 1 to 65535")
  }
}
