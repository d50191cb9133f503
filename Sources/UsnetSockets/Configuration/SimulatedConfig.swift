import UsnetStack

/// A port of an in-process UsnetSim switch (a usnet extension, JSON key `SimulatedConfig`): the
/// runtime attaches the stack to the simulated port registered under ``port``, so programs and
/// tests run over simulated links without root.
///
/// JSON: `{"SimulatedConfig": {"port": "<name>", "mac": TapMac, "ipv4": TapIpV4}}`: a simulated
/// port has no kernel interface to copy an identity from, so `mac` is `"Random"` or `Static`
/// and `ipv4` is `Static`.
public struct SimulatedConfig: Hashable, Sendable {
  /// The name under which the simulated port was registered with the runtime.
  public var port: String
  /// The stack's Ethernet address.
  public var mac: SocketsConfiguration.MACChoice
  /// The stack's IPv4 identity.
  public var ipv4: SocketsConfiguration.StaticIPv4

  /// Creates the configuration.
  public init(
    port: String, mac: SocketsConfiguration.MACChoice, ipv4: SocketsConfiguration.StaticIPv4
  ) {
    self.port = port
    self.mac = mac
    self.ipv4 = ipv4
  }

  /// What a port name must be.
  static let acceptedPort = "a port name of 1 to 64 characters"

  /// Reads the value at `path`.
  init(json value: JSONValue, at path: String) throws(ConfigurationError) {
    let members = try ConfigurationSchema.members(
      value, at: path,
      fields: [
        ("port", SimulatedConfig.acceptedPort),
        ("mac", SocketsConfiguration.MACChoice.accepted(allowsPassthru: false)),
        ("ipv4", SocketsConfiguration.StaticIPv4.accepted),
      ])
    func child(_ key: String) -> String { ConfigurationSchema.child(path, key) }
    let port = try ConfigurationSchema.string(
      members["port", default: .null], at: child("port"), accepted: SimulatedConfig.acceptedPort)
    let mac = try SocketsConfiguration.MACChoice(
      json: members["mac", default: .null], at: child("mac"), allowsPassthru: false)
    let choice = try SocketsConfiguration.IPv4Choice(
      json: members["ipv4", default: .null], at: child("ipv4"), allowsPassthru: false)
    guard case .static(let ipv4) = choice else {
      throw ConfigurationSchema.error(
        child("ipv4"), members["ipv4", default: .null], SocketsConfiguration.StaticIPv4.accepted)
    }
    self.init(port: port, mac: mac, ipv4: ipv4)
    try validate(at: path)
  }

  /// The value in the JSON form.
  var json: JSONValue {
    .object([
      JSONMember(key: "port", value: .string(port)), JSONMember(key: "mac", value: mac.json),
      JSONMember(key: "ipv4", value: SocketsConfiguration.IPv4Choice.static(ipv4).json),
    ])
  }

  /// Checks the value found at `path`.
  func validate(at path: String) throws(ConfigurationError) {
    if !(1...64).contains(port.count) {
      throw ConfigurationSchema.error(
        ConfigurationSchema.child(path, "port"), .string(port), SimulatedConfig.acceptedPort)
    }
    try mac.validate(at: ConfigurationSchema.child(path, "mac"), allowsPassthru: false)
    try ipv4.validate(at: ConfigurationSchema.child(path, "ipv4.Static"))
  }
}
