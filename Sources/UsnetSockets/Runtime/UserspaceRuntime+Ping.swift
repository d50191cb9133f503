import UsnetStack
import UsnetWire

#if canImport(Glibc)
  import Glibc
#endif

/// The answer to one ``UserspaceRuntime/ping(_:sequence:payload:timeout:)``.
public struct PingReply: Hashable, Sendable {
  /// The reply as it arrived (source, sequence, data, TTL).
  public var reply: EchoReply
  /// The time from queuing the request to taking in the reply.
  public var roundTrip: Duration
}

extension UserspaceRuntime {
  /// Sends one ICMP echo request to `destination` through the stack and waits up to `timeout`
  /// for its reply (same identifier and sequence; others are ignored). Blocks the calling
  /// thread on the echo socket's own waiter. Never goes through the kernel twin.
  ///
  /// - Throws: `timedOut` when no reply came in time, `networkUnreachable` without a route,
  ///   `invalidInput` for a zero timeout or a payload beyond the MTU, `networkDown` once the
  ///   runtime stopped.
  public func ping(
    _ destination: IPv4Address, sequence: UInt16, payload: [UInt8] = [],
    timeout: Duration = .seconds(1)
  ) throws(NetError) -> PingReply {
    try UserspaceSupport.validateTimeout(timeout)
    let start = ContinuousClock.now
    let (socket, waiter) = try engine.withStack { (state, now) throws(StackError) in
      let socket = try state.stack.openEchoSocket()
      do throws(StackError) {
        try state.stack.sendEchoRequest(
          socket, to: destination, sequence: sequence, payload: payload, at: now)
      } catch {
        state.stack.close(socket)
        throw error
      }
      return (socket, state.register(.echo(socket)))
    }
    defer { engine.release(.echo(socket)) { stack, _ in stack.close(socket) } }
    let reply = try engine.block(
      on: waiter, until: start + timeout, nonblocking: false, timeoutKind: .timedOut
    ) { (state, _) throws(StackError) -> EchoReply? in
      while let reply = try state.stack.receiveEchoReply(socket) {
        if reply.sequence == sequence, reply.source == destination { return reply }
      }
      return nil
    }
    return PingReply(reply: reply, roundTrip: ContinuousClock.now - start)
  }
}

extension SingleThreadRuntime {
  /// As ``UserspaceRuntime/ping(_:sequence:payload:timeout:)``; the blocked call advances the
  /// stack itself.
  public func ping(
    _ destination: IPv4Address, sequence: UInt16, payload: [UInt8] = [],
    timeout: Duration = .seconds(1)
  ) throws(NetError) -> PingReply {
    try base.ping(destination, sequence: sequence, payload: payload, timeout: timeout)
  }
}
