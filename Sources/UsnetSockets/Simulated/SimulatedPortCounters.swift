import UsnetSim

/// The fate of every frame at one port of a ``RealTimeSwitch``, from the device's `send` to its
/// inbox, so that no frame is lost without a count.
///
/// Frames the device sent are ``ingressAccepted`` or ``ingressDropped``; accepted frames enter
/// the link into the switch (``toSwitch``'s `offered`) once the switch thread takes them. Frames
/// the link delivers to the port (``toEndpoint``'s `delivered`) are ``inboxAccepted`` or
/// ``inboxDropped``. A plain value.
public struct SimulatedPortCounters: Sendable, Hashable {
  /// Frames the device sent that the port's ingress queue took.
  public var ingressAccepted = 0
  /// Frames the device sent while the ingress queue was full.
  public var ingressDropped = 0
  /// The link from the device into the switch.
  public var toSwitch = LinkCounters()
  /// The link from the switch to the device.
  public var toEndpoint = LinkCounters()
  /// Frames delivered into the device's inbox.
  public var inboxAccepted = 0
  /// Frames delivered while the device's inbox was full.
  public var inboxDropped = 0

  /// Zeroed counters.
  public init() {}
}
