import Foundation
import UsnetPcap
import UsnetSim
import UsnetSockets
import UsnetStack
import UsnetWire

/// The core of `usnet demo --netns`, callable in-process: a network namespace of its own
/// (``DemoNamespace``) with a TAP whose kernel side is ``kernelAddress``, a usnet stack on the
/// TAP (``stackAddress``, from a `TapConfig` `Create` configuration, recording its frames to
/// the pcap) serving the demo page with ``HTTPService`` on a ``UserspaceTCPListener``, and the
/// kernel's `curl`, run inside the namespace, fetching it.
public enum NamespaceDemoRun {
  /// The kernel side of the TAP.
  public static let kernelAddress = IPv4Address(198, 18, 5, 1)
  /// The usnet stack's address.
  public static let stackAddress = IPv4Address(198, 18, 5, 2)
  /// The usnet stack's MAC address.
  public static let stackMAC = MACAddress(0x02, 0x00, 0xc6, 0x12, 0x05, 0x02)

  /// The page's URL.
  public static var url: String { "http://\(stackAddress):\(DemoRun.serverPort)/" }

  /// Runs the demo with `settings` (the page size, the pcap file and the time limit; the
  /// path's impairments are the simulator's and do not apply) and returns what happened;
  /// never throws or traps. Blocks the calling thread for the whole run. The namespace is
  /// deleted before it returns, whatever happened.
  public static func perform(_ settings: DemoSettings) -> DemoResult {
    var result = DemoResult(settings: settings)
    guard let ip = ProgramRun.find("ip") else {
      result.failure = "ip (iproute2) is not installed: it makes the network namespace"
      return result
    }
    guard let curl = ProgramRun.find("curl") else {
      result.failure = "curl is not installed: it is the kernel-side client"
      return result
    }
    let namespace: DemoNamespace
    do throws(DemoNamespace.Failure) {
      namespace = try DemoNamespace(ip: ip)
    } catch {
      result.failure = error.description
      return result
    }
    defer { namespace.delete() }
    result.clientDevice = "curl in network namespace \(namespace.name), \(kernelAddress)/24"
    serve(settings, namespace: namespace, curl: curl, into: &result)
    // The runtime is gone, so the recording device has closed the file.
    result.pcapFrames = (try? PcapReader(path: settings.pcap).readAll().count) ?? 0
    return result
  }

  /// Starts the stack in `namespace`, serves the page, fetches it with curl and shuts the
  /// stack down.
  private static func serve(
    _ settings: DemoSettings, namespace: DemoNamespace, curl: String,
    into result: inout DemoResult
  ) {
    let page = DemoPage.body(bytes: settings.bytes)
    var hash = SHA256()
    hash.update(page)
    result.expectedDigest = hash.hexDigest()
    guard
      let identity = SocketsConfiguration.StaticIPv4(
        address: stackAddress, prefixLength: 24, gateway: kernelAddress)
    else {
      result.failure = "\(stackAddress)/24 is not a network"
      return
    }
    let configuration = SocketsConfiguration(
      device: .tap(.create(mac: .static(stackMAC), ipv4: identity, hostIP: kernelAddress)),
      usesKernelTwin: false, pcapPath: settings.pcap)
    result.serverDevice = configuration.device.description
    do throws(NetError) {
      let runtime = try namespace.startRuntime(configuration)
      defer { runtime.shutdown() }
      let serving = try DemoRun.serveOnce(page, on: runtime)
      fetch(curl: curl, namespace: namespace, settings: settings, into: &result)
      if result.failure != nil { runtime.shutdown() }
      switch serving.join(timeout: .seconds(10)) {
      case .success(let tally): result.server = tally
      case .failure(let error): result.failure = result.failure ?? "the server: \(error)"
      case nil: result.failure = result.failure ?? "the server did not finish after the fetch"
      }
      result.serverCounters = try? runtime.counters()
    } catch {
      result.failure = result.failure ?? "the usnet stack on the TAP: \(error)"
    }
  }

  /// Runs curl in a scratch directory that is removed afterwards.
  private static func fetch(
    curl: String, namespace: DemoNamespace, settings: DemoSettings,
    into result: inout DemoResult
  ) {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "\(namespace.name)-curl")
    defer { try? FileManager.default.removeItem(at: directory) }
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      let outcome = try KernelCurl.fetch(
        url, curl: curl, in: namespace, timeLimit: settings.timeLimit, directory: directory)
      result.fetch = outcome.fetch
      result.handshake = outcome.handshake
      result.elapsed = outcome.elapsed
    } catch {
      result.failure = "\(error)"
    }
  }
}
