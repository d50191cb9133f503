import Testing
import UsnetSockets

/// Rust std's `library/std/src/net/tcp/tests.rs`, one test per std test, named as in std
/// and run on every backend. A test std runs through `each_ip` runs on IPv4 everywhere and
/// on IPv6 where the backend has it; the IPv6 cases of the other backends are a second,
/// disabled test named "<std name> (IPv6)", with the reason.
@Suite("std::net::tcp", .timeLimit(.minutes(2)))
struct TCPStdTests {
  @Test("bind_error", arguments: BackendID.all)
  func bindError(_ backend: BackendID) async throws {
    try await run(.tcp, backend) { backend, _ in try TCPStd.bindError(backend) }
  }

  @Test("connect_error", arguments: BackendID.all)
  func connectError(_ backend: BackendID) async throws {
    try await run(.tcp, backend) { backend, _ in try TCPStd.connectError(backend) }
  }

  @Test("connect_timeout_error", arguments: BackendID.all)
  func connectTimeoutError(_ backend: BackendID) async throws {
    try await run(.tcp, backend) { backend, _ in try TCPStd.connectTimeoutError(backend) }
  }

  @Test("listen_localhost", arguments: BackendID.all)
  func listenLocalhost(_ backend: BackendID) async throws {
    try await run(.tcp, backend) { backend, _ in try TCPStd.listenLocalhost(backend) }
  }

  @Test("connect_loopback", arguments: NetCase.eachIP)
  func connectLoopback(_ netCase: NetCase) async throws {
    try await run(.tcp, netCase.backend, netCase.family) { backend, family in
      try TCPStd.connectLoopback(backend, family)
    }
  }

  @Test(
    "connect_loopback (IPv6)", .disabled(ipv6PendingReason),
    arguments: NetCase.ipv6Pending)
  func connectLoopbackIPv6(_ netCase: NetCase) async throws {
    try await run(.tcp, netCase.backend, netCase.family) { backend, family in
      try TCPStd.connectLoopback(backend, family)
    }
  }

  @Test("smoke_test", arguments: NetCase.eachIP)
  func smokeTest(_ netCase: NetCase) async throws {
    try await run(.tcp, netCase.backend, netCase.family) { backend, family in
      try TCPStd.smokeTest(backend, family)
    }
  }

  @Test(
    "smoke_test (IPv6)", .disabled(ipv6PendingReason),
    arguments: NetCase.ipv6Pending)
  func smokeTestIPv6(_ netCase: NetCase) async throws {
    try await run(.tcp, netCase.backend, netCase.family) { backend, family in
      try TCPStd.smokeTest(backend, family)
    }
  }

  @Test("read_eof", arguments: NetCase.eachIP)
  func readEof(_ netCase: NetCase) async throws {
    try await run(.tcp, netCase.backend, netCase.family) { backend, family in
      try TCPStd.readEof(backend, family)
    }
  }

  @Test(
    "read_eof (IPv6)", .disabled(ipv6PendingReason),
    arguments: NetCase.ipv6Pending)
  func readEofIPv6(_ netCase: NetCase) async throws {
    try await run(.tcp, netCase.backend, netCase.family) { backend, family in
      try TCPStd.readEof(backend, family)
    }
  }

  @Test("write_close", arguments: NetCase.eachIP)
  func writeClose(_ netCase: NetCase) async throws {
    try await run(.tcp, netCase.backend, netCase.family) { backend, family in
      try TCPStd.writeClose(backend, family)
    }
  }

  @Test(
    "write_close (IPv6)", .disabled(ipv6PendingReason),
    arguments: NetCase.ipv6Pending)
  func writeCloseIPv6(_ netCase: NetCase) async throws {
    try await run(.tcp, netCase.backend, netCase.family) { backend, family in
      try TCPStd.writeClose(backend, family)
    }
  }

  @Test("multiple_connect_serial", arguments: NetCase.eachIP)
  func multipleConnectSerial(_ netCase: NetCase) async throws {
    try await run(.tcp, netCase.backend, netCase.family) { backend, family in
      try TCPStd.multipleConnectSerial(backend, family)
    }
  }

  @Test(
    "multiple_connect_serial (IPv6)", .disabled(ipv6PendingReason),
    arguments: NetCase.ipv6Pending)
  func multipleConnectSerialIPv6(_ netCase: NetCase) async throws {
    try await run(.tcp, netCase.backend, netCase.family) { backend, family in
      try TCPStd.multipleConnectSerial(backend, family)
    }
  }

  @Test("multiple_connect_interleaved_greedy_schedule", arguments: NetCase.eachIP)
  func multipleConnectInterleavedGreedySchedule(_ netCase: NetCase) async throws {
    try await run(.tcp, netCase.backend, netCase.family) { backend, family in
      try TCPStd.multipleConnectInterleavedGreedySchedule(backend, family)
    }
  }

