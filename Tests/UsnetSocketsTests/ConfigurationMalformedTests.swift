import Testing
import UsnetSockets
import UsnetStack

/// `{"MacVtapConfig":{"Create":{...}}}` with the given member values.
private func create(
  mac: String = #""Passthru""#, parent: String = #""DiscoverFromRoute""#,
  ipv4: String = #""Passthru""#
) -> String {
  #"{"MacVtapConfig":{"Create":{"mac":"# + mac + #","parent":"# + parent + #","ipv4":"# + ipv4
    + "}}}"
}

/// `{"Static":{"ipv4":...,"sub":...,"gateway":...}}` with the given member values.
private func staticIPv4(
  _ ipv4: String = #""192.168.1.200""#, sub: String = "24", gateway: String = #""192.168.1.1""#
) -> String {
  #"{"Static":{"ipv4":"# + ipv4 + #","sub":"# + sub + #","gateway":"# + gateway + "}}"
}

/// A TAP identity that passes, for cases about other fields.
private let tapIPv4 = #"{"Static":{"ipv4":"10.0.0.2","sub":24,"gateway":"10.0.0.1"}}"#

/// One malformed `USNET_SOCKETS` value and the exact message it must produce.
struct MalformedCase: Sendable, CustomTestStringConvertible {
  /// The value of `USNET_SOCKETS`.
  var json: String
  /// The expected `ConfigurationError.description`.
  var message: String

  var testDescription: String { json }
}

