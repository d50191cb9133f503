import UsnetDevice
import UsnetStack
import UsnetWire

/// A device opened from a ``SocketsConfiguration``, with the stack configuration that goes
/// with it (the identity from the configuration, the MTU from the link, the knobs applied).
struct ConfiguredDevice {
  /// The opened device.
  let device: any FrameDevice
  /// The stack's configuration on it.
  let stack: StackConfiguration
}

extension SocketsConfiguration {
  /// Opens the configured device (creating its link when the configuration says so), wraps
  /// it in a ``PcapRecordingDevice`` when ``pcapPath`` is set, and builds the stack
  /// configuration for it. Blocks for the opens, ioctls and netlink
  /// requests.
  ///
  /// - Throws: `invalidInput` for a configuration error (naming the field), the device's
  ///   error (`permissionDenied` without CAP_NET_ADMIN …), or `unsupported` for a device
  ///   this build cannot open yet, saying so.
  func openDevice() throws(NetError) -> ConfiguredDevice {
    do throws(ConfigurationError) {
      try validate()
    } catch {
      throw NetError(error)
    }
    let opened = try openLink()
    guard let pcapPath else { return opened }
    return ConfiguredDevice(
      device: try PcapRecordingDevice(recording: opened.device, to: pcapPath),
      stack: opened.stack)
  }

  /// Opens the configured link itself, without recording.
  private func openLink() throws(NetError) -> ConfiguredDevice {
    switch device {
    case .tap(let tap):
      return try openTAP(tap)
    case .macVtap:
      throw Self.notBuilt("MacVtapConfig", "a macvtap device")
    case .raw:
      throw Self.notBuilt("RawConfig", "an AF_PACKET device")
    case .usnetd:
      throw Self.notBuilt("UsnetConfig", "the usnetd switch daemon (a later issue)")
    case .netmap:
      throw NetError(
        .unsupported,
        message: "NetmapConfig: this platform has no netmap kernel module; use TapConfig, "
          + "MacVtapConfig or RawConfig")
    case .simulated(let simulated):
      throw NetError(
        .unsupported,
        message: "SimulatedConfig port \"\(simulated.port)\": attach a simulated port through "
          + "UserspaceRuntime(configuration:device:) with the port's device")
    }
  }

  /// Opens (or creates) the TAP of `tap`: a created TAP gets the kernel side's `host_ip` and
  /// is brought up; it disappears with the runtime (it is not persistent).
  private func openTAP(_ tap: TapConfig) throws(NetError) -> ConfiguredDevice {
    let name: String
    let mac: MACChoice
    let identity: StaticIPv4
    var hostIP: IPv4Address?
    switch tap {
    case .create(let chosenMAC, let ipv4, let host):
      (name, mac, identity, hostIP) = ("usnet%d", chosenMAC, ipv4, host)
    case .interface(let existing, let chosenMAC, let ipv4):
      (name, mac, identity) = (existing, chosenMAC, ipv4)
    }
    let device = try TAPFrameDevice(name: name)
    let link: LinkFacts
    do throws(DeviceError) {
      let netlink = try NetlinkSocket.open()
      defer { try? netlink.close() }
      if let hostIP {
        try netlink.addIPv4Address(
          hostIP.rawValue, prefixLength: identity.prefixLength, to: .name(device.name))
        try netlink.setLink(.name(device.name), up: true)
      }
      link = try netlink.link(.name(device.name))
    } catch {
      throw NetError(error)
    }
    return ConfiguredDevice(
      device: device,
      stack: try stackConfiguration(mac: mac.resolved(), identity: identity, linkMTU: link.mtu))
  }

  /// The stack configuration for `mac` and `identity` on a link of `linkMTU`, knobs applied.
  private func stackConfiguration(
    mac: MACAddress, identity: StaticIPv4, linkMTU: Int
  ) throws(NetError) -> StackConfiguration {
    let base = StackConfiguration(
      interface: InterfaceConfiguration(
        macAddress: mac, addresses: [identity.network], gateway: identity.gateway,
        mtu: linkMTU))
    do throws(ConfigurationError) {
      return try stackConfiguration(adjusting: base)
    } catch {
      throw NetError(error)
    }
  }

  /// The error for a device kind whose backend is not in this build yet.
  private static func notBuilt(_ kind: String, _ what: String) -> NetError {
    NetError(
      .unsupported,
      message: "\(kind): \(what) is not built yet; use TapConfig, or attach a device through "
        + "UserspaceRuntime(configuration:device:)")
  }
}

extension SocketsConfiguration.MACChoice {
  /// The address to use: the static one, or a fresh random locally administered unicast
  /// address for `Random`.
  ///
  /// - Throws: `invalidInput` for `Passthru`, which only a macvtap can honour.
  func resolved() throws(NetError) -> MACAddress {
    switch self {
    case .static(let address):
      return address
    case .random:
      var generator = SystemRandomNumberGenerator()
      let bits = generator.next() & 0xFEFF_FFFF_FFFF
      return MACAddress(rawValue: bits | 0x0200_0000_0000)
    case .passthru:
      throw NetError(
        .invalidInput, message: "mac: \"Passthru\" needs a macvtap in passthru mode")
    }
  }
}
