import UsnetWire

/// One neighbour cache entry: a resolved MAC, or a resolution in progress with what waits on
/// it.
struct NeighborEntry {
  /// The resolved hardware address (kept, but refreshed, once stale).
  var macAddress: MACAddress?
  /// When the entry was last confirmed by an ARP packet from the neighbour.
  var confirmedAt: Instant
  /// When the last request went out, for the rate limit.
  var lastRequestAt: Instant?
  /// Requests sent since the last confirmation.
  var requestsSent = 0
  /// IPv4 frames (Ethernet destination still blank) waiting for the address.
  var pendingFrames: [[UInt8]] = []
  /// Connections whose output waits for the address.
  var waitingConnections: [TCPSocketID] = []
}
