// Unsafe sites in this file: 1 (2 `unsafe` marks: the `withUnsafeMutableBufferPointer` call and
// the C call).
//   1. `readFile(_:)`: usnet_file_read_at gets the path (a NUL-terminated copy of a String)
//      and writes at most `bytes.count` bytes into a local [UInt8] of exactly that length.
// Everything else calls C functions that take and return integers only.

import CUsnetDevice

/// A sysfs of the calling thread's network namespace, mounted nowhere: the `/sys/class/net`
/// view that matches a namespace entered with `setns` or ``NetworkNamespace``.
///
/// The system's `/sys` shows the links of the namespace that mounted it, whichever namespace
/// the reading thread is in (lab note G2), so a process that moved one thread into another
/// namespace would read another namespace's links there, with the same names and indexes
/// possibly in use. This mounts a fresh sysfs, detached (`fsmount` without `move_mount`), so
/// it belongs to the opening thread's namespace and no other process sees it; it is unmounted
/// when the value is released. Needs CAP_SYS_ADMIN.
///
/// **Threading:** not thread-safe and not `Sendable`; one owner. **Blocking:** reads block
/// only for sysfs (kernel memory, no I/O).
final class NamespaceSysfs {
  private let descriptor: Int32

  /// The longest file ``readFile(_:)`` returns in full.
  static let maximumFileLength = 4096

  /// Mounts the private sysfs. Does not block.
  /// - Throws: ``DeviceError`` for `fsopen(sysfs)` and friends: EPERM without CAP_SYS_ADMIN,
  ///   ENOSYS on kernels before 5.2.
  init() throws(DeviceError) {
    let opened = usnet_sysfs_open()
    guard opened >= 0 else { throw DeviceError(call: "fsmount(sysfs)", errno: -opened) }
    descriptor = opened
  }

  deinit {
    _ = usnet_fd_close(descriptor)
  }

  /// The text of the file at `path`, relative to the sysfs root (like `"class/net/lo/mtu"`),
  /// up to ``maximumFileLength`` bytes.
  /// - Throws: ``DeviceError`` for `open` or `read` (ENOENT for a missing file), with the path
  ///   in the call.
  func readFile(_ path: String) throws(DeviceError) -> String {
    var buffer = [UInt8](repeating: 0, count: Self.maximumFileLength)
    let descriptor = descriptor
    let count = unsafe buffer.withUnsafeMutableBufferPointer { bytes in
      unsafe usnet_file_read_at(descriptor, path, bytes.baseAddress, Int64(bytes.count))
    }
    guard count >= 0 else {
      throw DeviceError(call: "read(sysfs/\(path))", errno: Int32(truncatingIfNeeded: -count))
    }
    return String(decoding: buffer[0..<Int(count)], as: UTF8.self)
  }
}
