import Testing
import UsnetSockets

/// Our own tests of kernel-socket behaviour that Rust std does not cover, on every backend.
@Suite("beyond std", .timeLimit(.minutes(2)))
struct BeyondStdTests {
  @Test("connect_refused", arguments: BackendID.all)
  func connectRefused(_ backend: BackendID) async throws {
    try await run(.beyond, backend) { backend, _ in try BeyondStd.connectRefused(backend) }
  }

  @Test("connect_timed_out", arguments: BackendID.all)
  func connectTimedOut(_ backend: BackendID) async throws {
    try await run(.beyond, backend) { backend, _ in try BeyondStd.connectTimedOut(backend) }
  }

  @Test("connect_unreachable", arguments: BackendID.withUnreachableTarget)
  func connectUnreachable(_ backend: BackendID) async throws {
    try await run(.beyond, backend) { backend, _ in
      guard let address = backend.unreachableTarget.address else {
        throw ConformanceFailure("no unreachable target", #_sourceLocation)
      }
      try BeyondStd.connectUnreachable(backend, address)
    }
  }

  @Test(
    "connect_unreachable (no local target)", .disabled(noUnreachableTargetReason),
    arguments: BackendID.withoutUnreachableTarget)
  func connectUnreachableSkipped(_ backend: BackendID) async throws {
    try await connectUnreachable(backend)
  }

  @Test("accept_queue_overflow", arguments: BackendID.all)
  func acceptQueueOverflow(_ backend: BackendID) async throws {
    try await run(.beyond, backend) { backend, _ in try BeyondStd.acceptQueueOverflow(backend) }
  }

  @Test("write_after_peer_reset", arguments: BackendID.all)
  func writeAfterPeerReset(_ backend: BackendID) async throws {
    try await run(.beyond, backend) { backend, _ in try BeyondStd.writeAfterPeerReset(backend) }
  }

  @Test("thousand_concurrent_connections", arguments: BackendID.all)
  func thousandConnections(_ backend: BackendID) async throws {
    try await run(.beyond, backend) { backend, _ in try BeyondStd.thousandConnections(backend) }
  }

  @Test("blocked_calls_woken_by_shutdown", arguments: BackendID.all)
  func blockedCallsWokenByShutdown(_ backend: BackendID) async throws {
    try await run(.beyond, backend) { backend, _ in
      try BeyondStd.blockedCallsWokenByShutdown(backend)
    }
  }

  @Test("shutdown_repeated", arguments: BackendID.all)
  func shutdownRepeated(_ backend: BackendID) async throws {
    try await run(.beyond, backend) { backend, _ in try BeyondStd.shutdownRepeated(backend) }
  }

  @Test("data_after_shutdown_both_resets", arguments: BackendID.all)
  func dataAfterShutdownBothResets(_ backend: BackendID) async throws {
    try await run(.beyond, backend) { backend, _ in
      try BeyondStd.dataAfterShutdownBothResets(backend)
    }
  }

  @Test("stream_clone_and_close", arguments: BackendID.all)
  func streamCloneAndClose(_ backend: BackendID) async throws {
    try await run(.beyond, backend) { backend, _ in try BeyondStd.streamCloneAndClose(backend) }
  }

  @Test("stream_drop_closes", arguments: BackendID.all)
  func streamDropCloses(_ backend: BackendID) async throws {
    try await run(.beyond, backend) { backend, _ in try BeyondStd.streamDropCloses(backend) }
  }

  @Test("listener_clone_and_close", arguments: BackendID.all)
  func listenerCloneAndClose(_ backend: BackendID) async throws {
    try await run(.beyond, backend) { backend, _ in try BeyondStd.listenerCloneAndClose(backend) }
  }

  @Test("udp_clone_and_close", arguments: BackendID.all)
  func udpCloneAndClose(_ backend: BackendID) async throws {
    try await run(.beyond, backend) { backend, _ in try BeyondStd.udpCloneAndClose(backend) }
  }
}
