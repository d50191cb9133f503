import UsnetWire

/// Everything a ``NetworkStack`` is configured with. All values are checked by ``validate()``
/// before a stack starts.
public struct StackConfiguration: Sendable {
  /// The interface identity: MAC, addresses, gateway, MTU.
  public var interface: InterfaceConfiguration
  /// TCP defaults and limits.
  public var tcp: TCPConfiguration
  /// UDP limits.
  public var udp: UDPConfiguration
  /// Neighbour (ARP) cache behaviour.
  public var neighbors: NeighborConfiguration
  /// IPv4 reassembly limits.
  public var reassembly: ReassemblyConfiguration
  /// The per-destination path MTU cache.
  public var pathMTU: PathMTUConfiguration
  /// Checksum work done in software versus trusted to the device.
  public var checksums: ChecksumPolicy
  /// The IPv4 time to live of packets the stack originates.
  public var timeToLive: UInt8

  /// Creates a configuration with Linux-like defaults for everything but the interface.
  public init(
    interface: InterfaceConfiguration, tcp: TCPConfiguration = TCPConfiguration(),
    udp: UDPConfiguration = UDPConfiguration(),
    neighbors: NeighborConfiguration = NeighborConfiguration(),
    reassembly: ReassemblyConfiguration = ReassemblyConfiguration(),
    pathMTU: PathMTUConfiguration = PathMTUConfiguration(),
    checksums: ChecksumPolicy = .software, timeToLive: UInt8 = 64
  ) {
    self.interface = interface
    self.tcp = tcp
    self.udp = udp
    self.neighbors = neighbors
    self.reassembly = reassembly
    self.pathMTU = pathMTU
    self.checksums = checksums
    self.timeToLive = timeToLive
  }

  /// Checks every field and throws a ``ConfigurationError`` naming the first bad one.
  public func validate() throws(ConfigurationError) {
    let mtu = interface.mtu
    try check(
      (576...65535).contains(mtu), "interface.mtu", "\(mtu)", "an integer from 576 to 65535")
    try check(
      !interface.addresses.isEmpty, "interface.addresses", "[]", "at least one IPv4 address")
    for network in interface.addresses {
      try check(
        !network.address.isUnspecified && !network.address.isMulticast
          && !network.address.isLimitedBroadcast,
        "interface.addresses", "\(network)", "a unicast IPv4 address with a prefix")
    }
    try check(
      interface.macAddress.isUnicast, "interface.macAddress", "\(interface.macAddress)",
      "a unicast Ethernet address")
    if let gateway = interface.gateway {
      try check(
        interface.addresses.contains { $0.contains(gateway) }, "interface.gateway",
        "\(gateway)", "an address inside one of the interface's prefixes")
    }
    let offloads = interface.transmitOffloads
    try check(
      !offloads.contains(.tcpSegmentation) || offloads.contains(.tcpChecksum),
      "interface.transmitOffloads", "\(offloads.rawValue)",
      "tcpSegmentation only together with tcpChecksum")
    try tcp.validate()
    try udp.validate()
    try neighbors.validate()
    try reassembly.validate()
    try pathMTU.validate()
  }
}

/// Which checksums the stack computes and verifies in software.
///
/// A device that offloads checksums (a TAP with a virtio-net header, or an in-memory link that
/// never corrupts) lets the stack skip them; the default does all of them in software.
public struct ChecksumPolicy: Sendable, Hashable {
  /// Compute the checksums of outgoing IPv4, ICMP, UDP and TCP headers.
  public var computeOnTransmit: Bool
  /// Verify the checksums of incoming packets and drop those that fail.
  public var verifyOnReceive: Bool

  /// Creates a policy.
  public init(computeOnTransmit: Bool, verifyOnReceive: Bool) {
    self.computeOnTransmit = computeOnTransmit
    self.verifyOnReceive = verifyOnReceive
  }

  /// Everything in software: the default, and the only safe choice on a real wire.
  public static let software = ChecksumPolicy(computeOnTransmit: true, verifyOnReceive: true)
  /// Nothing in software: for links that cannot corrupt frames (in-memory links, like Linux
  /// loopback).
  public static let trustedLink = ChecksumPolicy(computeOnTransmit: false, verifyOnReceive: false)
}

/// A configuration value that was rejected, with the field, the value and what is accepted.
public struct ConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The dotted path of the field, like `tcp.receiveBufferSize`.
  public var field: String
  /// The value that was given, as text.
  public var value: String
  /// What the field accepts.
  public var accepted: String

  /// Creates an error.
  public init(field: String, value: String, accepted: String) {
    self.field = field
    self.value = value
    self.accepted = accepted
  }

  /// `field: value is not accepted; expected ...`.
  public var description: String {
    "\(field): \(value) is not accepted; expected \(accepted)"
  }
}

/// Throws a ``ConfigurationError`` unless `condition` holds.
func check(
  _ condition: Bool, _ field: String, _ value: String, _ accepted: String
) throws(ConfigurationError) {
  if !condition { throw ConfigurationError(field: field, value: value, accepted: accepted) }
}
