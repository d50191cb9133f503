import Foundation
import Synchronization
import UsnetSim
import UsnetSockets
import UsnetStack
import UsnetWire

/// The core of `usnet demo`, callable in-process: two userspace stacks on a ``RealTimeSwitch``,
/// an HTTP/1.0 server on one (``HTTPService`` on a ``UserspaceTCPListener``), a client on the
/// other fetching the page (``HTTPFetch`` on a ``UserspaceTCPStream``), and a pcap of the
/// client's interface.
public enum DemoRun {
  /// The server's address; the client is 198.18.0.2. The switch answers as 198.18.0.254.
  public static let serverAddress = IPv4Address(198, 18, 0, 1)
  /// The client's address.
  public static let clientAddress = IPv4Address(198, 18, 0, 2)
  /// The server's port.
  public static let serverPort: UInt16 = 80

  /// The page's URL.
  public static var url: String { "http://\(serverAddress):\(serverPort)/" }

  private static let runs = Atomic<Int>(0)

  /// Runs the demo with `settings` and returns what happened; never throws or traps (a failure
  /// is in ``DemoResult/failure``). Blocks the calling thread for the whole run (the client runs
  /// on it; the switch, both engines and the server have threads of their own), at most about
  /// ``DemoSettings/timeLimit`` plus the start and the shutdown.
  public static func perform(_ settings: DemoSettings) -> DemoResult {
    var result = DemoResult(settings: settings)
    let network = RealTimeSwitch(seed: settings.seed, portCount: 2)
    network.setImpairments(settings.serverLink, port: 0)
    network.setImpairments(settings.clientLink, port: 1)
    let capture: EndpointPcapCapture
    do {
      capture = try EndpointPcapCapture(path: settings.pcap, port: 1)
    } catch {
      network.shutdown()
      result.failure = "cannot create the pcap file: \(error)"
      return result
    }
    network.addCapture(capture)
    let page = DemoPage.body(bytes: settings.bytes)
    var hash = SHA256()
    hash.update(page)
    result.expectedDigest = hash.hexDigest()
    do throws(NetError) {
      let run = runs.add(1, ordering: .relaxed).newValue
      let server = try runtime(on: network, port: 0, name: "usnet-demo-\(run)-server", &result)
      let client = try runtime(on: network, port: 1, name: "usnet-demo-\(run)-client", &result)
      defer {
        client.shutdown()
        server.shutdown()
      }
      do throws(NetError) {
        try exchange(page, server: server, client: client, settings: settings, into: &result)
      } catch {
        result.failure = result.failure ?? "\(error)"
      }
      result.serverCounters = try? server.counters()
      result.clientCounters = try? client.counters()
    } catch {
      result.failure = result.failure ?? "\(error)"
    }
    if !network.waitUntilIdle(timeout: .seconds(2)), result.failure == nil {
      result.failure = "frames were still on the simulated links two seconds after the end"
    }
    result.serverPort = network.counters(port: 0)
    result.clientPort = network.counters(port: 1)
    network.shutdown()
    if let error = capture.close(), result.failure == nil {
      result.failure = "writing the pcap file failed: \(error)"
    }
    result.pcapFrames = capture.framesWritten
    return result
  }

  /// Starts a runtime on `port` of `network` the way a program configured by `USNET_SOCKETS`
  /// gets one: the port is registered as `name` and attached through a `SimulatedConfig`.
  private static func runtime(
    on network: RealTimeSwitch, port: Int, name: String, _ result: inout DemoResult
  ) throws(NetError) -> UserspaceRuntime {
    let host = UInt8(port + 1)
    guard
      let ipv4 = SocketsConfiguration.StaticIPv4(
        address: IPv4Address(198, 18, 0, host), prefixLength: 24,
        gateway: IPv4Address(198, 18, 0, 254))
    else { throw NetError(.invalidInput, message: "198.18.0.\(host)/24 is not a network") }
    try network.register(port: port, as: name)
    let device = SocketsConfiguration.Device.simulated(
      SimulatedConfig(port: name, mac: .static(MACAddress(2, 0, 0, 0, 0, host)), ipv4: ipv4))
    if port == 0 {
      result.serverDevice = device.description
    } else {
      result.clientDevice = device.description
    }
    return try UserspaceRuntime(configuration: SocketsConfiguration(device: device))
  }

  /// Binds the HTTP port on `runtime` and serves `page` to one connection on a thread of its
  /// own, then closes the listener; join the thread for the server's tally. Blocks only for
  /// the bind.
  static func serveOnce(
    _ page: [UInt8], on runtime: UserspaceRuntime
  ) throws(NetError) -> ServiceThread<Result<ConnectionTally, NetError>> {
    let listener = try UserspaceTCPListener.bind(
      to: .v4(.any, port: serverPort), backlog: nil, on: runtime)
    let service = HTTPService(body: page)
    return ServiceThread(name: "usnet-demo-server") {
      () -> Result<ConnectionTally, NetError> in
      defer { listener.close() }
      do throws(NetError) {
        let (stream, _) = try listener.accept()
        return .success(try service.serve(stream))
      } catch {
        return .failure(error)
      }
    }
  }

  /// Serves `page` on `server` and fetches it from `client`, within the time limit: past it,
  /// a watchdog shuts both runtimes down, which fails the blocked calls.
  private static func exchange(
    _ page: [UInt8], server: UserspaceRuntime, client: UserspaceRuntime,
    settings: DemoSettings, into result: inout DemoResult
  ) throws(NetError) {
    let serving = try serveOnce(page, on: server)
    let done = DispatchSemaphore(value: 0)
    let limit = settings.timeLimit
    let watchdog = ServiceThread(name: "usnet-demo-watchdog") { () -> Bool in
      let (seconds, attoseconds) = limit.components
      let wait = Double(seconds) + Double(attoseconds) / 1e18
      guard done.wait(timeout: .now() + wait) == .timedOut else { return false }
      client.shutdown()
      server.shutdown()
      return true
    }
    defer {
      done.signal()
      if watchdog.join() {
        result.failure = "the fetch did not finish within \(Formatting.duration(limit))"
      }
    }
    let start = ContinuousClock.now
    let stream = try UserspaceTCPStream.connect(
      to: .v4(serverAddress, port: serverPort), timeout: limit, on: client)
    defer { stream.close() }
    result.handshake = ContinuousClock.now - start
    result.fetch = try HTTPFetch.get("/", host: "\(serverAddress)", on: stream)
    result.elapsed = ContinuousClock.now - start
    switch serving.join(timeout: .seconds(10)) {
    case .success(let tally): result.server = tally
    case .failure(let error): throw error
    case nil: throw NetError(.timedOut, message: "the server did not finish after the fetch")
    }
  }
}
