import UsnetWire

/// The link and IPv4 identity of a ``NetworkStack``: one Ethernet interface with a MAC, one or
/// more IPv4 addresses with their prefixes, an optional default gateway, an MTU and the
/// offloads its device performs.
public struct InterfaceConfiguration: Sendable, Hashable {
  /// The interface's Ethernet address.
  public var macAddress: MACAddress
  /// The interface's IPv4 addresses with their on-link prefixes. The first is the default source.
  public var addresses: [IPv4Network]
  /// The default gateway for destinations outside every on-link prefix.
  public var gateway: IPv4Address?
  /// The largest IPv4 packet the link carries (the Ethernet payload), 576...65535.
  public var mtu: Int
  /// What the device finishes on outgoing TCP segments (checksums, segmentation); none by
  /// default. The MTU still sets the MSS the stack advertises and the size of the segments
  /// the device cuts.
  public var transmitOffloads: TransmitOffloads

  /// Creates an interface configuration.
  public init(
    macAddress: MACAddress, addresses: [IPv4Network], gateway: IPv4Address? = nil,
    mtu: Int = 1500, transmitOffloads: TransmitOffloads = []
  ) {
    self.macAddress = macAddress
    self.addresses = addresses
    self.gateway = gateway
    self.mtu = mtu
    self.transmitOffloads = transmitOffloads
  }
}
