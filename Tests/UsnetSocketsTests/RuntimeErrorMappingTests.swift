import Testing
import UsnetStack

@testable import UsnetSockets

#if canImport(Glibc)
  import Glibc
#endif

@Suite("Runtime: StackError to NetError")
struct RuntimeErrorMappingTests {
  @Test(
    "each stack error maps to Linux's errno and Rust's kind",
    arguments: [
      (StackError.invalidHandle, EBADF, NetError.Kind.other),
      (.addressInUse, EADDRINUSE, .addrInUse),
      (.addressNotAvailable, EADDRNOTAVAIL, .addrNotAvailable),
      (.networkUnreachable, ENETUNREACH, .networkUnreachable),
      (.invalidArgument("x"), EINVAL, .invalidInput),
      (.notConnected, ENOTCONN, .notConnected),
      (.alreadyConnected, EISCONN, .other),
      (.brokenPipe, EPIPE, .brokenPipe),
      (.connection(.refused), ECONNREFUSED, .connectionRefused),
      (.connection(.reset), ECONNRESET, .connectionReset),
      (.connection(.timedOut(lastICMP: nil)), ETIMEDOUT, .timedOut),
      (.connection(.timedOut(lastICMP: .host)), EHOSTUNREACH, .hostUnreachable),
      (.connection(.unreachable(.host)), EHOSTUNREACH, .hostUnreachable),
      (.connection(.unreachable(.network)), ENETUNREACH, .networkUnreachable),
      (.connection(.unreachable(.port)), ECONNREFUSED, .connectionRefused),
      (.connection(.unreachable(.proto)), ENOPROTOOPT, .other),
      (.connection(.unreachable(.prohibited)), EHOSTUNREACH, .hostUnreachable),
      (.connection(.unreachable(.other(code: 15))), EHOSTUNREACH, .hostUnreachable),
      (.connection(.aborted), ECONNABORTED, .connectionAborted),
      (.messageTooLong, EMSGSIZE, .messageTooLong),
      (.datagramUnreachable(.port), ECONNREFUSED, .connectionRefused),
      (.datagramUnreachable(.fragmentationNeeded(mtu: 1400)), EMSGSIZE, .messageTooLong),
    ])
  func mapping(error: StackError, errno: Int32, kind: NetError.Kind) {
    let mapped = NetError(error)
    #expect(mapped.errno == errno)
    #expect(mapped.kind == kind)
    #expect(mapped.message == error.description)
  }
}
