/// How a macvtap shares its parent link (`IFLA_MACVLAN_MODE`). The raw values are the
/// kernel's `MACVLAN_MODE_*` bits. A plain value; `Sendable`.
public enum MacvtapMode: UInt32, Hashable, Sendable, CaseIterable {
  /// MACVLAN_MODE_PRIVATE: no traffic between macvtaps on the same parent.
  case `private` = 1
  /// MACVLAN_MODE_VEPA: traffic between macvtaps on the same parent goes out through the
  /// external switch, which must send it back (802.1Qbg).
  case vepa = 2
  /// MACVLAN_MODE_BRIDGE: macvtaps on the same parent reach each other directly; the usual
  /// choice for a stack with a MAC of its own.
  case bridge = 4
  /// MACVLAN_MODE_PASSTHRU: the one macvtap takes the parent over, MAC and all (the parent
  /// must carry no other macvtap or macvlan).
  case passthru = 8
}