  @Test(
    "multiple_connect_interleaved_greedy_schedule (IPv6)", .disabled(ipv6PendingReason),
    arguments: NetCase.ipv6Pending)
  func multipleConnectInterleavedGreedyScheduleIPv6(_ netCase: NetCase) async throws {
    try await run(.tcp, netCase.backend, netCase.family) { backend, family in
      try TCPStd.multipleConnectInterleavedGreedySchedule(backend, family)
    }
  }

  @Test("multiple_connect_interleaved_lazy_schedule", arguments: NetCase.eachIP)
  func multipleConnectInterleavedLazySchedule(_ netCase: NetCase) async throws {
    try await run(.tcp, netCase.backend, netCase.family) { backend, family in
      try TCPStd.multipleConnectInterleavedLazySchedule(backend, family)
    }
  }

  @Test(
    "multiple_connect_interleaved_lazy_schedule (IPv6)", .disabled(ipv6PendingReason),
    arguments: NetCase.ipv6Pending)
  func multipleConnectInterleavedLazyScheduleIPv6(_ netCase: NetCase) async throws {
    try await run(.tcp, netCase.backend, netCase.family) { backend, family in
      try TCPStd.multipleConnectInterleavedLazySchedule(backend, family)
    }
  }

  @Test("socket_and_peer_name", arguments: NetCase.eachIP)
  func socketAndPeerName(_ netCase: NetCase) async throws {
    try await run(.tcp, netCase.backend, netCase.family) { backend, family in
      try TCPStd.socketAndPeerName(backend, family)
    }
  }

  @Test(
    "socket_and_peer_name (IPv6)", .disabled(ipv6PendingReason),
    arguments: NetCase.ipv6Pending)
  func socketAndPeerNameIPv6(_ netCase: NetCase) async throws {
    try await run(.tcp, netCase.backend, netCase.family) { backend, family in
      try TCPStd.socketAndPeerName(backend, family)
    }
  }

  @Test("partial_read", arguments: NetCase.eachIP)
  func partialRead(_ netCase: NetCase) async throws {
    try await run(.tcp, netCase.backend, netCase.family) { backend, family in
      try TCPStd.partialRead(backend, family)
    }
  }

  @Test(
    "partial_read (IPv6)", .disabled(ipv6PendingReason),
    arguments: NetCase.ipv6Pending)
  func partialReadIPv6(_ netCase: NetCase) async throws {
    try await run(.tcp, netCase.backend, netCase.family) { backend, family in
      try TCPStd.partialRead(backend, family)
    }
  }

  @Test("read_buf", arguments: NetCase.eachIP)
  func readBuf(_ netCase: NetCase) async throws {
    try await run(.tcp, netCase.backend, netCase.family) { backend, family in
      try TCPStd.readBuf(backend, family)
    }
  }

  @Test(
    "read_buf (IPv6)", .disabled(ipv6PendingReason),
    arguments: NetCase.ipv6Pending)
  func readBufIPv6(_ netCase: NetCase) async throws {
    try await run(.tcp, netCase.backend, netCase.family) { backend, family in
      try TCPStd.readBuf(backend, family)
    }
  }

  @Test("read_vectored", arguments: NetCase.eachIP)
  func readVectored(_ netCase: NetCase) async throws {
    try await run(.tcp, netCase.backend, netCase.family) { backend, family in
      try TCPStd.readVectored(backend, family)
    }
  }

  @Test(
    "read_vectored (IPv6)", .disabled(ipv6PendingReason),
    arguments: NetCase.ipv6Pending)
  func readVectoredIPv6(_ netCase: NetCase) async throws {
    try await run(.tcp, netCase.backend, netCase.family) { backend, family in
      try TCPStd.readVectored(backend, family)
    }
  }

  @Test("write_vectored", arguments: NetCase.eachIP)
  func writeVectored(_ netCase: NetCase) async throws {
    try await run(.tcp, netCase.backend, netCase.family) { backend, family in
      try TCPStd.writeVectored(backend, family)
    }
  }

  @Test(
    "write_vectored (IPv6)", .disabled(ipv6PendingReason),
    arguments: NetCase.ipv6Pending)
  func writeVectoredIPv6(_ netCase: NetCase) async throws {
    try await run(.tcp, netCase.backend, netCase.family) { backend, family in
      try TCPStd.writeVectored(backend, family)
    }
  }

  @Test("double_bind", arguments: NetCase.eachIP)
  func doubleBind(_ netCase: NetCase) async throws {
    try await run(.tcp, netCase.backend, netCase.family) { backend, family in
      try TCPStd.doubleBind(backend, family)
    }
  }

