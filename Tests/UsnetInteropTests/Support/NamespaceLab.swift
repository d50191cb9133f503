import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Why the root-only interop suites cannot run here, or `nil` when they can: they need root
/// (TAP devices, network namespaces), `/dev/net/tun`, and the kernel side's programs: `ip`,
/// `python3`, `ping`, `curl`, `socat`, `nc` (netcat-openbsd) and `sha256sum`.
let interopSkipReason: String? = {
  var reasons: [String] = []
  if getuid() != 0 { reasons.append("not running as root (uid \(getuid()))") }
  if !FileManager.default.fileExists(atPath: "/dev/net/tun") {
    reasons.append("/dev/net/tun is missing")
  }
  if NamespaceLab.python == nil { reasons.append("python3 is not installed") }
  let programs = ["ip", "ping", "curl", "socat", "nc", "sha256sum", "bash"]
  for program in programs where NamespaceLab.executable(program) == nil {
    reasons.append("`\(program)` is not on PATH")
  }
  guard !reasons.isEmpty else { return nil }
  let reason = "interop tests skipped: " + reasons.joined(separator: ", ")
  print(reason)
  return reason
}()

/// A failed command, with what it printed.
struct CommandError: Error, CustomStringConvertible {
  var command: [String]
  var status: Int32
  var output: String
  var description: String {
    "`\(command.joined(separator: " "))` exited with \(status): \(output)"
  }
}

/// A uniquely named network namespace for one test, with helpers to run commands in it.
/// ``destroy()`` (also run on deinit) kills the processes the lab started, by PID, and then
/// deletes the namespace (lab note G11: a process inside pins a deleted namespace).
final class NamespaceLab {
  /// The namespace's name, `usnet-sim-<pid>-<random>`.
  let name: String
  /// A scratch directory for process output.
  let directory: URL
  private var processes: [Process] = []
  private var created = false

  /// Creates the namespace `usnet-sim-<pid>-<random>`; ``destroy()`` deletes it.
  convenience init() throws {
    let tag = String(UInt32.random(in: 0...UInt32.max), radix: 16)
    try self.init(adopting: "usnet-sim-\(getpid())-\(tag)")
    try Self.run(["ip", "netns", "add", name])
    created = true
  }

  /// Takes the existing namespace `name` (built by ci/netns-lab.sh): ``destroy()`` kills the
  /// processes started here but leaves the namespace to its builder.
  init(adopting name: String) throws {
    self.name = name
    directory = FileManager.default.temporaryDirectory
      .appendingPathComponent(name, isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  }

  deinit { destroy() }

  /// Kills the lab's processes and deletes the namespace and the scratch directory.
  func destroy() {
    for process in processes where process.isRunning {
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
    }
    processes.removeAll()
    if created {
      _ = try? Self.run(["ip", "netns", "del", name])
      created = false
    }
    try? FileManager.default.removeItem(at: directory)
  }

  /// Runs `arguments` inside the namespace and returns its standard output.
  @discardableResult
  func exec(_ arguments: [String]) throws -> String {
    try Self.run(["ip", "netns", "exec", name] + arguments)
  }

  /// Turns IPv6 off, so nothing but a test's own traffic crosses the namespace's links, and
  /// brings loopback up.
  func isolate() throws {
    try exec(["sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1"])
    try exec(["sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1"])
    try exec(["ip", "link", "set", "lo", "up"])
  }

  /// Creates the veth pair `va` (here, down, without addresses) and `vb` (in `peer`, up,
  /// with `peerAddress`/24).
  func addVethPair(peer: NamespaceLab, peerAddress: String) throws {
    try exec(
      ["ip", "link", "add", "va", "type", "veth", "peer", "name", "vb", "netns", peer.name])
    try peer.exec(["ip", "addr", "add", "\(peerAddress)/24", "dev", "vb"])
    try peer.exec(["ip", "link", "set", "vb", "up"])
  }

  /// Runs `body` on a new thread that first enters the namespace (`setns`), waits for it and
  /// returns what it returned. For code that acts on the calling thread's namespace: netlink
  /// sockets, macvtaps (their private sysfs), kernel sockets. The thread ends afterwards, but
  /// what it opened stays in the namespace.
  func runInside<Value: Sendable>(
    _ body: @escaping @Sendable () throws -> Value
  ) throws -> Value {
    let path = "/run/netns/\(name)"
    let outcome = ThreadOutcome<Value>()
    let finished = DispatchSemaphore(value: 0)
    let thread = Thread {
      let result = Result<Value, any Error> {
        let namespace = open(path, O_RDONLY | O_CLOEXEC)
        guard namespace >= 0, enterNetworkNamespace(namespace) == 0 else {
          let error = errno
          if namespace >= 0 { close(namespace) }
          throw CommandError(command: ["setns", path], status: error, output: "errno \(error)")
        }
        close(namespace)
        return try body()
      }
      outcome.result.withLock { $0 = result }
      finished.signal()
    }
    thread.start()
    finished.wait()
    return try outcome.result.withLock { $0 }.get()
  }

  /// Starts `arguments` inside the namespace in the background, its standard output and error
  /// going to files in ``directory`` named after `label`, with `environment` added to this
  /// process's.
  func spawn(
    _ label: String, _ arguments: [String], environment: [String: String] = [:]
  ) throws -> BackgroundProcess {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try Self.require("ip"))
    process.arguments = ["netns", "exec", name] + arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let output = directory.appendingPathComponent("\(label).out")
    let error = directory.appendingPathComponent("\(label).err")
    _ = FileManager.default.createFile(atPath: output.path, contents: nil)
    _ = FileManager.default.createFile(atPath: error.path, contents: nil)
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = try FileHandle(forWritingTo: output)
    process.standardError = try FileHandle(forWritingTo: error)
    try process.run()
    processes.append(process)
    return BackgroundProcess(process: process, outputPath: output.path, errorPath: error.path)
  }

