import Foundation
import UsnetSim
import UsnetStack

/// A UsnetSim switch run in real time, whose ports are ``FrameDevice``s: runtimes on its
/// ``ports`` talk to each other through the simulated links, with their loss, delay,
/// reordering, duplication, corruption and rate limits (``LinkImpairments``), without root.
///
/// The switch runs a ``Simulation`` on its own thread, with the simulation's clock following
/// the wall clock (`ContinuousClock`) from the Unix time at creation, so capture timestamps
/// are real dates. A frame a port's device sends waits in the port's bounded ingress queue
/// until the switch thread takes it (at once: sending wakes the thread), crosses the link into
/// the switch and the link out to its destination port with their impairments, and lands in
/// the destination device's inbox when its delay has passed. Each link direction draws from its
/// own generator derived from the seed, so the same seed and the same order of frames on a
/// link give the same losses. Every frame is counted until it is delivered or dropped
/// (``counters(port:)``).
///
/// Ports can be registered under a name (``register(port:as:)``) for runtimes configured with
/// `{"SimulatedConfig": {"port": name, ...}}` (``UserspaceRuntime/init(configuration:)``).
///
/// **Threading.** All methods are thread-safe. Calls that touch the simulation take its lock
/// and so wait for a switch round to finish (microseconds).
///
/// **Lifetime.** ``shutdown()``, or deinitialising the switch, stops the thread, detaches the
/// devices (what they send later is dropped) and removes the port names it registered.
public final class RealTimeSwitch: Sendable {
  /// The ports' devices, by switch port index: give each to a ``UserspaceRuntime``.
  public let ports: [MemoryDevice]
  /// The MTU of every port's link.
  public let mtu: Int
  private let engine: RealTimeSwitchEngine

  /// Starts a switch with `portCount` ports (at least 1), each on a perfect link of MTU `mtu`
  /// (576...65535); each port's ingress queue and device inbox hold `queueLimit` frames (at
  /// least 1). Set impairments with ``setImpairments(_:port:)`` or ``withSimulation(_:)``.
  /// Does not block.
  public init(seed: UInt64, portCount: Int, mtu: Int = 1500, queueLimit: Int = 4096) {
    let limit = Swift.max(queueLimit, 1)
    let devices = (0..<Swift.max(portCount, 1)).map { _ in MemoryDevice(queueLimit: limit) }
    let unixNanoseconds = Int64(Date().timeIntervalSince1970 * 1e9)
    self.mtu = Swift.min(Swift.max(mtu, 576), 65535)
    engine = RealTimeSwitchEngine(
      seed: seed, devices: devices, mtu: self.mtu,
      queueLimit: limit, simulationOrigin: Instant(nanoseconds: unixNanoseconds))
    for port in engine.ports {
      port.device.attach(to: port)
    }
    ports = devices
    engine.start()
  }

  deinit {
    shutdown()
  }

  /// Sets the impairments of both directions of `port`'s link (from the device into the
  /// switch and from the switch to the device); an index out of range is ignored. Takes
  /// effect for the frames that enter the link from now on. Blocks for the simulation's lock.
  public func setImpairments(_ impairments: LinkImpairments, port: Int) {
    engine.withSimulation { simulation in
      guard simulation.virtualSwitch.ports.indices.contains(port) else { return }
      simulation.virtualSwitch.ports[port].setImpairments(impairments)
    }
  }

  /// Adds an observer of every frame at every port, like ``EndpointPcapCapture``. It is called
  /// with the simulation's lock held, with the simulation's (wall-clock) instants, on the
  /// switch thread or on a thread calling into the switch; it must not call back into the
  /// switch. Blocks for the lock.
  public func addCapture(_ capture: any FrameCapture & Sendable) {
    engine.withSimulation { simulation in simulation.addCapture(capture) }
  }

  /// Runs `body` with the simulation under its lock, brought up to the wall clock first: to
  /// change one direction of a link, schedule actions or read the switch's state. `body` runs
  /// on the calling thread and must not block or call back into the switch; the switch thread
  /// waits meanwhile.
  public func withSimulation<Result: Sendable, Failure: Error>(
    _ body: (Simulation) throws(Failure) -> Result
  ) throws(Failure) -> Result {
    try engine.withSimulation(body)
  }

  /// What happened to the frames at `port` so far (zeroes for an index out of range). Blocks
  /// for the simulation's lock.
  public func counters(port: Int) -> SimulatedPortCounters {
    guard engine.ports.indices.contains(port) else { return SimulatedPortCounters() }
    let link = engine.ports[port]
    var counters = SimulatedPortCounters()
    (counters.ingressAccepted, counters.ingressDropped) = link.ingressCounts
    (counters.toSwitch, counters.toEndpoint) = engine.withSimulation { simulation in
      let switchPort = simulation.virtualSwitch.ports[port]
      return (switchPort.toSwitchCounters, switchPort.toEndpointCounters)
    }
    counters.inboxAccepted = link.device.framesDelivered
    counters.inboxDropped = link.device.framesDropped
    return counters
  }

  /// Frames on the simulated links right now (taken from an ingress queue, not yet delivered
  /// or dropped). Blocks for the simulation's lock.
  public var framesInFlight: Int {
    engine.withSimulation { $0.framesInFlight }
  }

  /// Waits until no frame waits in a port's ingress queue and none is on a link (every frame
  /// sent so far is delivered or dropped, and counted), or until `timeout` passes; returns
  /// whether the switch became idle. Blocks the calling thread, checking every millisecond.
  /// Frames sent meanwhile count too, so stop the senders first.
  public func waitUntilIdle(timeout: Duration) -> Bool {
    let deadline = ContinuousClock.now + timeout
    while !engine.isIdle {
      guard ContinuousClock.now < deadline else { return false }
      Thread.sleep(forTimeInterval: 0.001)
    }
    return true
  }

  /// Makes `port`'s device the one a runtime configured with `SimulatedConfig` named `name`
  /// attaches to, until the switch shuts down.
  ///
  /// - Throws: `invalidInput` for a port index out of range or a name that is not 1 to 64
  ///   characters; `addrInUse` when `name` is registered already.
  public func register(port: Int, as name: String) throws(NetError) {
    guard ports.indices.contains(port) else {
      throw NetError(
        .invalidInput,
        message: "switch port \(port) does not exist (the switch has ports 0 to \(ports.count - 1))"
      )
    }
    try SimulatedPortRegistry.register(ports[port], mtu: mtu, as: name)
  }

  /// Stops the switch thread and waits for it to exit, detaches the devices and removes their
  /// registered names. Frames still on the links are not delivered. Idempotent; blocks until
  /// the thread has exited.
  public func shutdown() {
    engine.stop()
    for device in ports {
      device.detach()
      SimulatedPortRegistry.unregister(device)
    }
  }
}
