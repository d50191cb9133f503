extension NetlinkSocket {
  /// The facts of one link (RTM_GETLINK).
  ///
  /// Blocks until the kernel answers; see ``NetlinkSocket`` for threading.
  /// - Throws: ``DeviceError``: ENODEV when there is no such link, EINVAL for a bad name or
  ///   index 0 (before any call), or what ``NetlinkSocket`` lists.
  public func link(_ link: LinkReference) throws(DeviceError) -> LinkFacts {
    let call = "netlink(RTM_GETLINK)"
    let selector = try link.selector(call: call)
    let request = NetlinkRequest(
      name: "RTM_GETLINK", type: RouteNetlink.getLink, flags: 0,
      header: InterfaceInfoHeader(index: selector.index).bytes, attributes: selector.attributes,
      detail: link.description)
    let facts = try parse(perform(request), of: request, LinkFacts.init(message:))
    guard let first = facts.first else {
      throw DeviceError(call: call, errno: RouteNetlink.noDevice, detail: link.description)
    }
    return first
  }

  /// The facts of every link in the socket's namespace (an RTM_GETLINK dump), in the
  /// kernel's order (by index).
  ///
  /// Blocks until the kernel has sent the whole dump; see ``NetlinkSocket`` for threading.
  /// - Throws: ``DeviceError`` as ``NetlinkSocket`` lists.
  public func links() throws(DeviceError) -> [LinkFacts] {
    let request = NetlinkRequest(
      name: "RTM_GETLINK", type: RouteNetlink.getLink, flags: RouteNetlink.dump,
      header: InterfaceInfoHeader().bytes, attributes: [], detail: "all links")
    return try parse(perform(request), of: request, LinkFacts.init(message:))
  }

  /// The IPv4 addresses of `link`, or of every link when `link` is nil (an RTM_GETADDR dump).
  ///
  /// Blocks until the kernel has answered (a link named by name costs one more request);
  /// see ``NetlinkSocket`` for threading.
  /// - Throws: ``DeviceError``: ENODEV when there is no such link, EINVAL for a bad name or
  ///   index 0, or what ``NetlinkSocket`` lists.
  public func ipv4Addresses(
    of link: LinkReference? = nil
  ) throws(DeviceError) -> [IPv4InterfaceAddress] {
    var linkIndex: UInt32?
    if let link {
      linkIndex = try index(of: link, call: "netlink(RTM_GETADDR)")
    }
    let request = NetlinkRequest(
      name: "RTM_GETADDR", type: RouteNetlink.getAddress, flags: RouteNetlink.dump,
      header: InterfaceAddressHeader(family: RouteNetlink.ipv4Family, prefixLength: 0, index: 0)
        .bytes,
      attributes: [], detail: link?.description ?? "all links")
    let addresses = try parse(perform(request), of: request, IPv4InterfaceAddress.init(message:))
    return addresses.compactMap { $0 }.filter { linkIndex == nil || $0.linkIndex == linkIndex }
  }

  /// The route the kernel would use for `destination` (RTM_GETROUTE with RTA_DST, like
  /// `ip route get`): output link, gateway if any, preferred source. `route(to: 1)` is
  /// `ip route get 1`, the lookup behind the configuration's `DiscoverFromRoute`. With
  /// `outputLink`, the lookup is restricted to that link (`ip route get ... oif`).
  ///
  /// Addresses are a.b.c.d as `a << 24 | b << 16 | c << 8 | d`. Blocks until the kernel
  /// answers; see ``NetlinkSocket`` for threading.
  /// - Throws: ``DeviceError``: ENETUNREACH when no route leads there, ENODEV for an unknown
  ///   output link, EINVAL for a bad name or index 0, or what ``NetlinkSocket`` lists.
  public func route(
    to destination: UInt32, outputLink: LinkReference? = nil
  ) throws(DeviceError) -> IPv4Route {
    let call = "netlink(RTM_GETROUTE)"
    var attributes = [NetlinkAttribute(type: RouteNetlink.routeDestination, ipv4: destination)]
    if let outputLink {
      let outputIndex = try index(of: outputLink, call: call)
      attributes.append(NetlinkAttribute(type: RouteNetlink.routeOutputLink, uint32: outputIndex))
    }
    let request = NetlinkRequest(
      name: "RTM_GETROUTE", type: RouteNetlink.getRoute, flags: 0,
      header: RouteHeader(family: RouteNetlink.ipv4Family, destinationLength: 32).bytes,
      attributes: attributes, detail: "route to \(Self.dotted(destination))")
    let routes = try parse(perform(request), of: request, IPv4Route.init(message:))
    guard let route = routes.compactMap({ $0 }).first else {
      throw DeviceError(
        call: call, errno: RouteNetlink.badMessage, detail: "\(request.detail): no IPv4 answer")
    }
    return route
  }

  /// The default route of the main table with the lowest metric (an RTM_GETROUTE dump), or
  /// nil when there is none.
  ///
  /// Blocks until the kernel has sent the whole dump; see ``NetlinkSocket`` for threading.
  /// - Throws: ``DeviceError`` as ``NetlinkSocket`` lists.
  public func defaultRoute() throws(DeviceError) -> IPv4Route? {
    let request = NetlinkRequest(
      name: "RTM_GETROUTE", type: RouteNetlink.getRoute, flags: RouteNetlink.dump,
      header: RouteHeader(family: RouteNetlink.ipv4Family, destinationLength: 0).bytes,
      attributes: [], detail: "default route")
    let routes = try parse(perform(request), of: request, IPv4Route.init(message:))
    return IPv4Route.preferredDefault(among: routes.compactMap { $0 })
  }

  /// The index of `link`: checked when given, looked up (RTM_GETLINK) when named.
  /// - Throws: ``DeviceError`` with EINVAL and `call` for index 0 or a bad name, or what
  ///   ``link(_:)`` throws.
  func index(of link: LinkReference, call: String) throws(DeviceError) -> UInt32 {
    switch link {
    case .index:
      try link.selector(call: call).index
    case .name:
      try self.link(link).index
    }
  }

  /// `a.b.c.d` for error details.
  static func dotted(_ address: UInt32) -> String {
    stride(from: 24, through: 0, by: -8).map { String(address >> UInt32($0) & 0xFF) }
      .joined(separator: ".")
  }
}
