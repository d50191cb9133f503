// Unsafe sites in this file: 1 (1 `unsafe` mark).
//   1. `enterCurrentThread(path:)`: usnet_netns_enter gets the path as a NUL-terminated copy of
//      a String, valid for the call; it only reads it.
// Everything else calls C functions that take and return integers only.

import CUsnetDevice

/// The network namespace of the calling thread.
///
/// On Linux a network namespace belongs to a thread, not to a process: a thread that leaves
/// its namespace takes only itself along, and sockets and TAP devices it opens afterwards live
/// in the new namespace for their whole life, whichever thread uses them later (lab note G8).
public enum NetworkNamespace {
  /// Moves the calling thread into a new, empty network namespace (unshare(CLONE_NEWNET)):
  /// only a loopback link, down. It vanishes, with every link created in it, when the thread
  /// has ended and the last socket or device opened in it is closed.
  ///
  /// Call it only on a thread you own and that runs nothing else: never on the main thread of
  /// a program that expects its network, nor on a Dispatch or Swift concurrency pool thread,
  /// which would run other work in the new namespace. There is no way back to the previous
  /// namespace. Does not block.
  /// - Throws: ``DeviceError`` for `unshare(CLONE_NEWNET)`: EPERM without CAP_SYS_ADMIN.
  public static func unshareCurrentThread() throws(DeviceError) {
    let result = usnet_netns_unshare()
    guard result == 0 else { throw DeviceError(call: "unshare(CLONE_NEWNET)", errno: -result) }
  }

  /// Moves the calling thread into the network namespace whose file is at `path`
  /// (setns(CLONE_NEWNET)), such as `/run/netns/NAME` for one made by `ip netns add NAME`.
  /// Threads it starts afterwards are in that namespace too.
  ///
  /// The same caution as for ``unshareCurrentThread()``: only on a thread you own. Does not
  /// block.
  /// - Throws: ``DeviceError`` for `open` (ENOENT for a missing namespace) or `setns` (EPERM
  ///   without CAP_SYS_ADMIN).
  public static func enterCurrentThread(path: String) throws(DeviceError) {
    let result = unsafe usnet_netns_enter(path)
    guard result == 0 else { throw DeviceError(call: "setns(\(path))", errno: -result) }
  }
}
