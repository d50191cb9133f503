import UsnetStack

/// Everything the userspace socket backends are configured with: the device, from the
/// `USNET_SOCKETS` JSON, the four knobs of the original library and the kernel loopback twin's
/// switch, each from its environment variable.
///
/// Read it with ``init(environment:cpuCount:)`` (or ``init(device:environment:cpuCount:)`` when
/// the device is attached through an API); both check everything up front and throw a
/// ``ConfigurationError`` naming the field, the value given and what is accepted. Convert it to
/// a socket error with ``NetError/init(_:)``.
public struct SocketsConfiguration: Hashable, Sendable, CustomStringConvertible {
  /// The device the stack runs on (`USNET_SOCKETS`).
  public var device: Device
  /// Bytes taken off the link MTU (`REDUCE_MTU_BY`, default 0, range ``reduceMTUByRange``): a
  /// workaround for paths that drop large packets without telling anyone.
  public var reduceMTUBy: Int
  /// The default listen backlog (`SOCKET_BACKLOG`, default 32, range ``socketBacklogRange``):
  /// connections a listener holds before one is accepted, when the caller names no backlog.
  public var socketBacklog: Int
  /// Bytes of send and of receive buffer per TCP connection, and of UDP receive queue per
  /// socket (`SOCKET_BUFFER`, default 500000, range ``socketBufferRange``). The receive buffer
  /// bounds the advertised window.
  public var socketBuffer: Int
  /// The CPU the engine thread is pinned to, or nil for no pinning (`BG_THREAD_PIN_CPU_ID`,
  /// default -1 = nil). Only the multi-thread backend has an engine thread.
  public var engineThreadCPU: Int?
  /// Whether sockets use the kernel loopback twin (`USNET_KERNEL_TWIN`: `on` or `off`,
  /// default on). The original had no way to turn it off.
  public var usesKernelTwin: Bool
  /// Where to record every frame the runtime sends and receives, as a pcap file
  /// (`USNET_PCAP`, default none).
  public var pcapPath: String?

  /// The original's default for ``reduceMTUBy``.
  public static let defaultReduceMTUBy = 0
  /// The original's default for ``socketBacklog``.
  public static let defaultSocketBacklog = 32
  /// The original's default for ``socketBuffer``.
  public static let defaultSocketBuffer = 500_000

  /// Accepted ``reduceMTUBy`` values: up to 924, which leaves the IPv4 minimum MTU of 576 on a
  /// 1500-byte Ethernet link.
  public static let reduceMTUByRange = 0...924
  /// Accepted ``socketBacklog`` values.
  public static let socketBacklogRange = 1...65535
  /// Accepted ``socketBuffer`` values: from 4 KiB (a few full-sized segments) to 1 GiB (the
  /// largest window TCP window scaling can advertise).
  public static let socketBufferRange = 4096...(1 << 30)

  /// Creates a configuration with the original's defaults for every knob not given.
  public init(
    device: Device, reduceMTUBy: Int = defaultReduceMTUBy,
    socketBacklog: Int = defaultSocketBacklog, socketBuffer: Int = defaultSocketBuffer,
    engineThreadCPU: Int? = nil, usesKernelTwin: Bool = true, pcapPath: String? = nil
  ) {
    self.pcapPath = pcapPath
    self.usesKernelTwin = usesKernelTwin
    self.device = device
    self.reduceMTUBy = reduceMTUBy
    self.socketBacklog = socketBacklog
    self.socketBuffer = socketBuffer
    self.engineThreadCPU = engineThreadCPU
  }

  /// Checks the device (``Device/validate()``) and every knob against its range; the engine
  /// CPU must be below `cpuCount` when that is known.
  public func validate(
    cpuCount: Int? = SocketsConfiguration.machineCPUCount
  ) throws(ConfigurationError) {
    try device.validate()
    try Variable.reduceMTUBy.check(reduceMTUBy, in: Self.reduceMTUByRange)
    try Variable.socketBacklog.check(socketBacklog, in: Self.socketBacklogRange)
    try Variable.socketBuffer.check(socketBuffer, in: Self.socketBufferRange)
    if pcapPath?.isEmpty == true {
      throw ConfigurationError(
        field: Variable.pcap.rawValue, value: "\"\"", accepted: "a file path")
    }
    if let cpu = engineThreadCPU {
      try Variable.engineThreadCPU.checkCPU(
        String(cpu), cpu, cpuCount: cpuCount, allowsNoPinning: false)
    }
  }

  /// The configuration as environment variables, one for each ``Variable`` that is set
  /// (`USNET_PCAP` only with a path); reading them back with ``init(environment:cpuCount:)``
  /// gives this configuration again.
  public var environment: [String: String] {
    var variables = [
      Variable.usnetSockets.rawValue: device.description,
      Variable.reduceMTUBy.rawValue: String(reduceMTUBy),
      Variable.socketBacklog.rawValue: String(socketBacklog),
      Variable.socketBuffer.rawValue: String(socketBuffer),
      Variable.engineThreadCPU.rawValue: String(engineThreadCPU ?? -1),
      Variable.kernelTwin.rawValue: usesKernelTwin ? "on" : "off",
    ]
    variables[Variable.pcap.rawValue] = pcapPath
    return variables
  }

  /// The runtime options these settings ask for (the twin, the engine thread's CPU).
  public var runtimeOptions: RuntimeOptions {
    RuntimeOptions(usesKernelTwin: usesKernelTwin, engineThreadCPU: engineThreadCPU)
  }

  /// The environment form in ``Variable`` order, like
  /// `USNET_SOCKETS='"RawConfig"' REDUCE_MTU_BY=0 SOCKET_BACKLOG=32 …`, for logs.
  public var description: String {
    let environment = environment
    return Variable.allCases.compactMap { variable in
      guard let value = environment[variable.rawValue] else { return nil }
      return variable == .usnetSockets
        ? "\(variable.rawValue)='\(value)'" : "\(variable.rawValue)=\(value)"
    }.joined(separator: " ")
  }
}
