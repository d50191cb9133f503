import UsnetWire

/// A learning Ethernet switch: it learns which port each source MAC lives behind, forwards
/// unicast frames to the learned port and floods broadcast, multicast and unknown
/// destinations to every other port. It also plays the router that answers oversized packets
/// (``MTUPolicy/fragmentationNeeded``).
///
/// Owned by a ``Simulation``, which moves the frames. Threading: the simulation's thread.
public final class VirtualSwitch {
  /// The ports, by index.
  public internal(set) var ports: [SwitchPort] = []
  /// The source IPv4 address of the ICMP messages the switch sends as a router.
  public var routerAddress: IPv4Address
  /// The source MAC of the frames the switch sends as a router.
  public var routerMAC: MACAddress
  /// Frames that arrived at the switch (after the link into it).
  public internal(set) var framesSwitched = 0
  /// Frames copied to several ports because their destination was not a known unicast MAC.
  public internal(set) var framesFlooded = 0
  /// Frames dropped because their destination lives behind the port they came in on.
  public internal(set) var framesFiltered = 0

  private var table: [MACAddress: Int] = [:]

  init(routerAddress: IPv4Address, routerMAC: MACAddress) {
    self.routerAddress = routerAddress
    self.routerMAC = routerMAC
  }

  /// The port a MAC address was last seen on, or `nil`.
  public func port(of mac: MACAddress) -> Int? {
    table[mac]
  }

  /// Every learned address and its port.
  public var learnedAddresses: [MACAddress: Int] { table }

  /// Forgets every learned address.
  public func flushAddresses() {
    table.removeAll()
  }

  /// Where a frame goes.
  enum Egress {
    case port(Int)
    case flood
    case filtered
  }

  /// Learns the source of a frame that came in on `ingress` (`nil` for the router) and picks
  /// where it goes.
  func route(source: MACAddress, destination: MACAddress, ingress: Int?) -> Egress {
    if let ingress, source.isUnicast, table[source] != ingress {
      table[source] = ingress
    }
    guard destination.isUnicast, let egress = table[destination] else { return .flood }
    return egress == ingress ? .filtered : .port(egress)
  }
}
