import Testing

/// A way for the stack to reach the lab segment of ``InteropLab``, with the stack's identity
/// and the `USNET_SOCKETS` value that opens it.
enum LabDevice: String, CaseIterable, Sendable, CustomTestStringConvertible {
  /// The persistent TAP `utap0` on the bridge `ubr0`, attached by name.
  case tap
  /// A macvtap in bridge mode created on `va-mvt`.
  case macvtapBridge
  /// A macvtap in passthru mode created on `va-pt` (it takes the parent's MAC).
  case macvtapPassthru
  /// AF_PACKET on the default route's interface `va-raw`, with its address and MAC.
  case packet

  var testDescription: String { rawValue }

  /// The stack's address.
  var stackAddress: String {
    switch self {
    case .tap: "198.18.0.10"
    case .macvtapBridge: "198.18.0.11"
    case .packet: "198.18.0.12"
    case .macvtapPassthru: "198.18.0.13"
    }
  }

  /// `USNET_SOCKETS` for this device, for a process (or thread) in the lab's usnet side.
  var configuration: String {
    let identity =
      #"{"Static": {"ipv4": "\#(stackAddress)", "sub": 24, "gateway": "\#(InteropLab.kernelAddress)"}}"#
    switch self {
    case .tap:
      return #"""
        {"TapConfig": {"Interface": {"interface": "utap0",
          "mac": {"Static": "02:00:c6:12:00:0a"}, "ipv4": \#(identity)}}}
        """#
    case .macvtapBridge:
      return #"""
        {"MacVtapConfig": {"Create": {"mac": {"Static": "02:00:c6:12:00:0b"},
          "parent": {"Interface": "va-mvt"}, "ipv4": \#(identity)}}}
        """#
    case .macvtapPassthru:
      return #"""
        {"MacVtapConfig": {"Create": {"mac": "Passthru", "parent": {"Interface": "va-pt"},
          "ipv4": \#(identity)}}}
        """#
    case .packet:
      return #""RawConfig""#
    }
  }

  /// The environment of a stack on this device: the configuration, the kernel loopback twin
  /// off (the lab's kernel must not take the stack's connections).
  var environment: [String: String] {
    ["USNET_SOCKETS": configuration, "USNET_KERNEL_TWIN": "off"]
  }
}
