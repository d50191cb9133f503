/// What `usnet serve` runs: the port of each enabled service. A plain value; ``ServeArguments``
/// builds it from the command line.
public struct ServeSettings: Sendable, Hashable {
  /// The echo port (TCP and UDP), or nil.
  public var echo: UInt16?
  /// The discard port, or nil.
  public var discard: UInt16?
  /// The sink port, or nil.
  public var sink: UInt16?
  /// The source port, or nil.
  public var source: UInt16?
  /// The daytime port, or nil.
  public var daytime: UInt16?
  /// The HTTP port, or nil.
  public var http: UInt16?

  /// No service enabled.
  public init() {}

  /// The enabled TCP services with their ports, in flag order.
  public var tcpServices: [(service: any TCPService, port: UInt16)] {
    let all: [(any TCPService, UInt16?)] = [
      (EchoService(), echo), (DiscardService(), discard), (SinkService(), sink),
      (SourceService(), source), (DaytimeService(), daytime), (HTTPService(), http),
    ]
    return all.compactMap { service, port in port.map { (service, $0) } }
  }
}
