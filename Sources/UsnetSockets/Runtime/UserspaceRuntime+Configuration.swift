import UsnetStack
import UsnetWire

extension UserspaceRuntime {
  /// Starts a runtime for `configuration` (the device and the knobs of `USNET_SOCKETS` and
  /// its companion variables). Does not block beyond starting the engine thread.
  ///
  /// Only `SimulatedConfig` devices can be attached so far: the runtime takes the
  /// ``RealTimeSwitch`` port registered under the configured name, with the configured MAC
  /// (`"Random"`: a random locally administered address) and static IPv4 identity, on the
  /// port link's MTU less `REDUCE_MTU_BY`.
  ///
  /// - Throws: `invalidInput` naming the field for a configuration that does not validate;
  ///   `addrNotAvailable` when no port is registered under the name; `unsupported` for the
  ///   kernel-backed devices (TAP, macvtap, AF_PACKET, usnetd, netmap), which are not built
  ///   yet.
  public convenience init(configuration: SocketsConfiguration) throws(NetError) {
    do throws(ConfigurationError) {
      try configuration.validate()
    } catch {
      throw NetError(error)
    }
    guard case .simulated(let simulated) = configuration.device else {
      throw NetError(
        .unsupported,
        message: "USNET_SOCKETS names a \(configuration.device.kindName) device, and devices"
          + " backed by the kernel are not built yet; only {\"SimulatedConfig\": ...} (a"
          + " RealTimeSwitch port registered in this process) can be attached so far")
    }
    guard let port = SimulatedPortRegistry.port(named: simulated.port) else {
      let names = SimulatedPortRegistry.names
      throw NetError(
        .addrNotAvailable,
        message: "no simulated port is registered as \"\(simulated.port)\" in this process ("
          + (names.isEmpty
            ? "none is; a RealTimeSwitch registers its ports with register(port:as:)"
            : "registered: " + names.joined(separator: ", ")) + ")")
    }
    let mac: MACAddress
    switch simulated.mac {
    case .static(let address): mac = address
    case .random, .passthru: mac = Self.randomMAC()
    }
    let base = StackConfiguration(
      interface: InterfaceConfiguration(
        macAddress: mac, addresses: [simulated.ipv4.network], gateway: simulated.ipv4.gateway,
        mtu: port.mtu))
    let stackConfiguration: StackConfiguration
    do throws(ConfigurationError) {
      stackConfiguration = try configuration.stackConfiguration(adjusting: base)
    } catch {
      throw NetError(error)
    }
    try self.init(configuration: stackConfiguration, device: port.device)
  }

  /// Reads the configuration from `environment` (`USNET_SOCKETS`, `REDUCE_MTU_BY`,
  /// `SOCKET_BACKLOG`, `SOCKET_BUFFER`, `BG_THREAD_PIN_CPU_ID`; pass `ProcessInfo`'s
  /// environment) and starts a runtime for it as ``init(configuration:)`` does.
  ///
  /// - Throws: `invalidInput` with the field, the value and what is accepted when a variable
  ///   is missing or bad; otherwise what ``init(configuration:)`` throws.
  public convenience init(environment: [String: String]) throws(NetError) {
    let configuration: SocketsConfiguration
    do throws(ConfigurationError) {
      configuration = try SocketsConfiguration(environment: environment)
    } catch {
      throw NetError(error)
    }
    try self.init(configuration: configuration)
  }

  /// A random locally administered unicast Ethernet address.
  private static func randomMAC() -> MACAddress {
    var generator = SystemRandomNumberGenerator()
    let bits = generator.next() & 0xFEFF_FFFF_FFFF | 0x0200_0000_0000
    return MACAddress(rawValue: bits)
  }
}

extension SocketsConfiguration.Device {
  /// The device's JSON key, like `TapConfig`, for messages.
  var kindName: String {
    switch self {
    case .macVtap: "MacVtapConfig"
    case .tap: "TapConfig"
    case .raw: "RawConfig"
    case .usnetd: "UsnetConfig"
    case .netmap: "NetmapConfig"
    case .simulated: "SimulatedConfig"
    }
  }
}
