import Foundation
import Synchronization
import UsnetDevice
import UsnetSockets

#if canImport(Glibc)
  import Glibc
#endif

/// A network namespace of its own for one `usnet demo --netns` (or `usnet bridge-compare`)
/// run, made with `ip netns add` under a name unique to the process and the run, and the
/// programs run inside it.
///
/// ``delete()`` ends the programs still running in it and deletes it (`ip netns del`); the
/// TAP inside goes with it. ``deleteAll()`` does that for every namespace of the process that
/// is still there: what `usnet demo` calls on SIGINT and SIGTERM.
///
/// **Threading:** thread-safe. **Blocking:** creating, ``delete()``, ``run(_:)`` and
/// ``startRuntime(_:)`` block for the programs and the setup they run.
public final class DemoNamespace: Sendable {
  /// Why a namespace could not be had.
  public struct Failure: Error, CustomStringConvertible {
    /// What went wrong and what to do, in words.
    public var description: String
  }

  /// The namespace's name, like `usnet-demo-4711-1` (the prefix, the pid, a counter).
  public let name: String
  /// The `ip` program.
  public let ipPath: String
  private let state = Mutex(State())

  private struct State {
    var deleted = false
    var running: Set<Int32> = []
  }

  private static let created = Atomic<Int>(0)
  private static let live = Mutex<[DemoNamespace]>([])

  /// Creates a namespace with `ip` (`ip netns add`), named `<prefix>-<pid>-<counter>`.
  ///
  /// - Throws: ``Failure`` without root, or with what `ip` said.
  public init(ip ipPath: String, prefix: String = "usnet-demo") throws(Failure) {
    guard geteuid() == 0 else {
      throw Failure(
        description: "a network namespace and a TAP need root (CAP_SYS_ADMIN and "
          + "CAP_NET_ADMIN); run it with sudo, or without --netns")
    }
    let run = Self.created.add(1, ordering: .relaxed).newValue
    name = "\(prefix)-\(getpid())-\(run)"
    self.ipPath = ipPath
    let added: ProgramRun
    do {
      added = try ProgramRun.run(ipPath, ["netns", "add", name])
    } catch {
      throw Failure(description: "cannot run \(ipPath): \(error)")
    }
    guard added.succeeded else {
      throw Failure(description: "ip netns add \(name): \(added.complaint)")
    }
    Self.live.withLock { $0.append(self) }
  }

  /// Runs `command` inside the namespace (`ip netns exec`) and waits for it; ``delete()``
  /// ends it early.
  ///
  /// - Throws: Foundation's error when `ip` cannot be started.
  public func run(_ command: [String]) throws -> ProgramRun {
    var pid: Int32 = 0
    defer { _ = state.withLock { $0.running.remove(pid) } }
    return try ProgramRun.run(ipPath, ["netns", "exec", name] + command) { started in
      pid = started
      state.withLock { _ = $0.running.insert(started) }
    }
  }

  /// Starts a userspace runtime for `configuration` on a thread that entered the namespace,
  /// so that the TAP it creates and the netlink requests that address it happen inside
  /// (lab note G8); its engine thread starts there too.
  ///
  /// - Throws: the runtime's error, or `permissionDenied`/`notFound` from entering.
  public func startRuntime(
    _ configuration: SocketsConfiguration
  ) throws(NetError) -> UserspaceRuntime {
    let path = "/run/netns/\(name)"
    let starting = ServiceThread(name: "usnet-demo-netns") {
      () -> Result<UserspaceRuntime, NetError> in
      do throws(DeviceError) {
        try NetworkNamespace.enterCurrentThread(path: path)
      } catch {
        return .failure(NetError(errno: error.errno, message: "\(error.call): \(error.message)"))
      }
      do throws(NetError) {
        return .success(try UserspaceRuntime(configuration: configuration))
      } catch {
        return .failure(error)
      }
    }
    return try starting.join().get()
  }

  /// Ends the programs still running inside (SIGTERM) without deleting the namespace: for a
  /// kernel-side peer that outlived its time limit.
  public func terminatePrograms() {
    for pid in state.withLock({ $0.running }) { kill(pid, SIGTERM) }
  }

  /// Ends the programs still running inside (SIGTERM) and deletes the namespace. Idempotent.
  public func delete() {
    let pids = state.withLock { state -> Set<Int32>? in
      guard !state.deleted else { return nil }
      state.deleted = true
      return state.running
    }
    guard let pids else { return }
    for pid in pids { kill(pid, SIGTERM) }
    _ = try? ProgramRun.run(ipPath, ["netns", "del", name])
    Self.live.withLock { $0.removeAll { $0 === self } }
  }

  /// Whether `ip netns list` still shows the namespace.
  public var exists: Bool {
    let listed = try? ProgramRun.run(ipPath, ["netns", "list"])
    return listed?.standardOutput.split(separator: "\n").contains {
      $0.split(separator: " ").first.map(String.init) == name
    } ?? false
  }

  /// Deletes every namespace of this process that is still there. Blocks for `ip`.
  public static func deleteAll() {
    for namespace in live.withLock({ $0 }) { namespace.delete() }
  }
}
