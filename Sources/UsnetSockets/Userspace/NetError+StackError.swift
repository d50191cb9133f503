import UsnetStack

#if canImport(Glibc)
  import Glibc
#endif

extension NetError {
  /// The error a Linux socket call would have returned for the stack's `error`: the same
  /// errno, and the kind Rust's `decode_error_kind` gives that errno.
  init(_ error: StackError) {
    self.init(errno: error.linuxErrno, message: error.description)
  }
}

extension StackError {
  /// The errno Linux reports in the same situation.
  var linuxErrno: Int32 {
    switch self {
    case .invalidHandle: EBADF
    case .addressInUse: EADDRINUSE
    case .addressNotAvailable: EADDRNOTAVAIL
    case .networkUnreachable: ENETUNREACH
    case .invalidArgument: EINVAL
    case .notConnected: ENOTCONN
    case .alreadyConnected: EISCONN
    case .brokenPipe: EPIPE
    case .connection(let error): error.linuxErrno
    case .messageTooLong: EMSGSIZE
    case .datagramUnreachable(let reason): reason.linuxErrno
    }
  }
}

extension TCPConnectionError {
  /// The errno Linux reports for a connection that failed this way (its SO_ERROR).
  var linuxErrno: Int32 {
    switch self {
    case .refused: ECONNREFUSED
    case .reset: ECONNRESET
    // Linux reports the soft ICMP error seen while retrying instead of ETIMEDOUT.
    case .timedOut(let icmp?): icmp.linuxErrno
    case .timedOut(nil): ETIMEDOUT
    case .unreachable(let reason): reason.linuxErrno
    case .aborted: ECONNABORTED
    }
  }
}

extension UnreachableReason {
  /// The errno Linux's `icmp_err_convert` table gives this ICMP unreachable code.
  var linuxErrno: Int32 {
    switch self {
    case .network: ENETUNREACH
    case .host: EHOSTUNREACH
    case .proto: ENOPROTOOPT
    case .port: ECONNREFUSED
    case .prohibited: EHOSTUNREACH
    case .fragmentationNeeded: EMSGSIZE
    case .other: EHOSTUNREACH
    }
  }
}
