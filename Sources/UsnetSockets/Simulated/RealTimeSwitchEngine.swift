import Foundation
import Synchronization
import UsnetSim
import UsnetStack

/// The thread of a ``RealTimeSwitch``: it owns the ``Simulation`` (behind a lock) and runs it
/// on the wall clock.
///
/// Each round the thread reads the wake-up epoch, advances the simulation to the wall-clock
/// instant (delivering the frames that came due, then taking the frames the devices queued, at
/// that instant), and sleeps until the next simulation event or until a device queues a frame. Because the epoch
/// is read before the simulation runs, a frame queued during the round ends the next sleep at
/// once and is never left waiting.
///
/// Threading: thread-safe. The thread captures this object, not the ``RealTimeSwitch``, so the
/// switch can stop it from `deinit`.
final class RealTimeSwitchEngine: Sendable {
  private struct State {
    let simulation: Simulation
    var stopping = false
  }

  /// The ports, by switch port index.
  let ports: [RealTimeSwitchPort]
  /// Where the thread sleeps; ports notify it when they queue a frame.
  let wakeUp: SocketWaiter
  private let state: Mutex<State>
  private let exited = SocketWaiter()
  private let wallOrigin: ContinuousClock.Instant
  private let simulationOrigin: Instant

  /// Builds the simulation with one port per device (perfect links, `mtu`) and the clock
  /// mapping: the simulation's time is `simulationOrigin` now and moves with the wall clock.
  init(
    seed: UInt64, devices: [MemoryDevice], mtu: Int, queueLimit: Int,
    simulationOrigin: Instant
  ) {
    let wakeUp = SocketWaiter()
    let simulation = Simulation(seed: seed, start: simulationOrigin)
    var ports: [RealTimeSwitchPort] = []
    for device in devices {
      let port = RealTimeSwitchPort(device: device, queueLimit: queueLimit, switchWakeUp: wakeUp)
      simulation.attach(port, to: simulation.addPort(mtu: mtu))
      ports.append(port)
    }
    self.ports = ports
    self.wakeUp = wakeUp
    state = Mutex(State(simulation: simulation))
    wallOrigin = ContinuousClock.now
    self.simulationOrigin = simulationOrigin
  }

  /// The wall clock as a simulation instant.
  private var simulationNow: Instant {
    simulationOrigin + (ContinuousClock.now - wallOrigin)
  }

  /// The wall instant of the simulation instant `instant`.
  private func wall(_ instant: Instant) -> ContinuousClock.Instant {
    wallOrigin + .nanoseconds(instant.nanoseconds - simulationOrigin.nanoseconds)
  }

  /// Runs `simulation` up to the wall clock with the ingress queues closed, then opens them and
  /// processes the current instant, so queued frames enter their links now. Called with the
  /// lock held.
  private func catchUp(_ simulation: Simulation) {
    let now = simulationNow
    for port in ports { port.releasesFrames = false }
    simulation.advance(to: now)
    for port in ports { port.releasesFrames = true }
    simulation.advance(to: now)
  }

  /// Starts the switch thread.
  func start() {
    let thread = Thread { [self] in run() }
    thread.name = "usnet-switch"
    thread.start()
  }

  /// Runs `body` on the simulation under the lock, after bringing the simulation up to the
  /// wall clock, and wakes the thread afterwards so changes (impairments, captures, scheduled
  /// actions) take effect at once. Blocks while the switch thread runs a round.
  func withSimulation<Result: Sendable, Failure: Error>(
    _ body: (Simulation) throws(Failure) -> Result
  ) throws(Failure) -> Result {
    defer { wakeUp.notify() }
    return try state.withLock { (state) throws(Failure) -> Result in
      if !state.stopping { catchUp(state.simulation) }
      return try body(state.simulation)
    }
  }

  /// Whether no frame waits in an ingress queue and none is on a link. Blocks for the lock.
  var isIdle: Bool {
    withSimulation { simulation in
      simulation.framesInFlight == 0 && !ports.contains { $0.hasQueuedFrames }
    }
  }

  /// Stops the thread and waits for it to exit. Idempotent; must not be called on the switch
  /// thread.
  func stop() {
    let first = state.withLock { state in
      defer { state.stopping = true }
      return !state.stopping
    }
    wakeUp.notify()
    if first { _ = exited.wait(whileEpochIs: 0, until: nil) }
  }

  /// The thread's loop.
  private func run() {
    defer { exited.notify() }
    while true {
      let observed = wakeUp.currentEpoch
      let next: Instant?? = state.withLock { state in
        guard !state.stopping else { return .none }
        catchUp(state.simulation)
        return .some(state.simulation.nextEventTime)
      }
      guard let next else { return }
      _ = wakeUp.wait(whileEpochIs: observed, until: next.map { wall($0) })
    }
  }
}
