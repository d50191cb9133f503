import CUsnetDevice

/// The offloaded frames a TAP with a virtio-net header may hand to its reader
/// (`TUNSETOFFLOAD`, the `TUN_F_*` bits): partial checksums and GSO super-frames.
///
/// They describe the kernel-to-reader direction; what the reader writes is governed by the
/// virtio-net header of each frame. A plain value; `Sendable`.
public struct TAPOffloads: OptionSet, Hashable, Sendable {
  /// The `TUN_F_*` bits.
  public var rawValue: UInt32

  /// Creates offloads from `TUN_F_*` bits.
  public init(rawValue: UInt32) { self.rawValue = rawValue }

  /// `TUN_F_CSUM`: frames may carry a partial checksum (`NEEDS_CSUM`). Every other offload
  /// requires it.
  public static let checksum = TAPOffloads(rawValue: UInt32(USNET_TUN_F_CSUM))
  /// `TUN_F_TSO4`: TCP over IPv4 may arrive as GSO frames of up to 64 KB.
  public static let tcpSegmentation4 = TAPOffloads(rawValue: UInt32(USNET_TUN_F_TSO4))
  /// `TUN_F_TSO6`: TCP over IPv6 may arrive as GSO frames of up to 64 KB.
  public static let tcpSegmentation6 = TAPOffloads(rawValue: UInt32(USNET_TUN_F_TSO6))
  /// `TUN_F_TSO_ECN`: GSO frames may have the ECN bit set.
  public static let tcpECN = TAPOffloads(rawValue: UInt32(USNET_TUN_F_TSO_ECN))
}
