import UsnetStack

/// One port of the ``VirtualSwitch`` and the link to its endpoint: impairments and counters
/// for each direction, and the port's MTU.
///
/// Change its settings between simulation steps (or from a scheduled action) to change the
/// link. Threading: owned by the simulation's thread.
public final class SwitchPort {
  /// The port's index in ``VirtualSwitch/ports``.
  public let index: Int
  /// What the link does to frames from the endpoint into the switch.
  public var toSwitch = LinkImpairments()
  /// What the link does to frames from the switch to the endpoint.
  public var toEndpoint = LinkImpairments()
  /// The largest IPv4 packet (Ethernet payload) the link carries, both ways.
  public var mtu: Int
  /// What happens to a frame above the MTU.
  public var mtuPolicy: MTUPolicy
  /// The endpoint attached to the port, if any.
  public internal(set) var endpoint: (any SwitchEndpoint)?
  /// Frame fates from the endpoint into the switch.
  public internal(set) var toSwitchCounters = LinkCounters()
  /// Frame fates from the switch to the endpoint.
  public internal(set) var toEndpointCounters = LinkCounters()

  var channels: [LinkChannel]

  init(index: Int, mtu: Int, mtuPolicy: MTUPolicy, seed: UInt64) {
    self.index = index
    self.mtu = mtu
    self.mtuPolicy = mtuPolicy
    channels = PortDirection.allCases.map { direction in
      var mixer = seed ^ (UInt64(index) &* 0x9E37_79B9_7F4A_7C15) ^ UInt64(direction.rawValue)
      return LinkChannel(seed: SeededRandom.splitMix(&mixer))
    }
  }

  /// The impairments of one direction.
  public func impairments(_ direction: PortDirection) -> LinkImpairments {
    direction == .toSwitch ? toSwitch : toEndpoint
  }

  /// Sets the same impairments in both directions.
  public func setImpairments(_ impairments: LinkImpairments) {
    toSwitch = impairments
    toEndpoint = impairments
  }

  /// The counters of one direction.
  public func counters(_ direction: PortDirection) -> LinkCounters {
    direction == .toSwitch ? toSwitchCounters : toEndpointCounters
  }

  func update(_ direction: PortDirection, _ change: (inout LinkCounters) -> Void) {
    if direction == .toSwitch {
      change(&toSwitchCounters)
    } else {
      change(&toEndpointCounters)
    }
  }
}

extension SeededRandom {
  /// One SplitMix64 step, to derive independent seeds from one.
  static func splitMix(_ state: inout UInt64) -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
