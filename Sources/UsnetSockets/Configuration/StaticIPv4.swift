import UsnetStack
import UsnetWire

extension SocketsConfiguration {
  /// A fixed IPv4 identity: the stack's address with its on-link prefix, and the default gateway
  /// (the schema's `{"Static": {"ipv4": "a.b.c.d", "sub": n, "gateway": "a.b.c.d"}}`).
  public struct StaticIPv4: Hashable, Sendable {
    /// The stack's address and on-link prefix.
    public var network: IPv4Network
    /// The default gateway; it must lie inside ``network`` and differ from its address.
    public var gateway: IPv4Address

    /// Creates the identity from a network and a gateway.
    public init(network: IPv4Network, gateway: IPv4Address) {
      self.network = network
      self.gateway = gateway
    }

    /// Creates the identity from its three schema fields; nil unless `prefixLength` is 0...32.
    public init?(address: IPv4Address, prefixLength: Int, gateway: IPv4Address) {
      guard let network = IPv4Network(address: address, prefixLength: prefixLength) else {
        return nil
      }
      self.init(network: network, gateway: gateway)
    }

    /// The stack's address (`ipv4`).
    public var address: IPv4Address { network.address }
    /// The on-link prefix length (`sub`).
    public var prefixLength: Int { network.prefixLength }

    /// The schema text of the value, for messages.
    static let accepted =
      "{\"Static\": {\"ipv4\": \"a.b.c.d\", \"sub\": 0 to 32, \"gateway\": \"a.b.c.d\"}}"

    /// What the stack's address must be.
    static let acceptedAddress =
      "a unicast IPv4 address like \"192.168.1.200\" (not 0.0.0.0, 127.x, multicast or broadcast)"

    /// What the prefix length must be.
    static let acceptedPrefix = "an integer prefix length from 0 to 32"

    /// What the gateway must be, before it is compared with the address.
    static let acceptedGateway = "a dotted-quad IPv4 address like \"192.168.1.1\""

    /// Reads the payload of `Static` at `path`.
    init(json value: JSONValue, at path: String) throws(ConfigurationError) {
      let members = try ConfigurationSchema.members(
        value, at: path,
        fields: [
          ("ipv4", StaticIPv4.acceptedAddress), ("sub", StaticIPv4.acceptedPrefix),
          ("gateway", StaticIPv4.acceptedGateway),
        ])
      let addressPath = ConfigurationSchema.child(path, "ipv4")
      let address = try ConfigurationSchema.ipv4Address(
        members["ipv4", default: .null], at: addressPath, accepted: StaticIPv4.acceptedAddress)
      let subPath = ConfigurationSchema.child(path, "sub")
      let prefixLength = try ConfigurationSchema.integer(
        members["sub", default: .null], at: subPath, in: 0...32,
        accepted: StaticIPv4.acceptedPrefix)
      let gatewayPath = ConfigurationSchema.child(path, "gateway")
      let gateway = try ConfigurationSchema.ipv4Address(
        members["gateway", default: .null], at: gatewayPath,
        accepted: StaticIPv4.acceptedGateway)
      guard
        let identity = StaticIPv4(address: address, prefixLength: prefixLength, gateway: gateway)
      else {
        throw ConfigurationSchema.error(subPath, .number("\(prefixLength)"), "0 to 32")
      }
      try identity.validate(at: path)
      self = identity
    }

    /// The payload of `Static` in the schema's JSON form.
    var json: JSONValue {
      .object([
        JSONMember(key: "ipv4", value: .string(address.description)),
        JSONMember(key: "sub", value: .number("\(prefixLength)")),
        JSONMember(key: "gateway", value: .string(gateway.description)),
      ])
    }

    /// Checks the identity found at `path` (the path of the `Static` payload).
    func validate(at path: String) throws(ConfigurationError) {
      if !StaticIPv4.isUnicast(address) {
        throw ConfigurationSchema.error(
          ConfigurationSchema.child(path, "ipv4"), .string(address.description),
          StaticIPv4.acceptedAddress)
      }
      if !network.contains(gateway) || gateway == address || !StaticIPv4.isUnicast(gateway) {
        throw ConfigurationSchema.error(
          ConfigurationSchema.child(path, "gateway"), .string(gateway.description),
          "a unicast address inside \(network.networkAddress)/\(prefixLength) other than"
            + " \(address)")
      }
    }

    /// True for an address a host may use as its own or as a next hop.
    static func isUnicast(_ address: IPv4Address) -> Bool {
      !address.isUnspecified && !address.isLoopback && !address.isMulticast
        && !address.isLimitedBroadcast
    }
  }
}
