import UsnetWire

/// What a port does with a frame whose IPv4 packet (the Ethernet payload) exceeds its MTU.
public enum MTUPolicy: Sendable, Hashable {
  /// Drop it silently (a black hole for path MTU discovery).
  case drop
  /// Drop it and, like a router, answer an IPv4 packet with the DF bit with an ICMP
  /// destination unreachable, code 4 (fragmentation needed), carrying the MTU. The answer
  /// comes from the switch's ``VirtualSwitch/routerAddress`` and ``VirtualSwitch/routerMAC``.
  /// Packets without DF, and ICMP errors, are dropped without an answer (nothing fragments).
  case fragmentationNeeded
}
