import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The lab of `ci/netns-lab.sh` for one test: namespaces `usnet-a-<tag>` (the userspace side:
/// a TAP on a bridge, the parents of a bridge-mode and a passthru macvtap, an AF_PACKET veth
/// end) and `usnet-b-<tag>` (the kernel peer, 198.18.0.2 on the bridge joining them), with a
/// tag unique to this process and lab.
///
/// ``destroy()`` (also run on deinit) kills the processes the lab started, by PID, and then
/// has the script kill what is left inside and delete both namespaces (lab note G11).
final class InteropLab {
  /// The userspace side, `usnet-a-<tag>`.
  let usnetSide: NamespaceLab
  /// The kernel peer, `usnet-b-<tag>`, at ``kernelAddress``.
  let kernelSide: NamespaceLab
  private let tag: String
  private var built = false

  /// The kernel peer's address on the lab segment.
  static let kernelAddress = "198.18.0.2"

  /// `ci/netns-lab.sh`, found from this file's place in the package.
  static let script = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("ci/netns-lab.sh").path

  /// Builds the lab; on failure the script has already removed what it built.
  init() throws {
    tag =
      String(getpid() % 100_000, radix: 36) + String(UInt32.random(in: 0...UInt32.max), radix: 36)
    usnetSide = try NamespaceLab(adopting: "usnet-a-\(tag)")
    kernelSide = try NamespaceLab(adopting: "usnet-b-\(tag)")
    try NamespaceLab.run([Self.script, "up", tag])
    built = true
  }

  deinit { destroy() }

  /// Kills the lab's processes and deletes both namespaces.
  func destroy() {
    usnetSide.destroy()
    kernelSide.destroy()
    if built {
      _ = try? NamespaceLab.run([Self.script, "down", tag])
      built = false
    }
  }
}
