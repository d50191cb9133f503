/// Which way a frame crosses a ``SwitchPort``'s link.
public enum PortDirection: Int, Sendable, Hashable, CaseIterable {
  /// From the endpoint attached to the port into the switch.
  case toSwitch = 0
  /// From the switch out to the endpoint attached to the port.
  case toEndpoint = 1
}