  @Test(
    "double_bind (IPv6)", .disabled(ipv6PendingReason),
    arguments: NetCase.ipv6Pending)
  func doubleBindIPv6(_ netCase: NetCase) async throws {
    try await run(.tcp, netCase.backend, netCase.family) { backend, family in
      try TCPStd.doubleBind(backend, family)
    }
  }

  @Test("tcp_clone_smoke", arguments: NetCase.eachIP)
  func tcpCloneSmoke(_ netCase: NetCase) async throws {
    try await run(.tcp, netCase.backend, netCase.family) { backend, family in
      try TCPStd.tcpCloneSmoke(backend, family)
    }
  }

  @Test(
    "tcp_clone_smoke (IPv6)", .disabled(ipv6PendingReason),
    arguments: NetCase.ipv6Pending)
  func tcpCloneSmokeIPv6(_ netCase: NetCase) async throws {
    try await run(.tcp, netCase.backend, netCase.family) { backend, family in
      try TCPStd.tcpCloneSmoke(backend, family)
    }
  }

  @Test("tcp_clone_two_read", arguments: NetCase.eachIP)
  func tcpCloneTwoRead(_ netCase: NetCase) async throws {
    try await run(.tcp, netCase.backend, netCase.family) { backend, family in
      try TCPStd.tcpCloneTwoRead(backend, family)
    }
  }

  @Test(
    "tcp_clone_two_read (IPv6)", .disabled(ipv6PendingReason),
    arguments: NetCase.ipv6Pending)
  func tcpCloneTwoReadIPv6(_ netCase: NetCase) async throws {
    try await run(.tcp, netCase.backend, netCase.family) { backend, family in
      try TCPStd.tcpCloneTwoRead(backend, family)
    }
  }

  @Test("tcp_clone_two_write", arguments: NetCase.eachIP)
  func tcpCloneTwoWrite(_ netCase: NetCase) async throws {
    try await run(.tcp, netCase.backend, netCase.family) { backend, family in
      try TCPStd.tcpCloneTwoWrite(backend, family)
    }
  }

  @Test(
    "tcp_clone_two_write (IPv6)", .disabled(ipv6PendingReason),
    arguments: NetCase.ipv6Pending)
  func tcpCloneTwoWriteIPv6(_ netCase: NetCase) async throws {
    try await run(.tcp, netCase.backend, netCase.family) { backend, family in
      try TCPStd.tcpCloneTwoWrite(backend, family)
    }
  }

  @Test("shutdown_smoke", arguments: NetCase.eachIP)
  func shutdownSmoke(_ netCase: NetCase) async throws {
    try await run(.tcp, netCase.backend, netCase.family) { backend, family in
      try TCPStd.shutdownSmoke(backend, family)
    }
  }

  @Test(
    "shutdown_smoke (IPv6)", .disabled(ipv6PendingReason),
    arguments: NetCase.ipv6Pending)
  func shutdownSmokeIPv6(_ netCase: NetCase) async throws {
    try await run(.tcp, netCase.backend, netCase.family) { backend, family in
      try TCPStd.shutdownSmoke(backend, family)
    }
  }

  @Test("close_readwrite_smoke", arguments: NetCase.eachIP)
  func closeReadwriteSmoke(_ netCase: NetCase) async throws {
    try await run(.tcp, netCase.backend, netCase.family) { backend, family in
      try TCPStd.closeReadwriteSmoke(backend, family)
    }
  }

  @Test(
    "close_readwrite_smoke (IPv6)", .disabled(ipv6PendingReason),
    arguments: NetCase.ipv6Pending)
  func closeReadwriteSmokeIPv6(_ netCase: NetCase) async throws {
    try await run(.tcp, netCase.backend, netCase.family) { backend, family in
      try TCPStd.closeReadwriteSmoke(backend, family)
    }
  }

  @Test("close_read_wakes_up", arguments: NetCase.eachIP)
  func closeReadWakesUp(_ netCase: NetCase) async throws {
    try await run(.tcp, netCase.backend, netCase.family) { backend, family in
      try TCPStd.closeReadWakesUp(backend, family)
    }
  }

  @Test(
    "close_read_wakes_up (IPv6)", .disabled(ipv6PendingReason),
    arguments: NetCase.ipv6Pending)
  func closeReadWakesUpIPv6(_ netCase: NetCase) async throws {
    try await run(.tcp, netCase.backend, netCase.family) { backend, family in
      try TCPStd.closeReadWakesUp(backend, family)
    }
  }

  @Test("clone_while_reading", arguments: NetCase.eachIP)
  func cloneWhileReading(_ netCase: NetCase) async throws {
    try await run(.tcp, netCase.backend, netCase.family) { backend, family in
      try TCPStd.cloneWhileReading(backend, family)
    }
  }

  @Test(
    "clone_while_reading (IPv6)", .disabled(ipv6PendingReason),
    arguments: NetCase.ipv6Pending)
  func cloneWhileReadingIPv6(_ netCase: NetCase) async throws {
    try await run(.tcp, netCase.backend, netCase.family) { backend, family in
      try TCPStd.cloneWhileReading(backend, family)
    }
  }

