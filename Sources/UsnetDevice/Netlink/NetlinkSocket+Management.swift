extension NetlinkSocket {
  /// Creates a veth pair, `name` and `peerName`, both down (RTM_NEWLINK, kind `veth`), and
  /// returns both ends' facts. Deleting either end deletes both.
  ///
  /// Blocks until the kernel has answered (three requests); see ``NetlinkSocket`` for
  /// threading.
  /// - Throws: ``DeviceError``: EEXIST when a name is taken, EPERM without CAP_NET_ADMIN,
  ///   EINVAL for a bad name (before any call), or what ``NetlinkSocket`` lists.
  public func createVethPair(
    named name: String, peerNamed peerName: String
  ) throws(DeviceError) -> (link: LinkFacts, peer: LinkFacts) {
    let call = "netlink(RTM_NEWLINK)"
    try LinkReference.checkName(name, call: call)
    try LinkReference.checkName(peerName, call: call)
    let peer = NetlinkAttribute(
      type: RouteNetlink.vethPeer, header: InterfaceInfoHeader().bytes,
      nested: [NetlinkAttribute(type: RouteNetlink.linkName, string: peerName)])
    let info = NetlinkAttribute(
      type: RouteNetlink.linkInfo,
      nested: [
        NetlinkAttribute(type: RouteNetlink.linkInfoKind, string: "veth"),
        NetlinkAttribute(type: RouteNetlink.linkInfoData, nested: [peer]),
      ])
    try createLink(
      attributes: [NetlinkAttribute(type: RouteNetlink.linkName, string: name), info],
      detail: "create veth \(name) with peer \(peerName)")
    return (try link(.name(name)), try link(.name(peerName)))
  }

  /// Creates a macvtap `name` on `parent` in `mode`, down, with `hardwareAddress` as its MAC
  /// (nil: the kernel picks a random one), and returns its facts (RTM_NEWLINK, kind
  /// `macvtap`). In passthru mode the macvtap always takes its parent's MAC, so
  /// `hardwareAddress` must be nil there.
  ///
  /// Its character device is `/dev/tap<index>` (lab note G2: the index is per namespace, so
  /// read `major:minor` from sysfs inside the namespace). Deleting the parent deletes it.
  /// Blocks until the kernel has answered (two or three requests); see ``NetlinkSocket`` for
  /// threading.
  /// - Throws: ``DeviceError``: EEXIST when the name is taken, EBUSY when passthru mode finds
  ///   the parent in use, ENODEV for an unknown parent, EPERM without CAP_NET_ADMIN, EINVAL
  ///   for a bad name, an address that is not 6 bytes of unicast, or an address in passthru
  ///   mode (before any call), or what ``NetlinkSocket`` lists.
  public func createMacvtap(
    named name: String, on parent: LinkReference, mode: MacvtapMode,
    hardwareAddress: [UInt8]? = nil
  ) throws(DeviceError) -> LinkFacts {
    let call = "netlink(RTM_NEWLINK)"
    try LinkReference.checkName(name, call: call)
    var attributes = [NetlinkAttribute(type: RouteNetlink.linkName, string: name)]
    if let hardwareAddress {
      guard hardwareAddress.count == 6, hardwareAddress[0] & 1 == 0, mode != .passthru else {
        throw DeviceError(
          call: call, errno: DeviceError.invalidArgument,
          detail: "macvtap \(name) in \(mode) mode: hardware address \(hardwareAddress) must be "
            + "6 bytes of unicast, and passthru mode takes the parent's")
      }
      attributes.append(NetlinkAttribute(type: RouteNetlink.linkAddress, payload: hardwareAddress))
    }
    let parentIndex = try index(of: parent, call: call)
    attributes.append(NetlinkAttribute(type: RouteNetlink.linkParent, uint32: parentIndex))
    attributes.append(
      NetlinkAttribute(
        type: RouteNetlink.linkInfo,
        nested: [
          NetlinkAttribute(type: RouteNetlink.linkInfoKind, string: "macvtap"),
          NetlinkAttribute(
            type: RouteNetlink.linkInfoData,
            nested: [NetlinkAttribute(type: RouteNetlink.macvlanMode, uint32: mode.rawValue)]),
        ]))
    try createLink(
      attributes: attributes, detail: "create macvtap \(name) on \(parent) in \(mode) mode")
    return try link(.name(name))
  }

  /// Sets `link` administratively up or down (RTM_SETLINK changing IFF_UP), like
  /// `ip link set ... up`.
  ///
  /// Blocks until the kernel has answered; see ``NetlinkSocket`` for threading.
  /// - Throws: ``DeviceError``: ENODEV when there is no such link, EPERM without
  ///   CAP_NET_ADMIN, EINVAL for a bad name or index 0 (before any call), or what
  ///   ``NetlinkSocket`` lists.
  public func setLink(_ link: LinkReference, up: Bool) throws(DeviceError) {
    try changeLink(
      link, flags: up ? RouteNetlink.linkUp : 0, change: RouteNetlink.linkUp, attributes: [],
      detail: "set \(link) \(up ? "up" : "down")")
  }

  /// Sets the MTU of `link` (RTM_SETLINK with IFLA_MTU).
  ///
  /// Blocks until the kernel has answered; see ``NetlinkSocket`` for threading.
  /// - Throws: ``DeviceError``: EINVAL for an MTU the link does not accept (or one outside
  ///   0...UInt32.max, or a bad name or index 0, before any call), ENODEV when there is no such
  ///   link, EPERM without CAP_NET_ADMIN, or what ``NetlinkSocket`` lists.
  public func setMTU(_ mtu: Int, of link: LinkReference) throws(DeviceError) {
    guard let value = UInt32(exactly: mtu) else {
      throw DeviceError(
        call: "netlink(RTM_SETLINK)", errno: DeviceError.invalidArgument,
        detail: "MTU \(mtu) of \(link) is out of range")
    }
    try changeLink(
      link, flags: 0, change: 0,
      attributes: [NetlinkAttribute(type: RouteNetlink.linkMTU, uint32: value)],
      detail: "set MTU \(mtu) on \(link)")
  }

  /// Adds the IPv4 address `address`/`prefixLength` to `link` (RTM_NEWADDR with IFA_LOCAL and
  /// IFA_ADDRESS), like `ip address add a.b.c.d/len dev ...`; the kernel adds the prefix
  /// route when the link is up.
  ///
  /// `address` is a.b.c.d as `a << 24 | b << 16 | c << 8 | d`. Blocks until the kernel has
  /// answered (one more request for a link named by name); see ``NetlinkSocket`` for
  /// threading.
  /// - Throws: ``DeviceError``: EEXIST when the link already has the address, ENODEV when
  ///   there is no such link, EPERM without CAP_NET_ADMIN, EINVAL for a prefix length outside
  ///   0...32, a bad name or index 0 (before any call), or what ``NetlinkSocket`` lists.
  public func addIPv4Address(
    _ address: UInt32, prefixLength: Int, to link: LinkReference
  ) throws(DeviceError) {
    let call = "netlink(RTM_NEWADDR)"
    let detail = "add \(Self.dotted(address))/\(prefixLength) to \(link)"
    guard let length = UInt8(exactly: prefixLength), length <= 32 else {
      throw DeviceError(call: call, errno: DeviceError.invalidArgument, detail: detail)
    }
    let index = try index(of: link, call: call)
    let request = NetlinkRequest(
      name: "RTM_NEWADDR", type: RouteNetlink.newAddress, flags: Self.createFlags,
      header: InterfaceAddressHeader(
        family: RouteNetlink.ipv4Family, prefixLength: length, index: index
      ).bytes,
      attributes: [
        NetlinkAttribute(type: RouteNetlink.addressLocal, ipv4: address),
        NetlinkAttribute(type: RouteNetlink.addressAddress, ipv4: address),
      ],
      detail: detail)
    _ = try perform(request)
  }

  /// Deletes `link` (RTM_DELLINK), like `ip link delete`: veth pairs (both ends go), macvtaps,
  /// bridges, and TUN/TAP devices made by ``TAPDevice`` (an fd still attached then reads and
  /// writes errors).
  ///
  /// Blocks until the kernel has answered; see ``NetlinkSocket`` for threading.
  /// - Throws: ``DeviceError``: ENODEV when there is no such link, EOPNOTSUPP for a link that
  ///   cannot be deleted (loopback, physical NICs), EPERM without CAP_NET_ADMIN, EINVAL for a
  ///   bad name or index 0 (before any call), or what ``NetlinkSocket`` lists.
  public func deleteLink(_ link: LinkReference) throws(DeviceError) {
    let selector = try link.selector(call: "netlink(RTM_DELLINK)")
    let request = NetlinkRequest(
      name: "RTM_DELLINK", type: RouteNetlink.deleteLink, flags: RouteNetlink.acknowledge,
      header: InterfaceInfoHeader(index: selector.index).bytes, attributes: selector.attributes,
      detail: "delete \(link)")
    _ = try perform(request)
  }

  /// NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL: create, fail when it exists, acknowledge.
  private static let createFlags =
    RouteNetlink.acknowledge | RouteNetlink.create | RouteNetlink.exclusive

  /// RTM_NEWLINK creating a link from `attributes`.
  private func createLink(attributes: [NetlinkAttribute], detail: String) throws(DeviceError) {
    let request = NetlinkRequest(
      name: "RTM_NEWLINK", type: RouteNetlink.newLink, flags: Self.createFlags,
      header: InterfaceInfoHeader().bytes, attributes: attributes, detail: detail)
    _ = try perform(request)
  }

  /// RTM_SETLINK on `link` with the given flag change and attributes.
  private func changeLink(
    _ link: LinkReference, flags: UInt32, change: UInt32, attributes: [NetlinkAttribute],
    detail: String
  ) throws(DeviceError) {
    let selector = try link.selector(call: "netlink(RTM_SETLINK)")
    let request = NetlinkRequest(
      name: "RTM_SETLINK", type: RouteNetlink.setLink, flags: RouteNetlink.acknowledge,
      header: InterfaceInfoHeader(index: selector.index, flags: flags, change: change).bytes,
      attributes: selector.attributes + attributes, detail: detail)
    _ = try perform(request)
  }
}
