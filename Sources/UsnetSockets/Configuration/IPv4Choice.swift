import UsnetStack

extension SocketsConfiguration {
  /// Where the stack's IPv4 identity comes from (the schema's `IpV4`).
  ///
  /// JSON: `"Passthru"` or `{"Static": {"ipv4": "a.b.c.d", "sub": n, "gateway": "a.b.c.d"}}`.
  /// The original's `"Dhcp"` is rejected: DHCP for the stack's own address is not implemented.
  public enum IPv4Choice: Hashable, Sendable {
    /// Copy the parent interface's address, prefix and default gateway.
    case passthru
    /// This fixed identity.
    case `static`(StaticIPv4)

    /// The schema text of the choices, for messages.
    static let accepted = "\"Passthru\" or " + StaticIPv4.accepted

    /// Reads the choice at `path`; `allowsPassthru` is false where only `Static` exists.
    init(json value: JSONValue, at path: String, allowsPassthru: Bool) throws(ConfigurationError) {
      var accepted = allowsPassthru ? IPv4Choice.accepted : StaticIPv4.accepted
      if !allowsPassthru, value == .string("Passthru") {
        accepted += MACChoice.noParent
      } else if value == .string("Dhcp") {
        accepted += " (DHCP for the stack's own address is not implemented yet)"
      }
      let choice = try ConfigurationSchema.variant(
        value, at: path, units: allowsPassthru ? ["Passthru"] : [], tagged: ["Static"],
        accepted: accepted)
      if choice.name == "Passthru" {
        self = .passthru
      } else {
        self = .static(try StaticIPv4(json: choice.payload, at: choice.path))
      }
    }

    /// The choice in the schema's JSON form.
    var json: JSONValue {
      switch self {
      case .passthru: .string("Passthru")
      case .static(let identity): .object([JSONMember(key: "Static", value: identity.json)])
      }
    }

    /// Checks the choice found at `path`.
    func validate(at path: String) throws(ConfigurationError) {
      if case .static(let identity) = self {
        try identity.validate(at: ConfigurationSchema.child(path, "Static"))
      }
    }
  }
}
