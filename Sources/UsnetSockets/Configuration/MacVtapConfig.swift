import UsnetStack

/// A macvtap device (the schema's `MacVtapConfig`): the stack reads and writes frames through
/// `/dev/tapN` of a macvtap interface on a kernel NIC.
///
/// JSON: `{"Create": {"mac": Mac, "parent": SystemInterface, "ipv4": IpV4}}` or
/// `{"Interface": {"interface": "<macvtap name>", "ipv4": IpV4}}` (`"Interface:"` is read as
/// `"Interface"`, the original README's misspelling).
public enum MacVtapConfig: Hashable, Sendable {
  /// Create a macvtap on `parent`: passthru mode (the whole NIC) when `mac` is
  /// ``SocketsConfiguration/MACChoice/passthru``, bridge mode with its own address otherwise.
  /// It is deleted again on exit.
  case create(
    mac: SocketsConfiguration.MACChoice, parent: SocketsConfiguration.InterfaceChoice,
    ipv4: SocketsConfiguration.IPv4Choice)
  /// Use the existing macvtap interface `name`, with the MAC it has; it is left in place on exit.
  case interface(name: String, ipv4: SocketsConfiguration.IPv4Choice)

  /// The schema text of the choices, for messages.
  static let accepted =
    "{\"Create\": {\"mac\", \"parent\", \"ipv4\"}} or {\"Interface\": {\"interface\", \"ipv4\"}}"

  /// Reads the value at `path`.
  init(json value: JSONValue, at path: String) throws(ConfigurationError) {
    let choice = try ConfigurationSchema.variant(
      value, at: path, units: [], tagged: ["Create", "Interface"], accepted: MacVtapConfig.accepted)
    let inner = choice.path
    func child(_ key: String) -> String { ConfigurationSchema.child(inner, key) }
    if choice.name == "Create" {
      let members = try ConfigurationSchema.members(
        choice.payload, at: inner,
        fields: [
          ("mac", SocketsConfiguration.MACChoice.accepted(allowsPassthru: true)),
          ("parent", SocketsConfiguration.InterfaceChoice.accepted),
          ("ipv4", SocketsConfiguration.IPv4Choice.accepted),
        ])
      self = .create(
        mac: try .init(
          json: members["mac", default: .null], at: child("mac"), allowsPassthru: true),
        parent: try .init(json: members["parent", default: .null], at: child("parent")),
        ipv4: try .init(
          json: members["ipv4", default: .null], at: child("ipv4"), allowsPassthru: true))
    } else {
      let members = try ConfigurationSchema.members(
        choice.payload, at: inner,
        fields: [
          ("interface", SocketsConfiguration.InterfaceChoice.acceptedName),
          ("ipv4", SocketsConfiguration.IPv4Choice.accepted),
        ])
      self = .interface(
        name: try SocketsConfiguration.InterfaceChoice.name(
          members["interface", default: .null], at: child("interface")),
        ipv4: try .init(
          json: members["ipv4", default: .null], at: child("ipv4"), allowsPassthru: true))
    }
  }

  /// The value in the schema's JSON form.
  var json: JSONValue {
    switch self {
    case .create(let mac, let parent, let ipv4):
      .object([
        JSONMember(
          key: "Create",
          value: .object([
            JSONMember(key: "mac", value: mac.json), JSONMember(key: "parent", value: parent.json),
            JSONMember(key: "ipv4", value: ipv4.json),
          ]))
      ])
    case .interface(let name, let ipv4):
      .object([
        JSONMember(
          key: "Interface",
          value: .object([
            JSONMember(key: "interface", value: .string(name)),
            JSONMember(key: "ipv4", value: ipv4.json),
          ]))
      ])
    }
  }

  /// Checks the value found at `path`.
  func validate(at path: String) throws(ConfigurationError) {
    switch self {
    case .create(let mac, let parent, let ipv4):
      let inner = ConfigurationSchema.child(path, "Create")
      try mac.validate(at: ConfigurationSchema.child(inner, "mac"), allowsPassthru: true)
      try parent.validate(at: ConfigurationSchema.child(inner, "parent"))
      try ipv4.validate(at: ConfigurationSchema.child(inner, "ipv4"))
    case .interface(let name, let ipv4):
      let inner = ConfigurationSchema.child(path, "Interface")
      try SocketsConfiguration.InterfaceChoice.validate(
        name: name, at: ConfigurationSchema.child(inner, "interface"))
      try ipv4.validate(at: ConfigurationSchema.child(inner, "ipv4"))
    }
  }
}