/// Malformed `USNET_SOCKETS` values, each with the exact message it must produce.
let malformedUsnetSockets: [MalformedCase] = [
  // Not JSON.
  MalformedCase(
    json: "",
    message:
      #"USNET_SOCKETS: the end of the text at character 1 is not accepted; expected a "#
      + #"JSON value: an object, array, "string", number, true, false or null"#),
  MalformedCase(
    json: "   ",
    message:
      #"USNET_SOCKETS: the end of the text at character 4 is not accepted; expected a "#
      + #"JSON value: an object, array, "string", number, true, false or null"#),
  MalformedCase(
    json: "RawConfig",
    message:
      #"USNET_SOCKETS: "R" at character 1 is not accepted; expected a JSON value: an "#
      + #"object, array, "string", number, true, false or null"#),
  MalformedCase(
    json: "'RawConfig'",
    message:
      #"USNET_SOCKETS: "'" at character 1 is not accepted; expected a JSON value: an "#
      + #"object, array, "string", number, true, false or null"#),
  MalformedCase(
    json: #""RawConfig" x"#,
    message:
      #"USNET_SOCKETS: "x" at character 13 is not accepted; expected the end of the "#
      + #"text after the JSON value"#),
  MalformedCase(
    json: #"{"RawConfig" // comment"#,
    message:
      #"USNET_SOCKETS: "/" at character 14 is not accepted; expected ":" after the key "#
      + #""RawConfig""#),
  MalformedCase(
    json: #"{"TapConfig":"#,
    message:
      #"USNET_SOCKETS: the end of the text at character 14 is not accepted; expected a "#
      + #"JSON value: an object, array, "string", number, true, false or null"#),
  MalformedCase(
    json: #"{"TapConfig":{"Interface":{"interface":"tap0"#,
    message:
      #"USNET_SOCKETS: the end of the text at character 45 is not accepted; expected "#
      + #"the closing quote of a string"#),
  MalformedCase(
    json: #"{"TapConfig":{"Interface":{"interface":"\x"}}}"#,
    message:
      #"USNET_SOCKETS: "x" at character 42 is not accepted; expected an escape: \", "#
      + #"\\, \/, \b, \f, \n, \r, \t or \u and four hex digits"#),
  MalformedCase(
    json: String(repeating: "[", count: 40) + String(repeating: "]", count: 40),
    message:
      #"USNET_SOCKETS: "[" at character 33 is not accepted; expected at most 32 levels "#
      + #"of nesting"#),
  MalformedCase(
    json: create(ipv4: #""Passthru","#),
    message:
      #"USNET_SOCKETS: "}" at character 93 is not accepted; expected a quoted key "#
      + #"(JSON has no trailing commas)"#),
  MalformedCase(
    json: create(ipv4: #"{"Static":{"ipv4":"192.168.1.200","sub":024}}"#),
    message:
      #"USNET_SOCKETS: "2" at character 123 is not accepted; expected a number without "#
      + #"leading zeros"#),
  // The README's existing-macvtap example, which lacks a closing brace.
  MalformedCase(
    json: #"{"MacVtapConfig":{"Interface:":{"interface":"mymacvtap", "ipv4":"#
      + #"{"Static":{"ipv4":"192.168.1.200","sub":24,"gateway":"192.168.1.1"}}}}"#,
    message:
      #"USNET_SOCKETS: the end of the text at character 135 is not accepted; expected "#
      + #""," or "}" after the value of "MacVtapConfig""#),
  // The top level.
  MalformedCase(
    json: #""RawConfg""#,
    message:
      #"USNET_SOCKETS: "RawConfg" is not accepted; expected {"MacVtapConfig": ...}, "#
      + #"{"TapConfig": ...}, {"UsnetConfig": ...}, {"NetmapConfig": ...}, {"SimulatedConfig": "#
      + #"...} or "RawConfig""#),
  MalformedCase(
    json: #"{"RawConfig":null}"#,
    message:
      #"USNET_SOCKETS: the key "RawConfig" is not accepted; expected {"MacVtapConfig": "#
      + #"...}, {"TapConfig": ...}, {"UsnetConfig": ...}, {"NetmapConfig": ...}, "#
      + #"{"SimulatedConfig": ...} or "RawConfig""#),
  MalformedCase(
    json: "{}",
    message:
      #"USNET_SOCKETS: {} is not accepted; expected {"MacVtapConfig": ...}, "#
      + #"{"TapConfig": ...}, {"UsnetConfig": ...}, {"NetmapConfig": ...}, {"SimulatedConfig": "#
      + #"...} or "RawConfig""#),
  MalformedCase(
    json: "[]",
    message:
      #"USNET_SOCKETS: [] is not accepted; expected {"MacVtapConfig": ...}, "#
      + #"{"TapConfig": ...}, {"UsnetConfig": ...}, {"NetmapConfig": ...}, {"SimulatedConfig": "#
      + #"...} or "RawConfig""#),
  MalformedCase(
    json: #"{"MacVtapConfg":{}}"#,
    message:
      #"USNET_SOCKETS: the key "MacVtapConfg" is not accepted; expected "#
      + #"{"MacVtapConfig": ...}, {"TapConfig": ...}, {"UsnetConfig": ...}, {"NetmapConfig": "#
      + #"...}, {"SimulatedConfig": ...} or "RawConfig""#),
  MalformedCase(
    json: #"{"RawConfig":1,"TapConfig":{}}"#,
    message:
      #"USNET_SOCKETS: an object with the keys "RawConfig" and "TapConfig" is not "#
      + #"accepted; expected {"MacVtapConfig": ...}, {"TapConfig": ...}, {"UsnetConfig": ...}, "#
      + #"{"NetmapConfig": ...}, {"SimulatedConfig": ...} or "RawConfig""#),
  // Objects: missing, unknown and repeated keys.
  MalformedCase(
    json: #"{"MacVtapConfig":"Create"}"#,
    message:
      #"MacVtapConfig: "Create" is not accepted; expected {"Create": {"mac", "parent", "#
      + #""ipv4"}} or {"Interface": {"interface", "ipv4"}}"#),
  MalformedCase(
    json: #"{"MacVtapConfig":{"Create":{"mac":"Passthru","ipv4":"Passthru"}}}"#,
    message:
      #"MacVtapConfig.Create.parent: (missing) is not accepted; expected "#
      + #""DiscoverFromRoute" or {"Interface": "<interface name>"}"#),
  MalformedCase(
    json: create(ipv4: #""Passthru","colour":"red""#),
    message:
      #"MacVtapConfig.Create: the key "colour" is not accepted; expected only the keys "#
      + #""mac", "parent" and "ipv4""#),
  MalformedCase(
    json: create(mac: #""Passthru","mac":"Random""#),
    message:
      #"MacVtapConfig.Create.mac: a second "mac" key is not accepted; expected each "#
      + #"key once"#),
  MalformedCase(
    json: #"{"MacVtapConfig":{"Interface":{"interface":"a","ipv4":"Passthru"},"#
      + #""Interface:":{"interface":"b","ipv4":"Passthru"}}}"#,
    message:
      #"MacVtapConfig: an object with the keys "Interface" and "Interface:" is not "#
      + #"accepted; expected {"Create": {"mac", "parent", "ipv4"}} or {"Interface": "#
      + #"{"interface", "ipv4"}}"#),
  MalformedCase(
    json: #"{"UsnetConfig":{"Create":{}}}"#,
    message:
      #"UsnetConfig: the key "Create" is not accepted; expected {"Interface": "#
      + #"{"interface", "ipc", "mac", "ipv4"}}"#),
  // MAC addresses.
  MalformedCase(
    json: create(mac: #""passthru""#),
    message:
      #"MacVtapConfig.Create.mac: "passthru" is not accepted; expected "Passthru", "#
      + #""Random" or {"Static": "aa:bb:cc:dd:ee:ff"}"#),
  MalformedCase(
    json: create(mac: #"{"Static":"aa:bb:cc:dd:ee"}"#),
    message:
      #"MacVtapConfig.Create.mac.Static: "aa:bb:cc:dd:ee" is not accepted; expected a "#
      + #"unicast, nonzero MAC address like "aa:bb:cc:dd:ee:00""#),
  MalformedCase(
    json: create(mac: #"{"Static":"01:00:5e:00:00:01"}"#),
    message:
      #"MacVtapConfig.Create.mac.Static: "01:00:5e:00:00:01" is not accepted; expected "#
      + #"a unicast, nonzero MAC address like "aa:bb:cc:dd:ee:00""#),
  // IPv4.
  MalformedCase(
    json: create(ipv4: #""Dhcp""#),
    message:
      #"MacVtapConfig.Create.ipv4: "Dhcp" is not accepted; expected "Passthru" or "#
      + #"{"Static": {"ipv4": "a.b.c.d", "sub": 0 to 32, "gateway": "a.b.c.d"}} (DHCP "#
      + #"for the stack's own address is not implemented yet)"#),
  MalformedCase(
    json: create(ipv4: staticIPv4(sub: "33")),
    message:
      #"MacVtapConfig.Create.ipv4.Static.sub: 33 is not accepted; expected an integer "#
      + #"prefix length from 0 to 32"#),
  MalformedCase(
    json: create(ipv4: staticIPv4(sub: #""24""#)),
    message:
      #"MacVtapConfig.Create.ipv4.Static.sub: "24" is not accepted; expected an "#
      + #"integer prefix length from 0 to 32"#),
  MalformedCase(
    json: create(ipv4: staticIPv4(sub: "24.0")),
    message:
      #"MacVtapConfig.Create.ipv4.Static.sub: 24.0 is not accepted; expected an "#
      + #"integer prefix length from 0 to 32"#),
  MalformedCase(
    json: create(ipv4: staticIPv4(sub: "-1")),
    message:
      #"MacVtapConfig.Create.ipv4.Static.sub: -1 is not accepted; expected an integer "#
      + #"prefix length from 0 to 32"#),
  MalformedCase(
    json: create(ipv4: staticIPv4(#""192.168.1.256""#)),
    message:
      #"MacVtapConfig.Create.ipv4.Static.ipv4: "192.168.1.256" is not accepted; "#
      + #"expected a unicast IPv4 address like "192.168.1.200" (not 0.0.0.0, 127.x, "#
      + #"multicast or broadcast)"#),
  MalformedCase(
    json: create(ipv4: staticIPv4(#""192.168.01.2""#)),
    message:
      #"MacVtapConfig.Create.ipv4.Static.ipv4: "192.168.01.2" is not accepted; "#
      + #"expected a unicast IPv4 address like "192.168.1.200" (not 0.0.0.0, 127.x, "#
      + #"multicast or broadcast)"#),
  MalformedCase(
    json: create(ipv4: staticIPv4(#""0.0.0.0""#)),
    message:
      #"MacVtapConfig.Create.ipv4.Static.ipv4: "0.0.0.0" is not accepted; expected a "#
      + #"unicast IPv4 address like "192.168.1.200" (not 0.0.0.0, 127.x, multicast or "#
      + #"broadcast)"#),
  MalformedCase(
    json: create(ipv4: staticIPv4(gateway: #""192.168.2.1""#)),
    message:
      #"MacVtapConfig.Create.ipv4.Static.gateway: "192.168.2.1" is not accepted; "#
      + #"expected a unicast address inside 192.168.1.0/24 other than 192.168.1.200"#),
  MalformedCase(
    json: create(ipv4: staticIPv4(gateway: #""192.168.1.200""#)),
    message:
      #"MacVtapConfig.Create.ipv4.Static.gateway: "192.168.1.200" is not accepted; "#
      + #"expected a unicast address inside 192.168.1.0/24 other than 192.168.1.200"#),
  MalformedCase(
    json: create(ipv4: #"{"Static":{"ipv4":"192.168.1.200","sub":24}}"#),
    message:
      #"MacVtapConfig.Create.ipv4.Static.gateway: (missing) is not accepted; expected "#
      + #"a dotted-quad IPv4 address like "192.168.1.1""#),
  // Interfaces.
  MalformedCase(
    json: create(parent: #"{"Interface":"averyveryverylongname"}"#),
    message:
      #"MacVtapConfig.Create.parent.Interface: "averyveryverylongname" is not "#
      + #"accepted; expected an interface name of 1 to 15 bytes without "/", ":" or "#
      + #"whitespace, not "." or "..""#),
  MalformedCase(
    json: create(parent: #"{"Interface":"eth/0"}"#),
    message:
      #"MacVtapConfig.Create.parent.Interface: "eth/0" is not accepted; expected an "#
      + #"interface name of 1 to 15 bytes without "/", ":" or whitespace, not "." or "#
      + #""..""#),
  MalformedCase(
    json: create(parent: #""Interface""#),
    message:
      #"MacVtapConfig.Create.parent: "Interface" is not accepted; expected "#
      + #""DiscoverFromRoute" or {"Interface": "<interface name>"}"#),
  MalformedCase(
    json: #"{"TapConfig":{"Interface":{"interface":"tap0\n","mac":"Random","ipv4":"#
      + tapIPv4 + "}}}",
    message:
      #"TapConfig.Interface.interface: "tap0\n" is not accepted; expected an interface "#
      + #"name of 1 to 15 bytes without "/", ":" or whitespace, not "." or "..""#),
  // TAP, usnetd, netmap and simulated devices.
  MalformedCase(
    json: #"{"TapConfig":{"Interface":{"interface":"tap0","mac":"Passthru","ipv4":"#
      + tapIPv4 + "}}}",
    message:
      #"TapConfig.Interface.mac: "Passthru" is not accepted; expected "Random" or "#
      + #"{"Static": "aa:bb:cc:dd:ee:ff"} (this device has no parent interface to copy "#
      + #"from)"#),
  MalformedCase(
    json: #"{"TapConfig":{"Interface":{"interface":"tap0","mac":"Random","ipv4":"Passthru"}}}"#,
    message:
      #"TapConfig.Interface.ipv4: "Passthru" is not accepted; expected {"Static": "#
      + #"{"ipv4": "a.b.c.d", "sub": 0 to 32, "gateway": "a.b.c.d"}} (this device has no "#
      + #"parent interface to copy from)"#),
  MalformedCase(
    json: #"{"TapConfig":{"Create":{"mac":"Random","ipv4":"# + tapIPv4
      + #","host_ip":"10.0.1.1"}}}"#,
    message:
      #"TapConfig.Create.host_ip: "10.0.1.1" is not accepted; expected a unicast "#
      + #"address inside 10.0.0.0/24 other than 10.0.0.2"#),
  MalformedCase(
    json: #"{"TapConfig":{"Interface":{"interface":"tap0"}}}"#,
    message:
      #"TapConfig.Interface.mac: (missing) is not accepted; expected "Random" or "#
      + #"{"Static": "aa:bb:cc:dd:ee:ff"}"#),
  MalformedCase(
    json: #"{"UsnetConfig":{"Interface":{"interface":"DiscoverFromRoute","ipc":"Netmap","#
      + #""mac":"Passthru","ipv4":"Passthru"}}}"#,
    message:
      #"UsnetConfig.Interface.ipc: "Netmap" is not accepted; expected "#
      + #""UnixDomainSocket" or "NetmapPipe""#),
  MalformedCase(
    json: #"{"UsnetConfig":{"Interface":{"interface":{"Interface":"eth0"},"ipc":"NetmapPipe","#
      + #""mac":"Passthru","ipv4":"Passthru"}}}"#,
    message:
      #"UsnetConfig.Interface.ipc: "NetmapPipe" is not accepted; expected "#
      + #""UnixDomainSocket" (this platform has no netmap kernel module)"#),
  MalformedCase(
    json: #"{"NetmapConfig":{"Interface":{"interface":{"Interface":{"netmap_name":5,"#
      + #""parent":"eth0"}},"mac":"Passthru","ipv4":"Passthru"}}}"#,
    message:
      #"NetmapConfig.Interface.interface.Interface.netmap_name: 5 is not accepted; "#
      + #"expected a netmap port name like "netmap:eth0" or "vale0:0""#),
  MalformedCase(
    json: #"{"NetmapConfig":{"Interface":{"interface":"DiscoverFromRoute","mac":"Passthru","#
      + #""ipv4":"Passthru"}}}"#,
    message:
      #"NetmapConfig: a netmap device is not accepted; expected a device this platform "#
      + #"has: TapConfig, MacVtapConfig or RawConfig (there is no netmap kernel module "#
      + #"here)"#),
  MalformedCase(
    json: #"{"SimulatedConfig":{"port":"","mac":"Random","ipv4":"# + tapIPv4 + "}}",
    message:
      #"SimulatedConfig.port: "" is not accepted; expected a port name of 1 to 64 "#
      + #"characters"#),
]

@Suite("Configuration: malformed USNET_SOCKETS")
struct ConfigurationMalformedTests {
  @Test("the table holds at least 20 cases, all different")
  func tableSize() {
    #expect(malformedUsnetSockets.count >= 20)
    #expect(Set(malformedUsnetSockets.map(\.json)).count == malformedUsnetSockets.count)
  }

  @Test("each malformed value is rejected with its exact message", arguments: malformedUsnetSockets)
  func rejected(_ entry: MalformedCase) {
    let environment = ["USNET_SOCKETS": entry.json]
    #expect(throws: ConfigurationError.self) {
      try SocketsConfiguration(environment: environment, cpuCount: 4)
    }
    do {
      _ = try SocketsConfiguration(environment: environment, cpuCount: 4)
    } catch {
      #expect(error.description == entry.message)
      let netError = NetError(error)
      #expect(netError.kind == .invalidInput)
      #expect(netError.message == entry.message)
    }
  }
}
