/// Work on outgoing TCP segments that the device finishes instead of the stack, as a device
/// with a virtio-net header does (TAP or macvtap with `IFF_VNET_HDR`).
///
/// With any offload on, the driver must take frames with
/// ``NetworkStack/transmit(into:metadata:at:)`` and hand the metadata to the device with each
/// frame: the frames are not valid on a wire without it.
public struct TransmitOffloads: OptionSet, Hashable, Sendable {
  /// The raw bits.
  public var rawValue: UInt8

  /// Creates offloads from raw bits.
  public init(rawValue: UInt8) { self.rawValue = rawValue }

  /// TCP checksums are left partial: the field holds the pseudo-header sum and the metadata
  /// asks the device to finish it (`NEEDS_CSUM`, `TUN_F_CSUM`).
  public static let tcpChecksum = TransmitOffloads(rawValue: 1)
  /// TCP segments may carry up to 64 KB of payload, which the device cuts into MSS-sized
  /// segments (TSO, `TUN_F_TSO4`). Requires ``tcpChecksum``.
  public static let tcpSegmentation = TransmitOffloads(rawValue: 2)
}
