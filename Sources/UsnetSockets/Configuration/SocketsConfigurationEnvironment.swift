import UsnetStack

#if canImport(Glibc)
  import Glibc
#endif

extension SocketsConfiguration {
  /// The environment variables the configuration is read from.
  public enum Variable: String, Hashable, Sendable, CaseIterable {
    /// The device, as JSON in the original schema. Required.
    case usnetSockets = "USNET_SOCKETS"
    /// ``SocketsConfiguration/reduceMTUBy``; default 0.
    case reduceMTUBy = "REDUCE_MTU_BY"
    /// ``SocketsConfiguration/socketBacklog``; default 32.
    case socketBacklog = "SOCKET_BACKLOG"
    /// ``SocketsConfiguration/socketBuffer``; default 500000.
    case socketBuffer = "SOCKET_BUFFER"
    /// ``SocketsConfiguration/engineThreadCPU``; default -1 (no pinning).
    case engineThreadCPU = "BG_THREAD_PIN_CPU_ID"
    /// ``SocketsConfiguration/usesKernelTwin``; default `on`.
    case kernelTwin = "USNET_KERNEL_TWIN"
    /// ``SocketsConfiguration/pcapPath``; default unset (no recording).
    case pcap = "USNET_PCAP"

    /// Throws unless `value` lies in `range`.
    func check(_ value: Int, in range: ClosedRange<Int>) throws(ConfigurationError) {
      if !range.contains(value) {
        throw ConfigurationError(
          field: rawValue, value: String(value),
          accepted: "an integer from \(range.lowerBound) to \(range.upperBound)")
      }
    }

    /// Throws unless `cpu` is a CPU id below `cpuCount` (when known), or -1 when `text` comes
    /// from the environment; `text` is the value as given.
    func checkCPU(
      _ text: String, _ cpu: Int?, cpuCount: Int?, allowsNoPinning: Bool = true
    ) throws(ConfigurationError) {
      let ids = cpuCount.map { "a CPU id from 0 to \($0 - 1)" } ?? "a CPU id of 0 or more"
      guard let cpu, cpu >= (allowsNoPinning ? -1 : 0), cpu < (cpuCount ?? Int.max) else {
        throw ConfigurationError(
          field: rawValue, value: cpu.map { String($0) } ?? JSONValue.quoted(text),
          accepted: allowsNoPinning ? "-1 (no pinning) or " + ids : ids + " (nil: no pinning)")
      }
    }
  }

  /// The number of CPUs this machine has configured, or nil when it cannot be read.
  public static var machineCPUCount: Int? {
    #if canImport(Glibc)
      let count = sysconf(Int32(_SC_NPROCESSORS_CONF))
      return count > 0 ? count : nil
    #else
      return nil
    #endif
  }

  /// Reads the whole configuration from `environment` (pass `ProcessInfo`'s environment, or a
  /// literal in tests) and validates it.
  ///
  /// `USNET_SOCKETS` is required: there is no default device yet (the devices work chooses
  /// one), so a missing variable is an error that shows an example. Knobs that are not set
  /// take the original's defaults; a knob that is set must be a decimal integer in its range.
  /// `cpuCount` bounds `BG_THREAD_PIN_CPU_ID`; nil skips that bound.
  public init(
    environment: [String: String], cpuCount: Int? = SocketsConfiguration.machineCPUCount
  ) throws(ConfigurationError) {
    guard let text = environment[Variable.usnetSockets.rawValue] else {
      throw ConfigurationError(
        field: Variable.usnetSockets.rawValue, value: "(not set)",
        accepted: "a device in JSON, like {\"TapConfig\":{\"Interface\":{\"interface\":\"tap0\","
          + "\"mac\":\"Random\",\"ipv4\":{\"Static\":{\"ipv4\":\"10.0.0.2\",\"sub\":24,"
          + "\"gateway\":\"10.0.0.1\"}}}}} (there is no default device yet)")
    }
    try self.init(device: try Device(json: text), environment: environment, cpuCount: cpuCount)
  }

  /// Reads the knobs from `environment` for a device chosen by the caller (a simulated port
  /// attached through the runtime's API, say), ignoring `USNET_SOCKETS`, and validates it all.
  public init(
    device: Device, environment: [String: String],
    cpuCount: Int? = SocketsConfiguration.machineCPUCount
  ) throws(ConfigurationError) {
    self.init(device: device)
    if let text = environment[Variable.reduceMTUBy.rawValue] {
      reduceMTUBy = try Self.integer(text, .reduceMTUBy, in: Self.reduceMTUByRange)
    }
    if let text = environment[Variable.socketBacklog.rawValue] {
      socketBacklog = try Self.integer(text, .socketBacklog, in: Self.socketBacklogRange)
    }
    if let text = environment[Variable.socketBuffer.rawValue] {
      socketBuffer = try Self.integer(text, .socketBuffer, in: Self.socketBufferRange)
    }
    if let text = environment[Variable.engineThreadCPU.rawValue] {
      let cpu = Self.decimal(text)
      try Variable.engineThreadCPU.checkCPU(text, cpu, cpuCount: cpuCount)
      engineThreadCPU = cpu == -1 ? nil : cpu
    }
    if let text = environment[Variable.kernelTwin.rawValue] {
      switch text {
      case "on": usesKernelTwin = true
      case "off": usesKernelTwin = false
      default:
        throw ConfigurationError(
          field: Variable.kernelTwin.rawValue, value: JSONValue.quoted(text),
          accepted: "on or off")
      }
    }
    pcapPath = environment[Variable.pcap.rawValue]
    try validate(cpuCount: cpuCount)
  }

  /// The decimal integer `text` for `variable`, within `range`.
  private static func integer(
    _ text: String, _ variable: Variable, in range: ClosedRange<Int>
  ) throws(ConfigurationError) -> Int {
    guard let value = decimal(text) else {
      throw ConfigurationError(
        field: variable.rawValue, value: JSONValue.quoted(text),
        accepted: "an integer from \(range.lowerBound) to \(range.upperBound)")
    }
    try variable.check(value, in: range)
    return value
  }

  /// `text` as a decimal integer: an optional `-` and digits only, no spaces or `+`.
  private static func decimal(_ text: String) -> Int? {
    let digits = text.utf8.first == UInt8(ascii: "-") ? text.utf8.dropFirst() : text.utf8[...]
    guard !digits.isEmpty, digits.allSatisfy({ (48...57).contains($0) }) else { return nil }
    return Int(text)
  }
}
