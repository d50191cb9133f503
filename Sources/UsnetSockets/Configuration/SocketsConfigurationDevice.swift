import UsnetStack

extension SocketsConfiguration {
  /// The device the stack runs on: the `USNET_SOCKETS` JSON value (the original's
  /// `StcpBackend`), plus the usnet extension ``simulated(_:)``.
  ///
  /// ``init(json:)`` reads the original schema strictly and checks every value; ``validate()``
  /// adds what this platform supports. ``description`` writes the JSON back, so
  /// `try Device(json: device.description) == device`.
  public enum Device: Hashable, Sendable, CustomStringConvertible {
    /// `{"MacVtapConfig": ...}`: a macvtap interface on a kernel NIC.
    case macVtap(MacVtapConfig)
    /// `{"TapConfig": ...}`: a TAP interface.
    case tap(TapConfig)
    /// `"RawConfig"`: an AF_PACKET socket on the default route's interface.
    case raw(RawConfig)
    /// `{"UsnetConfig": ...}`: a channel from the usnetd switch.
    case usnetd(UsnetConfig)
    /// `{"NetmapConfig": ...}`: a netmap port. Parses; ``validate()`` rejects it on this platform.
    case netmap(NetmapConfig)
    /// `{"SimulatedConfig": ...}`: a port of an in-process UsnetSim switch (usnet extension).
    case simulated(SimulatedConfig)

    /// The schema text of the choices, for messages.
    static let accepted =
      "{\"MacVtapConfig\": ...}, {\"TapConfig\": ...}, {\"UsnetConfig\": ...},"
      + " {\"NetmapConfig\": ...}, {\"SimulatedConfig\": ...} or \"RawConfig\""

    /// Parses the `USNET_SOCKETS` JSON text and checks every value in it.
    ///
    /// Errors name the field path (like `MacVtapConfig.Create.ipv4.Static.sub`, or
    /// `USNET_SOCKETS` for the whole text), the value given and what is accepted. Unknown and
    /// repeated keys are errors; `"Interface:"` is read as `"Interface"`. Platform limits
    /// (netmap) are left to ``validate()``.
    public init(json text: String) throws(ConfigurationError) {
      let value: JSONValue
      do throws(JSONSyntaxError) {
        value = try JSONParser.parse(text)
      } catch {
        let found = error.found.isEmpty ? "the end of the text" : error.found
        throw ConfigurationError(
          field: ConfigurationSchema.rootName, value: "\(found) at character \(error.position)",
          accepted: error.expected)
      }
      try self.init(json: value)
    }

    /// Reads the parsed `USNET_SOCKETS` value.
    init(json value: JSONValue) throws(ConfigurationError) {
      let choice = try ConfigurationSchema.variant(
        value, at: "", units: ["RawConfig"],
        tagged: ["MacVtapConfig", "TapConfig", "UsnetConfig", "NetmapConfig", "SimulatedConfig"],
        accepted: Device.accepted)
      switch choice.name {
      case "RawConfig": self = .raw(RawConfig())
      case "MacVtapConfig":
        self = .macVtap(try MacVtapConfig(json: choice.payload, at: choice.path))
      case "TapConfig": self = .tap(try TapConfig(json: choice.payload, at: choice.path))
      case "UsnetConfig": self = .usnetd(try UsnetConfig(json: choice.payload, at: choice.path))
      case "NetmapConfig": self = .netmap(try NetmapConfig(json: choice.payload, at: choice.path))
      default: self = .simulated(try SimulatedConfig(json: choice.payload, at: choice.path))
      }
    }

    /// The device in JSON form, as `USNET_SOCKETS` takes it.
    var json: JSONValue {
      func tagged(_ key: String, _ value: JSONValue) -> JSONValue {
        .object([JSONMember(key: key, value: value)])
      }
      switch self {
      case .macVtap(let config): return tagged("MacVtapConfig", config.json)
      case .tap(let config): return tagged("TapConfig", config.json)
      case .raw: return .string("RawConfig")
      case .usnetd(let config): return tagged("UsnetConfig", config.json)
      case .netmap(let config): return tagged("NetmapConfig", config.json)
      case .simulated(let config): return tagged("SimulatedConfig", config.json)
      }
    }

    /// The device as compact `USNET_SOCKETS` JSON.
    public var description: String { json.jsonText }

    /// Checks every value, as ``init(json:)`` does for parsed text, and rejects what this
    /// platform cannot run: netmap (``NetmapConfig`` and usnetd's `NetmapPipe`), because Linux
    /// here has no netmap kernel module.
    public func validate() throws(ConfigurationError) {
      switch self {
      case .macVtap(let config): try config.validate(at: "MacVtapConfig")
      case .tap(let config): try config.validate(at: "TapConfig")
      case .raw: break
      case .usnetd(let config):
        try config.validate(at: "UsnetConfig")
        if config.channel == .netmapPipe {
          throw ConfigurationError(
            field: "UsnetConfig.Interface.ipc", value: "\"NetmapPipe\"",
            accepted: "\"UnixDomainSocket\" (this platform has no netmap kernel module)")
        }
      case .netmap(let config):
        try config.validate(at: "NetmapConfig")
        throw ConfigurationError(
          field: "NetmapConfig", value: "a netmap device",
          accepted: "a device this platform has: TapConfig, MacVtapConfig or RawConfig"
            + " (there is no netmap kernel module here)")
      case .simulated(let config): try config.validate(at: "SimulatedConfig")
      }
    }
  }
}
