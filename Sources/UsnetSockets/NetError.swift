#if canImport(Glibc)
  import Glibc
#endif

/// The error of every usnet socket call, identical for the userspace and the kernel backends.
///
/// `kind` says what went wrong in the terms of Rust's `io::ErrorKind`; `errno` carries the
/// kernel's number when a kernel call produced the error (the Host backend), or the number
/// Linux would have used (the userspace backend), so code that switches on either behaves the
/// same on both.
public struct NetError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The category of the failure.
  public var kind: Kind
  /// The Linux errno for the failure, when one applies.
  public var errno: Int32?
  /// A short human-readable explanation.
  public var message: String

  /// Creates an error.
  public init(_ kind: Kind, errno: Int32? = nil, message: String? = nil) {
    self.kind = kind
    self.errno = errno
    self.message = message ?? kind.description
  }

  /// `kind: message (errno N)`.
  public var description: String {
    if let errno { return "\(kind): \(message) (errno \(errno))" }
    return "\(kind): \(message)"
  }

  /// Maps a Linux errno to its kind, as Rust's `decode_error_kind` does.
  public init(errno number: Int32, message: String? = nil) {
    self.init(Kind(errno: number), errno: number, message: message)
  }
}

extension NetError {
  /// The kinds of failure, mirroring Rust's `io::ErrorKind` for networking. A struct with
  /// static members, so kinds can be added without breaking exhaustive switches.
  public struct Kind: Hashable, Sendable, CustomStringConvertible {
    /// The kind's name, like `connectionRefused`.
    public let name: String

    private init(_ name: String) { self.name = name }

    /// The name.
    public var description: String { name }

    /// The peer refused the connection (ECONNREFUSED).
    public static let connectionRefused = Kind("connectionRefused")
    /// The peer reset the connection (ECONNRESET).
    public static let connectionReset = Kind("connectionReset")
    /// The connection was aborted locally (ECONNABORTED).
    public static let connectionAborted = Kind("connectionAborted")
    /// Writing to a connection whose sending side is closed (EPIPE).
    public static let brokenPipe = Kind("brokenPipe")
    /// The socket is not connected (ENOTCONN).
    public static let notConnected = Kind("notConnected")
    /// The address is in use (EADDRINUSE).
    public static let addrInUse = Kind("addrInUse")
    /// The address is not available here (EADDRNOTAVAIL).
    public static let addrNotAvailable = Kind("addrNotAvailable")
    /// No route to the host (EHOSTUNREACH).
    public static let hostUnreachable = Kind("hostUnreachable")
    /// No route to the network (ENETUNREACH).
    public static let networkUnreachable = Kind("networkUnreachable")
    /// The network is down (ENETDOWN).
    public static let networkDown = Kind("networkDown")
    /// The call would block in nonblocking mode, or a read/write timeout expired (EAGAIN).
    public static let wouldBlock = Kind("wouldBlock")
    /// A connect or user timeout expired (ETIMEDOUT).
    public static let timedOut = Kind("timedOut")
    /// The call was interrupted (EINTR).
    public static let interrupted = Kind("interrupted")
    /// An argument was invalid (EINVAL).
    public static let invalidInput = Kind("invalidInput")
    /// A message was too long (EMSGSIZE).
    public static let messageTooLong = Kind("messageTooLong")
    /// `readExact` reached the end of the stream first.
    public static let unexpectedEof = Kind("unexpectedEof")
    /// `writeAll` could not write any byte.
    public static let writeZero = Kind("writeZero")
    /// The operation is not supported (yet) (ENOSYS, EOPNOTSUPP).
    public static let unsupported = Kind("unsupported")
    /// Not allowed (EPERM, EACCES).
    public static let permissionDenied = Kind("permissionDenied")
    /// Out of memory (ENOMEM).
    public static let outOfMemory = Kind("outOfMemory")
    /// Anything else.
    public static let other = Kind("other")

    /// The kind Rust's `decode_error_kind` gives a Linux errno.
    public init(errno number: Int32) {
      switch number {
      case ECONNREFUSED: self = .connectionRefused
      case ECONNRESET: self = .connectionReset
      case ECONNABORTED: self = .connectionAborted
      case EPIPE: self = .brokenPipe
      case ENOTCONN: self = .notConnected
      case EADDRINUSE: self = .addrInUse
      case EADDRNOTAVAIL: self = .addrNotAvailable
      case EHOSTUNREACH: self = .hostUnreachable
      case ENETUNREACH: self = .networkUnreachable
      case ENETDOWN: self = .networkDown
      case EAGAIN: self = .wouldBlock
      case ETIMEDOUT: self = .timedOut
      case EINTR: self = .interrupted
      case EINVAL: self = .invalidInput
      case EMSGSIZE: self = .messageTooLong
      case ENOSYS, EOPNOTSUPP: self = .unsupported
      case EPERM, EACCES: self = .permissionDenied
      case ENOMEM: self = .outOfMemory
      default: self = .other
      }
    }
  }
}
