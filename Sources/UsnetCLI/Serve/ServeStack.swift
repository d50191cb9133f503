import UsnetSockets

/// Where `usnet serve`'s sockets come from: the backend the short names (`TCPListener`,
/// `UDPSocket`) resolve to, with its runtime found or built the way a program's would be.
public enum ServeStack {
  /// Makes sure the short-name sockets have a stack and says which one.
  ///
  /// - Kernel sockets (trait `Host`) need nothing.
  /// - The default userspace backend uses ``UserspaceRuntime/current`` when a runtime is set,
  ///   and otherwise starts one from `environment` (`USNET_SOCKETS` and the knobs) and makes
  ///   it the default.
  /// - The single-thread backend (trait `Single`) does the same with
  ///   ``SingleThreadRuntime/current``.
  ///
  /// Blocks only to start a runtime. Thread-safe.
  ///
  /// - Throws: the error that says what is missing: `USNET_SOCKETS` not set or invalid
  ///   (`invalidInput`), a device kind not built yet (`unsupported`), a simulated port that is
  ///   not registered (`addrNotAvailable`).
  public static func prepare(environment: [String: String]) throws(NetError) -> String {
    switch activeBackend {
    case .host:
      return "kernel sockets (trait Host)"
    case .userspaceMultiThread:
      if let runtime = UserspaceRuntime.current {
        return "the default userspace runtime (\(addresses(runtime.interface.addresses)))"
      }
      let runtime = try UserspaceRuntime.fromEnvironment(environment)
      UserspaceRuntime.setDefault(runtime)
      return "a userspace stack from USNET_SOCKETS (\(addresses(runtime.interface.addresses)))"
    case .userspaceSingleThread:
      if let runtime = SingleThreadRuntime.current {
        return "the default single-thread runtime (\(addresses(runtime.interface.addresses)))"
      }
      let runtime = try SingleThreadRuntime.fromEnvironment(environment)
      SingleThreadRuntime.setDefault(runtime)
      return "a single-thread userspace stack from USNET_SOCKETS "
        + "(\(addresses(runtime.interface.addresses)))"
    }
  }

  /// `198.18.0.1/24, ...`.
  private static func addresses(_ networks: [some CustomStringConvertible]) -> String {
    networks.map(\.description).joined(separator: ", ")
  }
}
