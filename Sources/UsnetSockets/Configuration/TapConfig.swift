import UsnetStack
import UsnetWire

/// A TAP device (the schema's `TapConfig`): frames through `/dev/net/tun`, with the kernel on the
/// other side of the TAP as the only neighbour.
///
/// JSON: `{"Create": {"mac": TapMac, "ipv4": TapIpV4, "host_ip": "a.b.c.d"}}` or
/// `{"Interface": {"interface": "<tap name>", "mac": TapMac, "ipv4": TapIpV4}}`, where `TapMac`
/// is `"Random"` or `{"Static": "aa:bb:cc:dd:ee:ff"}` and `TapIpV4` only the `Static` form.
public enum TapConfig: Hashable, Sendable {
  /// Create a TAP whose kernel side gets `hostIP`; it is deleted again on exit.
  case create(
    mac: SocketsConfiguration.MACChoice, ipv4: SocketsConfiguration.StaticIPv4,
    hostIP: IPv4Address)
  /// Use the existing TAP interface `name`.
  case interface(
    name: String, mac: SocketsConfiguration.MACChoice, ipv4: SocketsConfiguration.StaticIPv4)

  /// The schema text of the choices, for messages.
  static let accepted =
    "{\"Create\": {\"mac\", \"ipv4\", \"host_ip\"}} or"
    + " {\"Interface\": {\"interface\", \"mac\", \"ipv4\"}}"

  /// Reads the value at `path`.
  init(json value: JSONValue, at path: String) throws(ConfigurationError) {
    let choice = try ConfigurationSchema.variant(
      value, at: path, units: [], tagged: ["Create", "Interface"], accepted: TapConfig.accepted)
    let inner = choice.path
    func child(_ key: String) -> String { ConfigurationSchema.child(inner, key) }
    if choice.name == "Create" {
      let members = try ConfigurationSchema.members(
        choice.payload, at: inner,
        fields: [
          ("mac", SocketsConfiguration.MACChoice.accepted(allowsPassthru: false)),
          ("ipv4", SocketsConfiguration.StaticIPv4.accepted),
          ("host_ip", "the kernel side's IPv4 address, inside the prefix of \"ipv4\""),
        ])
      let mac = try SocketsConfiguration.MACChoice(
        json: members["mac", default: .null], at: child("mac"), allowsPassthru: false)
      let ipv4 = try TapConfig.identity(members["ipv4", default: .null], at: child("ipv4"))
      let hostIP = try ConfigurationSchema.ipv4Address(
        members["host_ip", default: .null], at: child("host_ip"),
        accepted: TapConfig.acceptedHostIP(ipv4))
      self = .create(mac: mac, ipv4: ipv4, hostIP: hostIP)
    } else {
      let members = try ConfigurationSchema.members(
        choice.payload, at: inner,
        fields: [
          ("interface", SocketsConfiguration.InterfaceChoice.acceptedName),
          ("mac", SocketsConfiguration.MACChoice.accepted(allowsPassthru: false)),
          ("ipv4", SocketsConfiguration.StaticIPv4.accepted),
        ])
      let name = try SocketsConfiguration.InterfaceChoice.name(
        members["interface", default: .null], at: child("interface"))
      let mac = try SocketsConfiguration.MACChoice(
        json: members["mac", default: .null], at: child("mac"), allowsPassthru: false)
      let ipv4 = try TapConfig.identity(members["ipv4", default: .null], at: child("ipv4"))
      self = .interface(name: name, mac: mac, ipv4: ipv4)
    }
    try validate(at: path)
  }

  /// Reads `TapIpV4`, which has only the `Static` form.
  private static func identity(
    _ value: JSONValue, at path: String
  ) throws(ConfigurationError) -> SocketsConfiguration.StaticIPv4 {
    let choice = try SocketsConfiguration.IPv4Choice(json: value, at: path, allowsPassthru: false)
    guard case .static(let identity) = choice else {
      throw ConfigurationSchema.error(path, value, SocketsConfiguration.StaticIPv4.accepted)
    }
    return identity
  }

  /// What `host_ip` must be for the stack's identity `ipv4`.
  private static func acceptedHostIP(_ ipv4: SocketsConfiguration.StaticIPv4) -> String {
    "a unicast address inside \(ipv4.network.networkAddress)/\(ipv4.prefixLength) other than"
      + " \(ipv4.address)"
  }

  /// The value in the schema's JSON form.
  var json: JSONValue {
    switch self {
    case .create(let mac, let ipv4, let hostIP):
      .object([
        JSONMember(
          key: "Create",
          value: .object([
            JSONMember(key: "mac", value: mac.json),
            JSONMember(key: "ipv4", value: SocketsConfiguration.IPv4Choice.static(ipv4).json),
            JSONMember(key: "host_ip", value: .string(hostIP.description)),
          ]))
      ])
    case .interface(let name, let mac, let ipv4):
      .object([
        JSONMember(
          key: "Interface",
          value: .object([
            JSONMember(key: "interface", value: .string(name)),
            JSONMember(key: "mac", value: mac.json),
            JSONMember(key: "ipv4", value: SocketsConfiguration.IPv4Choice.static(ipv4).json),
          ]))
      ])
    }
  }

  /// Checks the value found at `path`.
  func validate(at path: String) throws(ConfigurationError) {
    switch self {
    case .create(let mac, let ipv4, let hostIP):
      let inner = ConfigurationSchema.child(path, "Create")
      try mac.validate(at: ConfigurationSchema.child(inner, "mac"), allowsPassthru: false)
      try ipv4.validate(at: ConfigurationSchema.child(inner, "ipv4.Static"))
      if !ipv4.network.contains(hostIP) || hostIP == ipv4.address
        || !SocketsConfiguration.StaticIPv4.isUnicast(hostIP)
      {
        throw ConfigurationSchema.error(
          ConfigurationSchema.child(inner, "host_ip"), .string(hostIP.description),
          TapConfig.acceptedHostIP(ipv4))
      }
    case .interface(let name, let mac, let ipv4):
      let inner = ConfigurationSchema.child(path, "Interface")
      try SocketsConfiguration.InterfaceChoice.validate(
        name: name, at: ConfigurationSchema.child(inner, "interface"))
      try mac.validate(at: ConfigurationSchema.child(inner, "mac"), allowsPassthru: false)
      try ipv4.validate(at: ConfigurationSchema.child(inner, "ipv4.Static"))
    }
  }
}
