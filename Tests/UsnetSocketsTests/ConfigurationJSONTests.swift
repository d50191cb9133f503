import Testing
import UsnetSockets
import UsnetStack

/// Valid `USNET_SOCKETS` texts to mutate.
private let seeds = [
  #"{"MacVtapConfig":{"Create":{"mac":{"Static":"aa:bb:cc:dd:ee:00"},"#
    + #""parent":"DiscoverFromRoute","ipv4":{"Static":{"ipv4":"192.168.1.200","sub":24,"#
    + #""gateway":"192.168.1.1"}}}}}"#,
  #"{"UsnetConfig":{"Interface":{"interface":{"Interface":"eth0"},"ipc":"UnixDomainSocket","#
    + #""mac":"Passthru","ipv4":"Passthru"}}}"#,
  #"{"TapConfig":{"Create":{"mac":"Random","ipv4":{"Static":{"ipv4":"10.0.0.2","sub":24,"#
    + #""gateway":"10.0.0.1"}},"host_ip":"10.0.0.1"}}}"#,
]

/// The JSON reader under the configuration: strict RFC 8259, and never a crash.
@Suite("Configuration: JSON reading")
struct ConfigurationJSONTests {
  @Test("surrogate pairs decode; lone surrogates are errors")
  func surrogates() throws {
    let pair =
      #"{"SimulatedConfig":{"port":"\ud83d\ude00","mac":"Random","#
      + #""ipv4":{"Static":{"ipv4":"10.0.0.2","sub":24,"gateway":"10.0.0.1"}}}}"#
    guard case .simulated(let config) = try SocketsConfiguration.Device(json: pair) else {
      Issue.record("not a simulated port")
      return
    }
    #expect(config.port == "\u{1F600}")
    let lone = #"{"SimulatedConfig":{"port":"\ude00"}}"#
    let error = #expect(throws: ConfigurationError.self) {
      try SocketsConfiguration.Device(json: lone)
    }
    #expect(
      error?.description
        == #"USNET_SOCKETS: "d" at character 31 is not accepted; expected a Unicode scalar"#
        + " (a lone low surrogate is not one)")
  }

  @Test("literals, arrays and numbers are read but rejected where the schema has none")
  func otherValues() {
    for (json, message) in [
      (
        "[true,false,null,-1.5e+3]",
        "USNET_SOCKETS: [true,false,null,-1.5e+3] is not accepted; expected"
      ),
      ("tru", #"USNET_SOCKETS: the end of the text at character 4 is not accepted; expected"#),
      ("-", #"USNET_SOCKETS: the end of the text at character 2 is not accepted; expected a"#),
    ] {
      let error = #expect(throws: ConfigurationError.self) {
        try SocketsConfiguration.Device(json: json)
      }
      #expect(error?.description.hasPrefix(message) == true, "\(json)")
    }
  }

  @Test("10,000 mutated and truncated texts are accepted or rejected, never a crash")
  func mutations() {
    var random = SeededRandom(seed: 0x5EED)
    let alphabet = Array(#"{}[]":,\ -0123456789.eEtrufalsn"#.unicodeScalars)
    var rejected = 0
    for round in 0..<10_000 {
      var scalars = Array(seeds[round % seeds.count].unicodeScalars)
      for _ in 0..<Int.random(in: 1...4, using: &random) {
        let index = Int.random(in: 0..<scalars.count, using: &random)
        switch Int.random(in: 0..<4, using: &random) {
        case 0: scalars[index] = alphabet.randomElement(using: &random) ?? "x"
        case 1: scalars.remove(at: index)
        case 2: scalars.insert(alphabet.randomElement(using: &random) ?? "x", at: index)
        default: scalars.removeSubrange(index...)
        }
        if scalars.isEmpty { break }
      }
      var text = ""
      text.unicodeScalars.append(contentsOf: scalars)
      do {
        let device = try SocketsConfiguration.Device(json: text)
        #expect(try SocketsConfiguration.Device(json: device.description) == device)
      } catch {
        rejected += 1
        #expect(!error.field.isEmpty && !error.accepted.isEmpty)
      }
    }
    #expect(rejected > 9_000)
  }

  @Test("deep nesting is refused before it can exhaust the stack")
  func deepNesting() {
    let deep = String(repeating: #"{"a":"#, count: 100_000)
    let error = #expect(throws: ConfigurationError.self) {
      try SocketsConfiguration.Device(json: deep)
    }
    #expect(error?.accepted == "at most 32 levels of nesting")
  }
}
