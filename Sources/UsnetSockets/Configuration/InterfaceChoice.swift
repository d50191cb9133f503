import UsnetStack

extension SocketsConfiguration {
  /// Which kernel interface a device builds on (the schema's `SystemInterface`).
  ///
  /// JSON: `"DiscoverFromRoute"` or `{"Interface": "<ifname>"}`.
  public enum InterfaceChoice: Hashable, Sendable {
    /// The interface of the default route (the devices issue reads it through netlink).
    case discoverFromRoute
    /// The interface with this name.
    case name(String)

    /// The schema text of the choices, for messages.
    static let accepted = "\"DiscoverFromRoute\" or {\"Interface\": \"<interface name>\"}"

    /// What an interface name must be: Linux's `dev_valid_name`.
    static let acceptedName =
      "an interface name of 1 to 15 bytes without \"/\", \":\" or whitespace, not \".\" or \"..\""

    /// Reads the choice at `path`.
    init(json value: JSONValue, at path: String) throws(ConfigurationError) {
      let choice = try ConfigurationSchema.variant(
        value, at: path, units: ["DiscoverFromRoute"], tagged: ["Interface"],
        accepted: InterfaceChoice.accepted)
      if choice.name == "DiscoverFromRoute" {
        self = .discoverFromRoute
      } else {
        self = .name(try InterfaceChoice.name(choice.payload, at: choice.path))
      }
    }

    /// Reads an interface name at `path`.
    static func name(_ value: JSONValue, at path: String) throws(ConfigurationError) -> String {
      let name = try ConfigurationSchema.string(value, at: path, accepted: acceptedName)
      try validate(name: name, at: path)
      return name
    }

    /// Checks an interface name found at `path`, as Linux does.
    static func validate(name: String, at path: String) throws(ConfigurationError) {
      let bytes = Array(name.utf8)
      let valid =
        (1...15).contains(bytes.count) && name != "." && name != ".."
        && !bytes.contains { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: ":") || $0 <= 0x20 }
      if !valid {
        throw ConfigurationSchema.error(path, .string(name), acceptedName)
      }
    }

    /// The choice in the schema's JSON form.
    var json: JSONValue {
      switch self {
      case .discoverFromRoute: .string("DiscoverFromRoute")
      case .name(let name): .object([JSONMember(key: "Interface", value: .string(name))])
      }
    }

    /// Checks the choice found at `path`.
    func validate(at path: String) throws(ConfigurationError) {
      if case .name(let name) = self {
        try InterfaceChoice.validate(name: name, at: ConfigurationSchema.child(path, "Interface"))
      }
    }
  }
}
