import Foundation
import UsnetStack

extension UserspaceRuntime {
  /// Starts a runtime on the device `configuration` names (opening or creating it), with the
  /// identity it gives, the link's MTU and the knobs applied. Blocks for the device setup.
  ///
  /// - Throws: `invalidInput` naming the field for a bad configuration, the device's error,
  ///   or `unsupported` for a device kind this build cannot open yet.
  public convenience init(configuration: SocketsConfiguration) throws(NetError) {
    let opened = try configuration.openDevice()
    try self.init(
      configuration: opened.stack, device: opened.device, options: configuration.runtimeOptions)
  }

  /// Starts a runtime from `USNET_SOCKETS` and the knobs in `environment` (the process's by
  /// default). Blocks for the device setup.
  ///
  /// - Throws: `invalidInput` naming the variable or field (a missing `USNET_SOCKETS` says so
  ///   and shows an example), or what ``init(configuration:)`` throws.
  public static func fromEnvironment(
    _ environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws(NetError) -> UserspaceRuntime {
    try UserspaceRuntime(configuration: SocketsConfiguration.reading(environment))
  }
}

extension SingleThreadRuntime {
  /// As ``UserspaceRuntime/init(configuration:)``, without an engine thread.
  public convenience init(configuration: SocketsConfiguration) throws(NetError) {
    let opened = try configuration.openDevice()
    try self.init(
      configuration: opened.stack, device: opened.device, options: configuration.runtimeOptions)
  }

  /// As ``UserspaceRuntime/fromEnvironment(_:)``, without an engine thread.
  public static func fromEnvironment(
    _ environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws(NetError) -> SingleThreadRuntime {
    try SingleThreadRuntime(configuration: SocketsConfiguration.reading(environment))
  }
}

extension SocketsConfiguration {
  /// The configuration in `environment`, with a configuration error as `invalidInput`.
  static func reading(_ environment: [String: String]) throws(NetError) -> SocketsConfiguration {
    do throws(ConfigurationError) {
      return try SocketsConfiguration(environment: environment)
    } catch {
      throw NetError(error)
    }
  }
}
