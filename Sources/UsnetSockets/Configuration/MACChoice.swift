import UsnetStack
import UsnetWire

extension SocketsConfiguration {
  /// Where the stack's Ethernet address comes from (the schema's `Mac`).
  ///
  /// JSON: `"Passthru"`, `"Random"` or `{"Static": "aa:bb:cc:dd:ee:ff"}`.
  public enum MACChoice: Hashable, Sendable {
    /// Copy the parent interface's address. For macvtap `Create` this also selects passthru
    /// mode: the stack takes the NIC over from the kernel.
    case passthru
    /// A random locally administered unicast address, drawn when the device opens.
    case random
    /// This unicast address.
    case `static`(MACAddress)

    /// The schema text of the choices, for messages.
    static func accepted(allowsPassthru: Bool) -> String {
      (allowsPassthru ? "\"Passthru\", " : "")
        + "\"Random\" or {\"Static\": \"aa:bb:cc:dd:ee:ff\"}"
    }

    /// Why `Passthru` is refused where there is no parent interface.
    static let noParent = " (this device has no parent interface to copy from)"

    /// What a static address must be.
    static let acceptedStatic = "a unicast, nonzero MAC address like \"aa:bb:cc:dd:ee:00\""

    /// Reads the choice at `path`.
    init(json value: JSONValue, at path: String, allowsPassthru: Bool) throws(ConfigurationError) {
      var accepted = MACChoice.accepted(allowsPassthru: allowsPassthru)
      if !allowsPassthru, value == .string("Passthru") { accepted += MACChoice.noParent }
      let choice = try ConfigurationSchema.variant(
        value, at: path, units: allowsPassthru ? ["Passthru", "Random"] : ["Random"],
        tagged: ["Static"], accepted: accepted)
      switch choice.name {
      case "Passthru": self = .passthru
      case "Random": self = .random
      default:
        guard case .string(let text) = choice.payload, let address = MACAddress(text),
          address.isUnicast, address != .zero
        else {
          throw ConfigurationSchema.error(choice.path, choice.payload, MACChoice.acceptedStatic)
        }
        self = .static(address)
      }
    }

    /// The choice in the schema's JSON form.
    var json: JSONValue {
      switch self {
      case .passthru: .string("Passthru")
      case .random: .string("Random")
      case .static(let address):
        .object([JSONMember(key: "Static", value: .string(address.description))])
      }
    }

    /// Checks the choice found at `path`.
    func validate(at path: String, allowsPassthru: Bool) throws(ConfigurationError) {
      switch self {
      case .passthru:
        if !allowsPassthru {
          throw ConfigurationSchema.error(
            path, json,
            MACChoice.accepted(allowsPassthru: false) + MACChoice.noParent)
        }
      case .random: break
      case .static(let address):
        if !address.isUnicast || address == .zero {
          throw ConfigurationSchema.error(
            ConfigurationSchema.child(path, "Static"), .string(address.description),
            MACChoice.acceptedStatic)
        }
      }
    }
  }
}
