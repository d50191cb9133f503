import UsnetDevice
import UsnetStack
import UsnetWire

#if canImport(Glibc)
  import Glibc
#endif

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
    case .macVtap(let macVtap):
      return try openMacVtap(macVtap)
    case .raw:
      return try openPacket()
    case .usnetd:
      throw Self.notBuilt("UsnetConfig", "the usnetd switch daemon (a later issue)")
    case .netmap:
      throw NetError(
        .unsupported,
        message: "NetmapConfig: this platform has no netmap kernel module; use TapConfig, "
          + "MacVtapConfig or RawConfig")
    case .simulated(let simulated):
      return try openSimulated(simulated)
    }
  }

  /// Attaches to the ``RealTimeSwitch`` port registered under the configured name, on its
  /// link's MTU.
  private func openSimulated(_ simulated: SimulatedConfig) throws(NetError) -> ConfiguredDevice {
    guard let port = SimulatedPortRegistry.port(named: simulated.port) else {
      let names = SimulatedPortRegistry.names
      throw NetError(
        .addrNotAvailable,
        message: "no simulated port is registered as \"\(simulated.port)\" in this process ("
          + (names.isEmpty
            ? "none is; a RealTimeSwitch registers its ports with register(port:as:)"
            : "registered: " + names.joined(separator: ", ")) + ")")
    }
    return ConfiguredDevice(
      device: port.device,
      stack: try stackConfiguration(
        mac: simulated.mac.resolved(), identity: simulated.ipv4, linkMTU: port.mtu))
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

  /// Creates a macvtap on the parent (passthru mode for a `Passthru` MAC, bridge mode
  /// otherwise; deleted with the device) or attaches the named one.
  private func openMacVtap(_ macVtap: MacVtapConfig) throws(NetError) -> ConfiguredDevice {
    let device: MacVtapFrameDevice
    let ipv4: IPv4Choice
    let parentIndex: UInt32?
    switch macVtap {
    case .create(let mac, let parent, let choice):
      let parentLink = try Self.withNetlink { netlink throws(DeviceError) in
        try netlink.link(try Self.reference(parent, netlink))
      }
      let name = "usnetvt\(getpid() % 100_000)"
      if mac == .passthru {
        device = try MacVtapFrameDevice(
          creating: name, on: parentLink.name, mode: .passthru)
      } else {
        device = try MacVtapFrameDevice(
          creating: name, on: parentLink.name, mode: .bridge, macAddress: try mac.resolved())
      }
      (ipv4, parentIndex) = (choice, parentLink.index)
    case .interface(let name, let choice):
      device = try MacVtapFrameDevice(attachingTo: name)
      (ipv4, parentIndex) = (choice, device.link.parentIndex)
    }
    let identity = try Self.identity(ipv4, copiedFrom: parentIndex, field: "MacVtapConfig.ipv4")
    return ConfiguredDevice(
      device: device,
      stack: try stackConfiguration(
        mac: device.macAddress, identity: identity, linkMTU: device.mtu))
  }

  /// AF_PACKET on the default route's interface, with its MAC, address and gateway (as the
  /// original: the kernel keeps the same identity, so it must be kept from answering, by
  /// usnetd or a firewall).
  private func openPacket() throws(NetError) -> ConfiguredDevice {
    let index = try Self.withNetlink { netlink throws(DeviceError) in
      try netlink.link(try Self.reference(.discoverFromRoute, netlink)).index
    }
    let device = try PacketFrameDevice(interface: .index(index))
    let identity = try Self.identity(.passthru, copiedFrom: index, field: "RawConfig")
    return ConfiguredDevice(
      device: device,
      stack: try stackConfiguration(
        mac: device.hardwareAddress, identity: identity, linkMTU: device.mtu))
  }

  /// The static identity, or for `Passthru` the first IPv4 address of link `index` with the
  /// default route's gateway.
  private static func identity(
    _ choice: IPv4Choice, copiedFrom index: UInt32?, field: String
  ) throws(NetError) -> StaticIPv4 {
    if case .static(let identity) = choice { return identity }
    let found = try withNetlink { netlink throws(DeviceError) -> StaticIPv4? in
      guard let index,
        let address = try netlink.ipv4Addresses(of: .index(index)).first,
        let gateway = try netlink.defaultRoute()?.gateway
      else { return nil }
      return StaticIPv4(
        address: IPv4Address(rawValue: address.address), prefixLength: address.prefixLength,
        gateway: IPv4Address(rawValue: gateway))
    }
    guard let found else {
      throw NetError(
        .addrNotAvailable,
        message: "\(field): \"Passthru\" copies the interface's IPv4 address and the default "
          + "gateway, and the kernel has no such address or no default route")
    }
    return found
  }

  /// Runs `body` on a fresh netlink socket, mapping its error.
  private static func withNetlink<R>(
    _ body: (NetlinkSocket) throws(DeviceError) -> R
  ) throws(NetError) -> R {
    do throws(DeviceError) {
      let netlink = try NetlinkSocket.open()
      defer { try? netlink.close() }
      return try body(netlink)
    } catch {
      throw NetError(error)
    }
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
