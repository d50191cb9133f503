/// A raw packet socket (the schema's bare `"RawConfig"`): AF_PACKET on the interface of the
/// default route, with its MAC address, IPv4 address and gateway. Needs CAP_NET_RAW.
///
/// The original schema gives it nothing to configure; the type exists so that options can be
/// added without changing ``SocketsConfiguration/Device``.
public struct RawConfig: Hashable, Sendable {
  /// Creates the only configuration there is.
  public init() {}
}
