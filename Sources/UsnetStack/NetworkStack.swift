import UsnetWire

/// A sans-I/O IPv4 stack for one Ethernet interface: ARP, IPv4, ICMP (with echo sockets for
/// ping), UDP and TCP.
///
/// The stack performs no I/O and reads no clock. A driver feeds it received frames with
/// ``receive(frame:at:)``, takes frames to send with ``transmit(into:at:)`` until it returns
/// `false`, and calls ``transmit(into:at:)`` again no later than ``nextDeadline``. Every call
/// takes the current time, which must never go backwards.
///
/// Threading: not thread-safe. One thread (an engine thread, a single-threaded caller, a
/// simulator) owns a stack and makes every call on it.
public final class NetworkStack {
  /// The configuration the stack was created with.
  public let configuration: StackConfiguration
  var environment: TCPEnvironment
  var connections = SlotTable<TCPConnection>()
  var connectionsByTuple: [FourTuple: TCPSocketID] = [:]
  var listeners = SlotTable<TCPListener>()
  var listenersByKey: [ListenerKey: TCPListenerID] = [:]
  var udpSockets = SlotTable<UDPSocket>()
  var udpSocketsByKey: [ListenerKey: UDPSocketID] = [:]
  var echoSockets = SlotTable<EchoSocket>()
  var echoSocketsByIdentifier: [UInt16: EchoSocketID] = [:]
  var timers = TimerQueue<TimerKey>()
  var readyConnections = FIFO<TCPSocketID>()
  var controlFrames = FIFO<[UInt8]>()
  var framePool: [[UInt8]] = []
  var neighbors: [IPv4Address: NeighborEntry] = [:]
  var reassembly: IPv4Reassembly
  var pathMTUCache: PathMTUCache
  let initialSequenceNumbers: InitialSequenceNumbers
  let portHash: SipHash24
  var ephemeralPortCounter = 0
  var ipIdentification: UInt16 = 0
  var udpPortState: UInt64
  var socketEvents: [SocketEvent] = []
  var socketEventKeys: Set<SocketEvent> = []

  /// Creates a stack whose secrets (ISN key, port selection) come from the system's random
  /// source (`getrandom`).
  public convenience init(configuration: StackConfiguration) throws(ConfigurationError) {
    var random = SystemRandomNumberGenerator()
    try self.init(configuration: configuration, random: &random)
  }

  /// Creates a stack whose secrets come from `random` (seed it for reproducible runs).
  public init<R: RandomNumberGenerator>(
    configuration: StackConfiguration, random: inout R
  ) throws(ConfigurationError) {
    try configuration.validate()
    self.configuration = configuration
    reassembly = IPv4Reassembly(configuration: configuration.reassembly)
    pathMTUCache = PathMTUCache(configuration: configuration.pathMTU)
    environment = TCPEnvironment(
      now: .zero, configuration: configuration.tcp,
      interfaceMSS: configuration.interface.mtu - IPv4Header.minimumLength
        - TCPHeader.minimumLength,
      segmentationOffload: configuration.interface.transmitOffloads.contains(.tcpSegmentation),
      counters: StackCounters(),
      challengeACKs: ChallengeACKLimiter(perSecond: configuration.tcp.challengeACKsPerSecond))
    initialSequenceNumbers = InitialSequenceNumbers(using: &random)
    portHash = SipHash24(key0: random.next(), key1: random.next())
    ipIdentification = UInt16(truncatingIfNeeded: random.next())
    udpPortState = random.next()
  }

  /// Traffic, drop and TCP event counters.
  public var counters: StackCounters { environment.counters }

  /// The earliest time at which a timer needs ``transmit(into:at:)`` to be called, or `nil`.
  public var nextDeadline: Instant? { timers.nextDeadline }

  /// Appends the sockets whose state may have changed since the last call and forgets them.
  /// Each socket appears at most once per call, in the order it first changed.
  public func takeSocketEvents(into events: inout [SocketEvent]) {
    events.append(contentsOf: socketEvents)
    for event in socketEvents {
      if case .tcp(let id) = event { connection(id)?.socketEventPending = false }
    }
    socketEvents.removeAll(keepingCapacity: true)
    socketEventKeys.removeAll(keepingCapacity: true)
  }

  /// Notes that `event`'s socket (a listener or UDP socket; connections use a flag) may have
  /// changed.
  func noteSocketEvent(_ event: SocketEvent) {
    if socketEventKeys.insert(event).inserted { socketEvents.append(event) }
  }

  /// Whether frames are waiting to be taken by ``transmit(into:at:)`` right now.
  public var hasPendingOutput: Bool { !controlFrames.isEmpty || !readyConnections.isEmpty }

  /// The interface's first address, the default source address.
  var primaryAddress: IPv4Address {
    configuration.interface.addresses.first?.address ?? .any
  }

  /// Whether `address` is one of the interface's unicast addresses.
  func isLocal(_ address: IPv4Address) -> Bool {
    configuration.interface.addresses.contains { $0.address == address }
  }

  /// Whether `address` is a broadcast address of one of the interface's prefixes.
  func isBroadcast(_ address: IPv4Address) -> Bool {
    address.isLimitedBroadcast
      || configuration.interface.addresses.contains {
        $0.prefixLength < 31 && $0.broadcastAddress == address
      }
  }

  /// The source address and next hop for `destination`, or `nil` without a route.
  func route(to destination: IPv4Address) -> (source: IPv4Address, nextHop: IPv4Address)? {
    for network in configuration.interface.addresses where network.contains(destination) {
      return (network.address, destination)
    }
    guard let gateway = configuration.interface.gateway else { return nil }
    let source =
      configuration.interface.addresses.first { $0.contains(gateway) }?.address
      ?? primaryAddress
    return (source, gateway)
  }

  /// The next IPv4 identification value.
  func nextIdentification() -> UInt16 {
    ipIdentification &+= 1
    return ipIdentification
  }
}

/// What a timer in the stack's timer queue belongs to.
enum TimerKey: Hashable, Sendable {
  case connection(TCPSocketID)
  case neighbor(IPv4Address)
  case reassembly(FragmentKey)
  case pathMTU(IPv4Address)
}
