/// The layout of one slot of a TPACKET_V3 transmit ring: a `tpacket3_hdr` whose `tp_status`
/// (at ``statusOffset``) says who owns the slot and whose `tp_len` (at ``lengthOffset``) the
/// kernel sends, then the data at ``dataOffset``: the virtio-net header (with
/// PACKET_VNET_HDR) and the frame. `tp_next_offset` must stay 0.
enum TransmitSlot {
  /// The offset of `tp_next_offset`.
  static let nextOffset = 0
  /// The offset of `tp_len`.
  static let lengthOffset = 16
  /// The offset of `tp_status`.
  static let statusOffset = 20
  /// Where the data starts (`TPACKET_ALIGN(sizeof(struct tpacket3_hdr))`).
  static let dataOffset = 48
}
