import UsnetDevice
import UsnetStack

/// Runs a ``Simulation`` with one or more ``TAPBridgeEndpoint``s in real time: the simulation's clock
/// follows the monotonic wall clock (`ContinuousClock`), because the kernel behind the TAP
/// does not wait for virtual time.
///
/// Each round the driver
/// 1. advances the simulation to the wall-clock instant (every event that came due runs;
///    frames the switch delivers to the bridge are written to the TAP),
/// 2. for each TAP that is readable, lets its bridge read up to ``batchSize`` frames into the
///    switch at that instant, and runs what they cause at the same instant,
/// 3. calls the caller's `done` (which may make socket calls on the simulated stacks) and
///    flushes what it queued,
/// 4. sleeps in `ppoll` on all the TAPs until the earliest of the next simulation event, the
///    next endpoint deadline, ``maximumWait`` and the end of the run (not at all when a last
///    batch did not drain its TAP).
///
/// The clock origin is the simulation's `now` when the driver is made: simulation time and
/// wall time move together from there. Events whose time has passed run late, at the wall
/// instant they are processed. Delays on links are honoured to the resolution of the wait.
///
/// Threading: not thread-safe. The thread that calls ``run(for:until:)`` owns the driver, the
/// simulation, its endpoints and the device.
public final class RealTimeDriver {
  /// The simulation driven.
  public let simulation: Simulation
  /// The first bridge whose TAP the driver waits on.
  public var bridge: TAPBridgeEndpoint { bridges[0] }
  /// Every bridge whose TAP the driver waits on, in the order they are read each round.
  public let bridges: [TAPBridgeEndpoint]
  /// The most frames read from the TAP per round before the simulation runs again.
  public var batchSize = 64
  /// The longest sleep per round, which bounds how late `done` is called.
  public var maximumWait: Duration = .milliseconds(10)
  /// Rounds run (wake-ups), for reports.
  public private(set) var rounds = 0

  private let wallOrigin: ContinuousClock.Instant
  private let simulationOrigin: Instant

  /// A driver for `simulation` that waits on `bridge`'s TAP. The bridge must be attached to
  /// a port of `simulation`.
  public convenience init(simulation: Simulation, bridge: TAPBridgeEndpoint) {
    self.init(simulation: simulation, bridges: [bridge])
  }

  /// A driver for `simulation` that waits on the TAPs of `bridges` (1 to
  /// ``TAPDevice/maximumWaitCount``, each attached to a port of `simulation`), for
  /// kernel-to-kernel paths through the switch.
  public init(simulation: Simulation, bridges: [TAPBridgeEndpoint]) {
    precondition(
      (1...TAPDevice.maximumWaitCount).contains(bridges.count),
      "a RealTimeDriver needs 1 to \(TAPDevice.maximumWaitCount) bridges")
    self.simulation = simulation
    self.bridges = bridges
    wallOrigin = ContinuousClock.now
    simulationOrigin = simulation.now
  }

  /// The wall clock as a simulation instant.
  public var wallNow: Instant {
    simulationOrigin + (ContinuousClock.now - wallOrigin)
  }

  /// Runs in real time until `done` returns `true` or `limit` of wall time has passed;
  /// returns whether `done` became true. `done` is called at least every ``maximumWait``
  /// and after every batch, with the simulation's clock at the current wall instant.
  ///
  /// - Throws: ``DeviceError`` when waiting on the TAPs fails. Read and write errors do not
  ///   stop the run; the bridge counts them.
  public func run(for limit: Duration, until done: () -> Bool) throws(DeviceError) -> Bool {
    let end = wallNow + limit
    var readable = Array(repeating: true, count: bridges.count)
    let devices = bridges.map(\.device)
    while true {
      rounds += 1
      for bridge in bridges { bridge.readBudget = 0 }
      simulation.advance(to: wallNow)
      for (bridge, isReadable) in zip(bridges, readable) where isReadable {
        bridge.readBudget = batchSize
        simulation.advance(to: wallNow)
        bridge.readBudget = 0
      }
      if done() { return true }
      simulation.advance(to: wallNow)
      let now = wallNow
      guard now < end else { return done() }
      var wait = Swift.min(maximumWait, end - now)
      if let next = simulation.nextEventTime {
        wait = Swift.min(wait, Swift.max(next - now, .zero))
      }
      if zip(bridges, readable).contains(where: { $1 && !$0.drained }) { wait = .zero }
      readable =
        devices.count == 1
        ? [try devices[0].waitReadable(timeout: wait)]
        : try TAPDevice.waitReadable(devices, timeout: wait)
    }
  }
}
