import Testing
import UsnetSockets
import UsnetStack
import UsnetWire

/// The identity the README's static examples use, with the given address.
private func readmeIPv4(_ last: UInt8) throws -> SocketsConfiguration.IPv4Choice {
  let identity = try #require(
    SocketsConfiguration.StaticIPv4(
      address: IPv4Address(192, 168, 1, last), prefixLength: 24,
      gateway: IPv4Address(192, 168, 1, 1)))
  return .static(identity)
}

/// Every `USNET_SOCKETS` example of the original README, read into the model.
@Suite("Configuration: the original README's examples")
struct ConfigurationExamplesTests {
  @Test("macvtap passthru on eth0")
  func macVtapPassthru() throws {
    let json =
      #"{"MacVtapConfig":{"Create":{"mac":"Passthru","parent":{"Interface":"eth0"},"#
      + #""ipv4":"Passthru"}}}"#
    let device = try SocketsConfiguration.Device(json: json)
    #expect(device == .macVtap(.create(mac: .passthru, parent: .name("eth0"), ipv4: .passthru)))
    try device.validate()
  }

  @Test("macvtap passthru on the default route's interface")
  func macVtapDiscover() throws {
    let json =
      #"{"MacVtapConfig":{"Create":{"mac":"Passthru","parent":"DiscoverFromRoute","#
      + #""ipv4":"Passthru"}}}"#
    let device = try SocketsConfiguration.Device(json: json)
    #expect(
      device == .macVtap(.create(mac: .passthru, parent: .discoverFromRoute, ipv4: .passthru)))
  }

  @Test("macvtap bridge with a static MAC and IPv4")
  func macVtapBridge() throws {
    let json =
      #"{"MacVtapConfig":{"Create":{"mac":{"Static":"aa:bb:cc:dd:ee:00"},"#
      + #""parent":"DiscoverFromRoute","ipv4":{"Static":{"ipv4":"192.168.1.200","sub":24,"#
      + #""gateway":"192.168.1.1"}}}}}"#
    let device = try SocketsConfiguration.Device(json: json)
    let mac = try #require(MACAddress("aa:bb:cc:dd:ee:00"))
    #expect(
      device
        == .macVtap(
          .create(mac: .static(mac), parent: .discoverFromRoute, ipv4: try readmeIPv4(200))))
    try device.validate()
  }

  @Test("an existing macvtap under the misspelled key \"Interface:\", braces balanced")
  func macVtapExistingAlias() throws {
    // The README's text lacks one closing brace (see the malformed table); this is it mended.
    let json =
      #"{"MacVtapConfig":{"Interface:":{"interface":"mymacvtap", "ipv4":"#
      + #"{"Static":{"ipv4":"192.168.1.200","sub":24,"gateway":"192.168.1.1"}}}}}"#
    let device = try SocketsConfiguration.Device(json: json)
    let expected = SocketsConfiguration.Device.macVtap(
      .interface(name: "mymacvtap", ipv4: try readmeIPv4(200)))
    #expect(device == expected)
    let spelledRight = json.replacing(#""Interface:""#, with: #""Interface""#)
    #expect(spelledRight != json)
    #expect(try SocketsConfiguration.Device(json: spelledRight) == expected)
  }

  @Test("\"Interface:\" is accepted wherever \"Interface\" is")
  func aliasEverywhere() throws {
    let json =
      #"{"UsnetConfig":{"Interface:":{"interface":{"Interface:":"eth0"},"#
      + #""ipc":"UnixDomainSocket","mac":"Passthru","ipv4":"Passthru"}}}"#
    let device = try SocketsConfiguration.Device(json: json)
    #expect(
      device
        == .usnetd(
          UsnetConfig(
            interface: .name("eth0"), channel: .unixDomainSocket, mac: .passthru,
            ipv4: .passthru)))
    // The alias is written back in its proper spelling.
    #expect(!device.description.contains("Interface:"))
  }

  @Test("netmap on eth0 parses, then validation rejects netmap on this platform")
  func netmapNIC() throws {
    let json =
      #"{"NetmapConfig":{"Interface":{"interface":{"Interface":{"netmap_name":"netmap:eth0","#
      + #""parent":"eth0"}},"mac":"Passthru","ipv4":"Passthru"}}}"#
    let device = try SocketsConfiguration.Device(json: json)
    #expect(
      device
        == .netmap(
          NetmapConfig(
            port: .named(netmapName: "netmap:eth0", parent: "eth0"), mac: .passthru,
            ipv4: .passthru)))
    let error = #expect(throws: ConfigurationError.self) { try device.validate() }
    #expect(
      error?.description
        == "NetmapConfig: a netmap device is not accepted; expected a device this platform has:"
        + " TapConfig, MacVtapConfig or RawConfig (there is no netmap kernel module here)")
  }

  @Test("netmap on a VALE port with a random MAC")
  func netmapVALE() throws {
    let json =
      #"{"NetmapConfig":{"Interface":{"interface":{"Interface":{"netmap_name":"vale0:0","#
      + #""parent":"eth0"}},"mac":"Random","ipv4":{"Static":{"ipv4":"192.168.1.201","sub":24,"#
      + #""gateway":"192.168.1.1"}} }}}"#
    let device = try SocketsConfiguration.Device(json: json)
    #expect(
      device
        == .netmap(
          NetmapConfig(
            port: .named(netmapName: "vale0:0", parent: "eth0"), mac: .random,
            ipv4: try readmeIPv4(201))))
  }

  @Test("a static usnetd netmap pipe")
  func netmapStaticPipe() throws {
    let json =
      #"{"NetmapConfig":{"Interface":{"interface":{"Interface":{"#
      + #""netmap_name":"netmap:eth0{4094","parent":"eth0"}},"mac":"Passthru","#
      + #""ipv4":"Passthru"}}}"#
    let device = try SocketsConfiguration.Device(json: json)
    #expect(
      device
        == .netmap(
          NetmapConfig(
            port: .named(netmapName: "netmap:eth0{4094", parent: "eth0"), mac: .passthru,
            ipv4: .passthru)))
  }

  @Test("usnetd over a netmap pipe parses; validation asks for a Unix domain socket")
  func usnetdNetmapPipe() throws {
    let json =
      #"{"UsnetConfig":{"Interface":{"interface":{"Interface":"eth0"},"ipc":"NetmapPipe","#
      + #""mac":"Passthru","ipv4":"Passthru"}}}"#
    let device = try SocketsConfiguration.Device(json: json)
    #expect(
      device
        == .usnetd(
          UsnetConfig(
            interface: .name("eth0"), channel: .netmapPipe, mac: .passthru, ipv4: .passthru)))
    #expect(throws: ConfigurationError.self) { try device.validate() }
    let overSocket = json.replacing("NetmapPipe", with: "UnixDomainSocket")
    try SocketsConfiguration.Device(json: overSocket).validate()
  }

  @Test("usnetd with the default route's interface over a Unix domain socket")
  func usnetdDiscover() throws {
    let json =
      #"{"UsnetConfig":{"Interface":{"interface":"DiscoverFromRoute","#
      + #""ipc":"UnixDomainSocket","mac":"Passthru","ipv4":"Passthru"}}}"#
    let device = try SocketsConfiguration.Device(json: json)
    #expect(
      device
        == .usnetd(
          UsnetConfig(
            interface: .discoverFromRoute, channel: .unixDomainSocket, mac: .passthru,
            ipv4: .passthru)))
    try device.validate()
  }

  @Test("usnetd with a static MAC and IPv4 on wlan0")
  func usnetdStatic() throws {
    let json =
      #"{"UsnetConfig":{"Interface":{"interface":{"Interface":"wlan0"},"ipc":"NetmapPipe","#
      + #""mac": {"Static":"aa:bb:cc:dd:ee:07"},"ipv4":{"Static":{"ipv4":"192.168.1.201","#
      + #""sub":24,"gateway":"192.168.1.1"}} }}}"#
    let device = try SocketsConfiguration.Device(json: json)
    let mac = try #require(MACAddress("aa:bb:cc:dd:ee:07"))
    #expect(
      device
        == .usnetd(
          UsnetConfig(
            interface: .name("wlan0"), channel: .netmapPipe, mac: .static(mac),
            ipv4: try readmeIPv4(201))))
  }

  @Test("the undocumented RawConfig and TapConfig forms")
  func rawAndTap() throws {
    #expect(try SocketsConfiguration.Device(json: #""RawConfig""#) == .raw(RawConfig()))
    let json =
      #"{"TapConfig":{"Create":{"mac":"Random","ipv4":{"Static":{"ipv4":"10.0.0.2","sub":24,"#
      + #""gateway":"10.0.0.1"}},"host_ip":"10.0.0.1"}}}"#
    let identity = try #require(
      SocketsConfiguration.StaticIPv4(
        address: IPv4Address(10, 0, 0, 2), prefixLength: 24, gateway: IPv4Address(10, 0, 0, 1)))
    #expect(
      try SocketsConfiguration.Device(json: json)
        == .tap(.create(mac: .random, ipv4: identity, hostIP: IPv4Address(10, 0, 0, 1))))
  }

  @Test("the simulated-port extension")
  func simulated() throws {
    let json =
      #"{"SimulatedConfig":{"port":"left","mac":{"Static":"02:00:00:00:00:01"},"#
      + #""ipv4":{"Static":{"ipv4":"10.0.0.2","sub":24,"gateway":"10.0.0.1"}}}}"#
    let identity = try #require(
      SocketsConfiguration.StaticIPv4(
        address: IPv4Address(10, 0, 0, 2), prefixLength: 24, gateway: IPv4Address(10, 0, 0, 1)))
    #expect(
      try SocketsConfiguration.Device(json: json)
        == .simulated(
          SimulatedConfig(port: "left", mac: .static(MACAddress(2, 0, 0, 0, 0, 1)), ipv4: identity))
    )
  }

  @Test("JSON whitespace and escapes are read as JSON defines them")
  func jsonDetails() throws {
    let valid =
      #" { "TapConfig" : { "Interface" : { "interface" : "t\u0061p0", "mac" : "Random", "#
      + #""ipv4" : {"Static":{"ipv4":"10.0.0.2","sub":24,"gateway":"10.0.0.1"}} } } } "#
    guard case .tap(.interface(let name, _, _)) = try SocketsConfiguration.Device(json: valid)
    else {
      Issue.record("not a TAP interface")
      return
    }
    #expect(name == "tap0")
  }
}
