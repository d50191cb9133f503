import UsnetStack
import UsnetWire

/// A discrete-event network simulation on a virtual clock: a ``VirtualSwitch`` whose ports
/// lead through impaired links to endpoints (``StackEndpoint``s, or later bridges to real
/// devices).
///
/// Time moves only inside ``run(for:until:)`` and ``advance(to:)``: at each instant the
/// simulation delivers every event that is due, asks every endpoint for the frames it wants to
/// send, and then jumps to the earliest next event or endpoint deadline. All randomness comes
/// from generators derived from the seed, so a seed reproduces a run bit for bit. A driver
/// that runs in real time (a TAP bridge) calls ``advance(to:)`` with the wall clock instead.
///
/// Threading: not thread-safe. One thread drives a simulation, its switch, ports, endpoints
/// and captures.
public final class Simulation {
  /// The virtual time.
  public private(set) var now: Instant
  /// The seed everything random is derived from.
  public let seed: UInt64
  /// The switch.
  public let virtualSwitch: VirtualSwitch
  /// Observers of every frame at every port (pcap writers, tests).
  public private(set) var captures: [any FrameCapture] = []

  var events = EventQueue()
  var frames = FrameStore()
  var actions: [Int: (Simulation) -> Void] = [:]
  var nextActionID = 0
  var transmitBuffer: [UInt8] = []
  var endpointPorts: [Int] = []

  /// Creates an empty simulation at `start`. The switch answers oversized packets as
  /// `routerAddress` from `routerMAC`.
  public init(
    seed: UInt64, start: Instant = .zero,
    routerAddress: IPv4Address = IPv4Address(198, 18, 0, 254),
    routerMAC: MACAddress = MACAddress(0x02, 0, 0, 0, 0, 0xfe)
  ) {
    self.seed = seed
    now = start
    virtualSwitch = VirtualSwitch(routerAddress: routerAddress, routerMAC: routerMAC)
    transmitBuffer.reserveCapacity(65536)
  }

  /// Adds a switch port with a perfect link and returns it.
  @discardableResult
  public func addPort(mtu: Int = 1500, mtuPolicy: MTUPolicy = .drop) -> SwitchPort {
    let port = SwitchPort(
      index: virtualSwitch.ports.count, mtu: mtu, mtuPolicy: mtuPolicy, seed: seed)
    virtualSwitch.ports.append(port)
    return port
  }

  /// Attaches `endpoint` to `port`, replacing what was there.
  public func attach(_ endpoint: any SwitchEndpoint, to port: SwitchPort) {
    port.endpoint = endpoint
    if !endpointPorts.contains(port.index) {
      endpointPorts.append(port.index)
    }
  }

  /// Adds a port, attaches a ``StackEndpoint`` for `stack` and returns the port.
  @discardableResult
  public func attach(
    _ stack: NetworkStack, mtu: Int = 1500, mtuPolicy: MTUPolicy = .drop
  )
    -> SwitchPort
  {
    let port = addPort(mtu: mtu, mtuPolicy: mtuPolicy)
    attach(StackEndpoint(stack), to: port)
    return port
  }

  /// Adds an observer of every frame at every port.
  public func addCapture(_ capture: any FrameCapture) {
    captures.append(capture)
  }

  /// Runs `action` when the clock reaches `time` (at once on the next step if it has passed).
  public func schedule(at time: Instant, _ action: @escaping (Simulation) -> Void) {
    let id = nextActionID
    nextActionID += 1
    actions[id] = action
    events.schedule(.action(id), at: Swift.max(time, now))
  }

  /// Sets `port`'s MTU to `mtu` at `time`.
  public func scheduleMTUChange(of port: SwitchPort, to mtu: Int, at time: Instant) {
    schedule(at: time) { _ in port.mtu = mtu }
  }

  /// The earliest scheduled event or endpoint deadline, or `nil` when nothing will happen.
  public var nextEventTime: Instant? {
    var next = events.nextTime
    for index in endpointPorts {
      if let deadline = virtualSwitch.ports[index].endpoint?.nextDeadline,
        next.map({ deadline < $0 }) ?? true
      {
        next = deadline
      }
    }
    return next
  }

  /// Frames in flight on links.
  public var framesInFlight: Int { frames.inUse }

  /// Runs until `done` returns `true` or the clock has moved `limit` past now; returns
  /// whether `done` became true. `done` is called at every instant the simulation processes,
  /// after the deliveries due then, and may make socket calls: what they queue is sent at the
  /// same instant.
  public func run(for limit: Duration, until done: () -> Bool) -> Bool {
    let end = now + limit
    while true {
      process()
      if done() { return true }
      process()
      guard let next = nextEventTime, next <= end else {
        now = Swift.max(now, end)
        process()
        return done()
      }
      now = next > now ? next : now + .nanoseconds(1)
    }
  }

  /// Processes everything up to `time` and sets the clock to it (never backwards). A real-time
  /// driver calls this with the wall clock.
  public func advance(to time: Instant) {
    process()
    while let next = nextEventTime, next <= time {
      now = next > now ? next : now + .nanoseconds(1)
      process()
    }
    now = Swift.max(now, time)
    process()
  }

  /// Advances the clock by `duration`.
  public func advance(by duration: Duration) {
    advance(to: now + duration)
  }

  /// Delivers every event due now and collects every endpoint's frames, until nothing more
  /// happens at this instant.
  func process() {
    repeat {
      while let event = events.popDue(at: now) {
        handle(event)
      }
      pollEndpoints()
    } while events.nextTime.map { $0 <= now } ?? false
  }

  private func handle(_ event: EventKind) {
    switch event {
    case .arriveAtSwitch(let slot, let port):
      switchFrame(slot: slot, ingress: port)
    case .deliverToEndpoint(let slot, let index):
      let port = virtualSwitch.ports[index]
      port.update(.toEndpoint) { $0.delivered += 1 }
      let buffer = frames.buffers[slot]
      for capture in captures {
        capture.capture(
          frame: buffer, range: 0..<buffer.count, port: index, direction: .toEndpoint, at: now)
      }
      port.endpoint?.deliver(frame: buffer, range: 0..<buffer.count, at: now)
      frames.release(slot)
    case .action(let id):
      if let action = actions.removeValue(forKey: id) {
        action(self)
      }
    }
  }

  private func pollEndpoints() {
    for index in endpointPorts {
      let port = virtualSwitch.ports[index]
      guard let endpoint = port.endpoint else { continue }
      while endpoint.nextFrame(into: &transmitBuffer, at: now) {
        for capture in captures {
          capture.capture(
            frame: transmitBuffer, range: 0..<transmitBuffer.count, port: index,
            direction: .toSwitch, at: now)
        }
        let slot = frames.store(transmitBuffer, range: 0..<transmitBuffer.count)
        send(slot: slot, on: port, direction: .toSwitch)
      }
    }
  }
}
