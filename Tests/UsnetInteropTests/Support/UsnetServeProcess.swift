import Foundation
import Testing

/// `usnet serve` running in the usnet side of an ``InteropLab`` on one ``LabDevice``, with
/// echo, discard, sink, source and HTTP on their usual ports.
///
/// The binary is a release build (``binary``). The process is killed with the lab.
struct UsnetServeProcess {
  /// The echo port (TCP and UDP).
  static let echoPort = 7
  /// The discard port.
  static let discardPort = 9
  /// The sink port.
  static let sinkPort = 5001
  /// The source port.
  static let sourcePort = 5002
  /// The HTTP port.
  static let httpPort = 80

  /// The running process.
  let process: BackgroundProcess
  /// The device it serves on.
  let device: LabDevice

  /// The release `usnet` executable: the one `USNET_INTEROP_BINARY` names, or else one built
  /// here once per test process (`swift build -c release --product usnet`, into its own
  /// scratch path `.build-interop-usnet`, so it is never stale and never waits for the lock of
  /// the build that runs the tests). Release, because a debug stack moves bulk data about 50
  /// times slower.
  static let binary: Result<String, CommandError> = {
    if let path = ProcessInfo.processInfo.environment["USNET_INTEROP_BINARY"] {
      return .success(path)
    }
    let package = URL(fileURLWithPath: InteropLab.script).deletingLastPathComponent()
      .deletingLastPathComponent().path
    let scratch = package + "/.build-interop-usnet"
    let start = ContinuousClock.now
    do {
      try NamespaceLab.run([
        "swift", "build", "-c", "release", "--product", "usnet", "--package-path", package,
        "--scratch-path", scratch,
      ])
    } catch let error as CommandError {
      return .failure(error)
    } catch {
      return .failure(CommandError(command: ["swift", "build"], status: -1, output: "\(error)"))
    }
    print("interop: built the release usnet in \(start.duration(to: .now))")
    return .success(scratch + "/release/usnet")
  }()

  /// Starts the services on `device` in `lab` and waits until they listen and the kernel's
  /// ping reaches the stack (the link is up, ARP resolved).
  init(on device: LabDevice, in lab: InteropLab) throws {
    let binary = try Self.binary.get()
    self.device = device
    process = try lab.usnetSide.spawn(
      "serve-\(device.rawValue)",
      [
        binary, "serve", "--echo", "\(Self.echoPort)", "--discard", "\(Self.discardPort)",
        "--sink", "\(Self.sinkPort)", "--source", "\(Self.sourcePort)", "--http",
        "\(Self.httpPort)",
      ],
      environment: device.environment)
    try #require(
      process.waitForOutput("echo listening on UDP", timeout: .seconds(20)),
      "usnet serve did not start: \(process.output) \(process.errorOutput)")
    try #require(
      Self.waitForPing(from: lab.kernelSide, to: device.stackAddress, attempts: 20),
      "the stack at \(device.stackAddress) does not answer ping: \(process.errorOutput)")
  }

  /// Pings `address` once a second until a reply comes, up to `attempts` times.
  static func waitForPing(from lab: NamespaceLab, to address: String, attempts: Int) -> Bool {
    for _ in 0..<attempts {
      if (try? lab.exec(["ping", "-c", "1", "-W", "1", address])) != nil { return true }
    }
    return false
  }
}
