extension Resolver where Socket == UserspaceUDPSocket {
  /// A resolver whose DNS queries go through `runtime`'s stack, and whose ``hostname``
  /// resolves to the runtime's interface addresses. Nothing is read from files.
  public init(
    runtime: UserspaceRuntime, configuration: ResolverConfiguration,
    hosts: HostsFile = HostsFile(), hostname: String? = nil
  ) {
    self.init(
      configuration: configuration, hosts: hosts, hostname: hostname,
      hostAddresses: runtime.interface.addresses.map { .v4($0.address) },
      bindSocket: { address throws(NetError) in
        try UserspaceUDPSocket.bind(to: address, on: runtime)
      })
  }

  /// The production resolver on `runtime`: `/etc/resolv.conf`, `/etc/hosts` and the kernel's
  /// host name as in ``system(hostAddresses:configuration:includesIPv6:bindSocket:)``, with
  /// the runtime's addresses for the host name and its UDP sockets for DNS.
  public static func system(on runtime: UserspaceRuntime) -> Resolver {
    .system(
      hostAddresses: runtime.interface.addresses.map { .v4($0.address) },
      bindSocket: { address throws(NetError) in
        try UserspaceUDPSocket.bind(to: address, on: runtime)
      })
  }
}
