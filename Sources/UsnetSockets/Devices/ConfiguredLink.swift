import UsnetDevice
import UsnetWire

/// What the kernel says about the link a ``SocketsConfiguration`` names, for
/// `usnet check-config` and logs: found through rtnetlink, without opening or creating
/// anything.
public struct ConfiguredLink: Hashable, Sendable {
  /// What the link is to the configuration, like `TAP "tap0"` or `parent of a new macvtap`.
  public var role: String
  /// The link's facts, or nil when the link does not exist yet (it is created at start) or
  /// lives in-process.
  public var facts: LinkFacts?
  /// The kernel's IPv4 addresses on the link.
  public var kernelAddresses: [IPv4InterfaceAddress]
  /// What happens at start, or why there is no kernel link.
  public var note: String?
}

extension SocketsConfiguration {
  /// Looks up the link the configured device uses: the TAP or macvtap by name, the parent of a
  /// macvtap to create, the interface of the default route for `DiscoverFromRoute` and
  /// `RawConfig`. Blocks for a few netlink requests; needs no privileges.
  ///
  /// - Throws: a ``NetError`` for a netlink failure (`ENODEV` for a name that does not
  ///   exist), or `networkUnreachable` when `DiscoverFromRoute` finds no default route.
  public func inspectLink() throws(NetError) -> ConfiguredLink {
    do throws(DeviceError) {
      let netlink = try NetlinkSocket.open()
      defer { try? netlink.close() }
      switch device {
      case .tap(.create(_, _, let hostIP)):
        return ConfiguredLink(
          role: "a new TAP", facts: nil, kernelAddresses: [],
          note: "created at start as usnet<N>, with the kernel side at \(hostIP)")
      case .tap(.interface(let name, _, _)):
        return try Self.link(.name(name), role: "TAP \"\(name)\"", netlink)
      case .macVtap(.create(let mac, let parent, _)):
        let mode = mac == .passthru ? "passthru" : "bridge"
        var link = try Self.link(
          try Self.reference(parent, netlink), role: "parent of a new macvtap", netlink)
        link.note = "a macvtap in \(mode) mode is created on it at start"
        return link
      case .macVtap(.interface(let name, _)):
        return try Self.link(.name(name), role: "macvtap \"\(name)\"", netlink)
      case .raw:
        return try Self.link(
          try Self.reference(.discoverFromRoute, netlink), role: "AF_PACKET interface", netlink)
      case .usnetd(let config):
        return try Self.link(
          try Self.reference(config.interface, netlink), role: "interface usnetd shares",
          netlink)
      case .netmap:
        return ConfiguredLink(
          role: "netmap port", facts: nil, kernelAddresses: [],
          note: "this platform has no netmap kernel module")
      case .simulated(let simulated):
        return ConfiguredLink(
          role: "simulated port \"\(simulated.port)\"", facts: nil, kernelAddresses: [],
          note: "in-process: attached through UserspaceRuntime(configuration:device:)")
      }
    } catch {
      throw NetError(error)
    }
  }

  private static func link(
    _ reference: LinkReference, role: String, _ netlink: NetlinkSocket
  ) throws(DeviceError) -> ConfiguredLink {
    let facts = try netlink.link(reference)
    let addresses = try netlink.ipv4Addresses(of: .index(facts.index))
    return ConfiguredLink(role: role, facts: facts, kernelAddresses: addresses, note: nil)
  }

  /// The link `choice` names: by name, or the default route's interface.
  static func reference(
    _ choice: InterfaceChoice, _ netlink: NetlinkSocket
  ) throws(DeviceError) -> LinkReference {
    switch choice {
    case .name(let name):
      return .name(name)
    case .discoverFromRoute:
      guard let index = try netlink.defaultRoute()?.outputLinkIndex else {
        throw DeviceError(
          call: "netlink(RTM_GETROUTE)", errno: 101, detail: "DiscoverFromRoute: no default route")
      }
      return .index(index)
    }
  }
}