  /// The path of `name` on `PATH` (or `name` itself when it is a path), or `nil`.
  static func executable(_ name: String) -> String? {
    if name.contains("/") {
      return FileManager.default.isExecutableFile(atPath: name) ? name : nil
    }
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin"
    for directory in path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin"] {
      let candidate = "\(directory)/\(name)"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }

  /// python3: the system one if present, else the first on `PATH`.
  static let python: String? =
    FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")
    ? "/usr/bin/python3" : executable("python3")

  private static func require(_ name: String) throws -> String {
    guard let path = executable(name) else {
      throw CommandError(command: [name], status: -1, output: "not found on PATH")
    }
    return path
  }

  /// Runs a command to completion and returns its standard output; throws on a non-zero exit.
  @discardableResult
  static func run(_ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try require(arguments[0]))
    process.arguments = Array(arguments.dropFirst())
    let pipe = Pipe()
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let output = String(decoding: data, as: UTF8.self)
    guard process.terminationStatus == 0 else {
      throw CommandError(command: arguments, status: process.terminationStatus, output: output)
    }
    return output
  }
}

/// `setns(fd, CLONE_NEWNET)`: moves the calling thread into the network namespace `fd` refers
/// to; 0 or -1 with `errno`. Glibc's Swift module leaves `setns` out (it is a GNU extension),
/// so it is looked up by name.
private func enterNetworkNamespace(_ fd: Int32) -> Int32 {
  typealias SetNamespace = @convention(c) (Int32, Int32) -> Int32
  guard let symbol = dlsym(nil, "setns") else { return -1 }
  let cloneNewNetwork: Int32 = 0x4000_0000
  return unsafeBitCast(symbol, to: SetNamespace.self)(fd, cloneNewNetwork)
}

/// What the thread of ``NamespaceLab/runInside(_:)`` hands back.
private final class ThreadOutcome<Value: Sendable>: Sendable {
  let result = Mutex<Result<Value, any Error>>(
    .failure(CommandError(command: ["runInside"], status: -1, output: "the thread did not run")))
}

/// A process started by ``NamespaceLab/spawn(_:_:)``.
struct BackgroundProcess {
  let process: Process
  let outputPath: String
  let errorPath: String

  /// What it has written to standard output so far.
  var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }
  /// What it has written to standard error so far.
  var errorOutput: String { (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "" }

  /// Waits until standard output contains `marker`, the process exits, or `timeout` passes.
  func waitForOutput(_ marker: String, timeout: Duration) -> Bool {
    let clock = ContinuousClock()
    let end = clock.now + timeout
    while clock.now < end {
      if output.contains(marker) { return true }
      if !process.isRunning { return output.contains(marker) }
      usleep(10_000)
    }
    return false
  }

  /// Waits up to `timeout` for the process to exit; returns whether it did.
  func waitForExit(timeout: Duration) -> Bool {
    let clock = ContinuousClock()
    let end = clock.now + timeout
    while process.isRunning && clock.now < end { usleep(10_000) }
    return !process.isRunning
  }
}
