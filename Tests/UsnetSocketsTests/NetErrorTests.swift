import Testing
import UsnetSockets

#if canImport(Glibc)
  import Glibc
#endif

@Suite("NetError")
struct NetErrorTests {
  @Test(
    "errno maps to the kind Rust's decode_error_kind gives",
    arguments: [
      (ECONNREFUSED, NetError.Kind.connectionRefused), (ECONNRESET, .connectionReset),
      (ECONNABORTED, .connectionAborted), (EPIPE, .brokenPipe), (ENOTCONN, .notConnected),
      (EADDRINUSE, .addrInUse), (EADDRNOTAVAIL, .addrNotAvailable),
      (EHOSTUNREACH, .hostUnreachable), (ENETUNREACH, .networkUnreachable),
      (ENETDOWN, .networkDown), (EAGAIN, .wouldBlock), (ETIMEDOUT, .timedOut),
      (EINTR, .interrupted), (EINVAL, .invalidInput), (ENOSYS, .unsupported),
      (EPERM, .permissionDenied), (EACCES, .permissionDenied), (ENOMEM, .outOfMemory),
      (EMSGSIZE, .messageTooLong), (ENOENT, .other),
    ])
  func errnoMapping(number: Int32, kind: NetError.Kind) {
    let error = NetError(errno: number)
    #expect(error.kind == kind)
    #expect(error.errno == number)
  }

  @Test("the description names the kind, the message and the errno")
  func description() {
    let error = NetError(.connectionRefused, errno: ECONNREFUSED, message: "connection refused")
    #expect(error.description == "connectionRefused: connection refused (errno \(ECONNREFUSED))")
    #expect(NetError(.writeZero).description == "writeZero: writeZero")
  }
}