  @Test("clone_accept_smoke", arguments: NetCase.eachIP)
  func cloneAcceptSmoke(_ netCase: NetCase) async throws {
    try await run(.tcp, netCase.backend, netCase.family) { backend, family in
      try TCPStd.cloneAcceptSmoke(backend, family)
    }
  }

  @Test(
    "clone_accept_smoke (IPv6)", .disabled(ipv6PendingReason),
    arguments: NetCase.ipv6Pending)
  func cloneAcceptSmokeIPv6(_ netCase: NetCase) async throws {
    try await run(.tcp, netCase.backend, netCase.family) { backend, family in
      try TCPStd.cloneAcceptSmoke(backend, family)
    }
  }

  @Test("clone_accept_concurrent", arguments: NetCase.eachIP)
  func cloneAcceptConcurrent(_ netCase: NetCase) async throws {
    try await run(.tcp, netCase.backend, netCase.family) { backend, family in
      try TCPStd.cloneAcceptConcurrent(backend, family)
    }
  }

  @Test(
    "clone_accept_concurrent (IPv6)", .disabled(ipv6PendingReason),
    arguments: NetCase.ipv6Pending)
  func cloneAcceptConcurrentIPv6(_ netCase: NetCase) async throws {
    try await run(.tcp, netCase.backend, netCase.family) { backend, family in
      try TCPStd.cloneAcceptConcurrent(backend, family)
    }
  }

  @Test("debug", arguments: BackendID.all)
  func debug(_ backend: BackendID) async throws {
    try await run(.tcp, backend) { backend, _ in try TCPStd.debug(backend) }
  }

  @Test("timeouts", arguments: BackendID.all)
  func timeouts(_ backend: BackendID) async throws {
    try await run(.tcp, backend) { backend, _ in try TCPStd.timeouts(backend) }
  }

  @Test("test_read_timeout", arguments: BackendID.all)
  func testReadTimeout(_ backend: BackendID) async throws {
    try await run(.tcp, backend) { backend, _ in try TCPStd.testReadTimeout(backend) }
  }

  @Test("test_read_with_timeout", arguments: BackendID.all)
  func testReadWithTimeout(_ backend: BackendID) async throws {
    try await run(.tcp, backend) { backend, _ in try TCPStd.testReadWithTimeout(backend) }
  }

  @Test("test_timeout_zero_duration", arguments: BackendID.all)
  func testTimeoutZeroDuration(_ backend: BackendID) async throws {
    try await run(.tcp, backend) { backend, _ in try TCPStd.testTimeoutZeroDuration(backend) }
  }

  @Test("linger", arguments: BackendID.all)
  func linger(_ backend: BackendID) async throws {
    try await run(.tcp, backend) { backend, _ in try TCPStd.linger(backend) }
  }

  @Test("keepalive", arguments: BackendID.all)
  func keepalive(_ backend: BackendID) async throws {
    try await run(.tcp, backend) { backend, _ in try TCPStd.keepalive(backend) }
  }

  @Test("user_timeout (ours)", arguments: BackendID.all)
  func userTimeout(_ backend: BackendID) async throws {
    try await run(.tcp, backend) { backend, _ in try TCPStd.userTimeout(backend) }
  }

  @Test("nodelay", arguments: BackendID.all)
  func nodelay(_ backend: BackendID) async throws {
    try await run(.tcp, backend) { backend, _ in try TCPStd.nodelay(backend) }
  }

  @Test("ttl", arguments: BackendID.all)
  func ttl(_ backend: BackendID) async throws {
    try await run(.tcp, backend) { backend, _ in try TCPStd.ttl(backend) }
  }

  @Test("set_nonblocking", arguments: BackendID.all)
  func setNonblocking(_ backend: BackendID) async throws {
    try await run(.tcp, backend) { backend, _ in try TCPStd.setNonblocking(backend) }
  }

  @Test("peek", arguments: NetCase.eachIP)
  func peek(_ netCase: NetCase) async throws {
    try await run(.tcp, netCase.backend, netCase.family) { backend, family in
      try TCPStd.peek(backend, family)
    }
  }

  @Test(
    "peek (IPv6)", .disabled(ipv6PendingReason),
    arguments: NetCase.ipv6Pending)
  func peekIPv6(_ netCase: NetCase) async throws {
    try await run(.tcp, netCase.backend, netCase.family) { backend, family in
      try TCPStd.peek(backend, family)
    }
  }

  @Test("connect_timeout_valid", arguments: BackendID.all)
  func connectTimeoutValid(_ backend: BackendID) async throws {
    try await run(.tcp, backend) { backend, _ in try TCPStd.connectTimeoutValid(backend) }
  }
}
