import UsnetStack

/// A netmap port (the schema's `NetmapConfig`): a NIC, a VALE switch port or a static usnetd
/// pipe through the netmap kernel module.
///
/// It parses, so that configurations written for the original read without surprises, but
/// ``SocketsConfiguration/Device/validate()`` rejects it: Linux here has no netmap module. The
/// alternatives are ``TapConfig``, ``MacVtapConfig`` and ``RawConfig``.
///
/// JSON: `{"Interface": {"interface": NetmapInterface, "mac": Mac, "ipv4": IpV4}}`, with
/// `NetmapInterface` = `"DiscoverFromRoute"` or
/// `{"Interface": {"netmap_name": "<netmap port>", "parent": "<ifname>"}}`.
public struct NetmapConfig: Hashable, Sendable {
  /// Which netmap port to open.
  public enum Port: Hashable, Sendable {
    /// The netmap port of the default route's interface.
    case discoverFromRoute
    /// The port `netmapName` (like `netmap:eth0`, `vale0:0` or `netmap:eth0{4094`), with
    /// `parent` the kernel interface whose MTU and addresses apply.
    case named(netmapName: String, parent: String)
  }

  /// The netmap port (`interface`).
  public var port: Port
  /// The stack's Ethernet address.
  public var mac: SocketsConfiguration.MACChoice
  /// The stack's IPv4 identity.
  public var ipv4: SocketsConfiguration.IPv4Choice

  /// Creates the configuration.
  public init(
    port: Port, mac: SocketsConfiguration.MACChoice, ipv4: SocketsConfiguration.IPv4Choice
  ) {
    self.port = port
    self.mac = mac
    self.ipv4 = ipv4
  }

  /// The schema text of the value, for messages.
  static let accepted = "{\"Interface\": {\"interface\", \"mac\", \"ipv4\"}}"

  /// The schema text of `NetmapInterface`, for messages.
  static let acceptedPort =
    "\"DiscoverFromRoute\" or {\"Interface\": {\"netmap_name\": \"<netmap port>\","
    + " \"parent\": \"<interface name>\"}}"

  /// What a netmap port name must be.
  static let acceptedName = "a netmap port name like \"netmap:eth0\" or \"vale0:0\""

  /// Reads the value at `path`.
  init(json value: JSONValue, at path: String) throws(ConfigurationError) {
    let choice = try ConfigurationSchema.variant(
      value, at: path, units: [], tagged: ["Interface"], accepted: NetmapConfig.accepted)
    let inner = choice.path
    func child(_ key: String) -> String { ConfigurationSchema.child(inner, key) }
    let members = try ConfigurationSchema.members(
      choice.payload, at: inner,
      fields: [
        ("interface", NetmapConfig.acceptedPort),
        ("mac", SocketsConfiguration.MACChoice.accepted(allowsPassthru: true)),
        ("ipv4", SocketsConfiguration.IPv4Choice.accepted),
      ])
    let port = try ConfigurationSchema.variant(
      members["interface", default: .null], at: child("interface"), units: ["DiscoverFromRoute"],
      tagged: ["Interface"], accepted: NetmapConfig.acceptedPort)
    if port.name == "DiscoverFromRoute" {
      self.port = .discoverFromRoute
    } else {
      let names = try ConfigurationSchema.members(
        port.payload, at: port.path,
        fields: [
          ("netmap_name", NetmapConfig.acceptedName),
          ("parent", SocketsConfiguration.InterfaceChoice.acceptedName),
        ])
      let namePath = ConfigurationSchema.child(port.path, "netmap_name")
      let netmapName = try ConfigurationSchema.string(
        names["netmap_name", default: .null], at: namePath,
        accepted: NetmapConfig.acceptedName)
      if netmapName.isEmpty {
        throw ConfigurationSchema.error(
          namePath, .string(netmapName), NetmapConfig.acceptedName)
      }
      let parent = try SocketsConfiguration.InterfaceChoice.name(
        names["parent", default: .null], at: ConfigurationSchema.child(port.path, "parent"))
      self.port = .named(netmapName: netmapName, parent: parent)
    }
    mac = try .init(json: members["mac", default: .null], at: child("mac"), allowsPassthru: true)
    ipv4 = try .init(json: members["ipv4", default: .null], at: child("ipv4"), allowsPassthru: true)
  }

  /// The value in the schema's JSON form.
  var json: JSONValue {
    let port: JSONValue
    switch self.port {
    case .discoverFromRoute: port = .string("DiscoverFromRoute")
    case .named(let netmapName, let parent):
      port = .object([
        JSONMember(
          key: "Interface",
          value: .object([
            JSONMember(key: "netmap_name", value: .string(netmapName)),
            JSONMember(key: "parent", value: .string(parent)),
          ]))
      ])
    }
    return .object([
      JSONMember(
        key: "Interface",
        value: .object([
          JSONMember(key: "interface", value: port), JSONMember(key: "mac", value: mac.json),
          JSONMember(key: "ipv4", value: ipv4.json),
        ]))
    ])
  }

  /// Checks the value found at `path`, without the platform's limits.
  func validate(at path: String) throws(ConfigurationError) {
    let inner = ConfigurationSchema.child(path, "Interface")
    if case .named(_, let parent) = port {
      try SocketsConfiguration.InterfaceChoice.validate(
        name: parent, at: ConfigurationSchema.child(inner, "interface.Interface.parent"))
    }
    try mac.validate(at: ConfigurationSchema.child(inner, "mac"), allowsPassthru: true)
    try ipv4.validate(at: ConfigurationSchema.child(inner, "ipv4"))
  }
}
