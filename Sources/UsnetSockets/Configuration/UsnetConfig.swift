import UsnetStack

/// A packet channel from the usnetd switch (the schema's `UsnetConfig`), which shares a NIC and
/// its IP address between several stacks and the kernel.
///
/// JSON: `{"Interface": {"interface": SystemInterface, "ipc": "UnixDomainSocket" | "NetmapPipe",
/// "mac": Mac, "ipv4": IpV4}}` (`"Interface:"` is read as `"Interface"`).
public struct UsnetConfig: Hashable, Sendable {
  /// How frames travel between usnetd and the stack.
  public enum Channel: String, Hashable, Sendable, CaseIterable {
    /// A Unix datagram socket handed over by usnetd.
    case unixDomainSocket = "UnixDomainSocket"
    /// A netmap pipe; needs the netmap kernel module, so validation rejects it on this platform.
    case netmapPipe = "NetmapPipe"
  }

  /// The kernel interface usnetd switches.
  public var interface: SocketsConfiguration.InterfaceChoice
  /// The channel to usnetd (`ipc`).
  public var channel: Channel
  /// The stack's Ethernet address; `passthru` shares the kernel's.
  public var mac: SocketsConfiguration.MACChoice
  /// The stack's IPv4 identity; `passthru` shares the kernel's.
  public var ipv4: SocketsConfiguration.IPv4Choice

  /// Creates the configuration.
  public init(
    interface: SocketsConfiguration.InterfaceChoice, channel: Channel,
    mac: SocketsConfiguration.MACChoice, ipv4: SocketsConfiguration.IPv4Choice
  ) {
    self.interface = interface
    self.channel = channel
    self.mac = mac
    self.ipv4 = ipv4
  }

  /// The schema text of the value, for messages.
  static let accepted = "{\"Interface\": {\"interface\", \"ipc\", \"mac\", \"ipv4\"}}"

  /// The schema text of `ipc`, for messages.
  static let acceptedChannel = ConfigurationSchema.list(Channel.allCases.map(\.rawValue), "or")

  /// Reads the value at `path`.
  init(json value: JSONValue, at path: String) throws(ConfigurationError) {
    let choice = try ConfigurationSchema.variant(
      value, at: path, units: [], tagged: ["Interface"], accepted: UsnetConfig.accepted)
    let inner = choice.path
    func child(_ key: String) -> String { ConfigurationSchema.child(inner, key) }
    let members = try ConfigurationSchema.members(
      choice.payload, at: inner,
      fields: [
        ("interface", SocketsConfiguration.InterfaceChoice.accepted),
        ("ipc", UsnetConfig.acceptedChannel),
        ("mac", SocketsConfiguration.MACChoice.accepted(allowsPassthru: true)),
        ("ipv4", SocketsConfiguration.IPv4Choice.accepted),
      ])
    let interface = try SocketsConfiguration.InterfaceChoice(
      json: members["interface", default: .null], at: child("interface"))
    let channel = try ConfigurationSchema.variant(
      members["ipc", default: .null], at: child("ipc"), units: Channel.allCases.map(\.rawValue),
      tagged: [], accepted: UsnetConfig.acceptedChannel)
    self.init(
      interface: interface, channel: Channel(rawValue: channel.name) ?? .unixDomainSocket,
      mac: try .init(json: members["mac", default: .null], at: child("mac"), allowsPassthru: true),
      ipv4: try .init(
        json: members["ipv4", default: .null], at: child("ipv4"), allowsPassthru: true))
  }

  /// The value in the schema's JSON form.
  var json: JSONValue {
    .object([
      JSONMember(
        key: "Interface",
        value: .object([
          JSONMember(key: "interface", value: interface.json),
          JSONMember(key: "ipc", value: .string(channel.rawValue)),
          JSONMember(key: "mac", value: mac.json), JSONMember(key: "ipv4", value: ipv4.json),
        ]))
    ])
  }

  /// Checks the value found at `path`, without the platform's limits.
  func validate(at path: String) throws(ConfigurationError) {
    let inner = ConfigurationSchema.child(path, "Interface")
    try interface.validate(at: ConfigurationSchema.child(inner, "interface"))
    try mac.validate(at: ConfigurationSchema.child(inner, "mac"), allowsPassthru: true)
    try ipv4.validate(at: ConfigurationSchema.child(inner, "ipv4"))
  }
}
