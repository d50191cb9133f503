// Unsafe sites in this file: 1.
//   1. `message`: usnet_strerror writes the text for `errno` into a local [CChar] (passed as a
//      pointer and its exact length; the C side always NUL-terminates within it).

import CUsnetDevice

/// A failed system call on a device: which call, and the `errno` it returned.
///
/// The call is named the way the C code spells it, as swift-system does, for example
/// `"open(/dev/net/tun)"`, `"ioctl(TUNSETIFF)"`, `"read"`, `"write"`, `"ppoll"`. Arguments
/// that UsnetDevice rejects before any call (a name that is too long) come back as `EINVAL`
/// with a ``detail``.
///
/// A plain value; `Sendable`.
public struct DeviceError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The call that failed, like `"ioctl(TUNSETIFF)"`.
  public var call: String
  /// The `errno` value (positive), like 1 for `EPERM`.
  public var errno: Int32
  /// What was being done, when the call and errno alone do not say it (an interface name...).
  public var detail: String?

  /// Creates an error for `call` that failed with `errno`.
  public init(call: String, errno: Int32, detail: String? = nil) {
    self.call = call
    self.errno = errno
    self.detail = detail
  }

  /// The system's text for ``errno``, like "Operation not permitted".
  public var message: String {
    var text = [CChar](repeating: 0, count: 256)
    unsafe usnet_strerror(errno, &text, Int64(text.count))
    let bytes = text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// `"ioctl(TUNSETIFF): Operation not permitted (errno 1) [tap name usnet0]"`.
  public var description: String {
    let suffix = detail.map { " [\($0)]" } ?? ""
    return "\(call): \(message) (errno \(errno))\(suffix)"
  }

  /// Would block (EAGAIN/EWOULDBLOCK).
  public var isWouldBlock: Bool { errno == 11 }

  /// `EINVAL`.
  static let invalidArgument: Int32 = 22
  /// `EBADF`.
  static let badDescriptor: Int32 = 9
}
