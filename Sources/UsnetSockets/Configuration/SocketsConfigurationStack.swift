import UsnetStack

extension SocketsConfiguration {
  /// `base` with the knobs applied: the interface MTU reduced by ``reduceMTUBy``, the TCP send
  /// and receive buffers and the UDP receive queue set to ``socketBuffer``, and the stack's
  /// backlog ceiling raised to ``socketBacklog`` if it is lower.
  ///
  /// `base.interface.mtu` is the link's MTU (the devices work fills it in from the kernel).
  /// ``socketBacklog`` itself stays here: the socket layer passes it to `listen` as the default.
  /// Throws when the reduced MTU would fall below the IPv4 minimum of 576.
  public func stackConfiguration(
    adjusting base: StackConfiguration
  ) throws(ConfigurationError) -> StackConfiguration {
    var result = base
    let linkMTU = base.interface.mtu
    let minimumMTU = 576
    guard linkMTU - reduceMTUBy >= minimumMTU else {
      throw ConfigurationError(
        field: Variable.reduceMTUBy.rawValue, value: String(reduceMTUBy),
        accepted: "at most \(max(0, linkMTU - minimumMTU)) on a link with MTU \(linkMTU)"
          + " (the IPv4 minimum MTU is \(minimumMTU))")
    }
    result.interface.mtu = linkMTU - reduceMTUBy
    result.tcp.sendBufferSize = socketBuffer
    result.tcp.receiveBufferSize = socketBuffer
    result.udp.receiveQueueBytes = socketBuffer
    result.tcp.maximumBacklog = max(result.tcp.maximumBacklog, socketBacklog)
    return result
  }
}
