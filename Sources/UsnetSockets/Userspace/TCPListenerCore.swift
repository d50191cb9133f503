import Synchronization
import UsnetStack
import UsnetWire

/// The state of one userspace listening socket, shared by every handle of it (see
/// ``UserspaceTCPListener/tryClone()``). Deinitialising it closes the listener in the stack,
/// which resets the connections nobody accepted.
///
/// Threading: thread-safe; stack calls go through the runtime's lock.
final class TCPListenerCore: Sendable {
  let runtime: UserspaceRuntime
  let id: TCPListenerID
  let waiter: SocketWaiter
  let localAddress: SocketAddress
  let nonblocking = Mutex(false)

  init(runtime: UserspaceRuntime, id: TCPListenerID, waiter: SocketWaiter, local: SocketAddress) {
    self.runtime = runtime
    self.id = id
    self.waiter = waiter
    localAddress = local
  }

  deinit {
    let id = id
    runtime.engine.release(.listener(id)) { stack, now in stack.close(id, at: now) }
  }

  /// Listens on `ip:port` (port 0: a free port from the stack's ephemeral range).
  static func listen(
    on ip: IPv4Address, port: UInt16, backlog: Int, runtime: UserspaceRuntime
  ) throws(NetError) -> TCPListenerCore {
    let ports = runtime.engine.configuration.tcp.ephemeralPorts
    let (id, waiter, chosen) = try runtime.engine.withStack {
      (state, now) throws(StackError) in
      guard port == 0 else {
        let id = try state.stack.listen(on: ip, port: port, backlog: backlog, at: now)
        return (id, state.register(.listener(id)), port)
      }
      let size = Int(ports.upperBound) - Int(ports.lowerBound) + 1
      let start = Int.random(in: 0..<size)
      for step in 0..<size {
        let candidate = UInt16(Int(ports.lowerBound) + (start + step) % size)
        do throws(StackError) {
          let id = try state.stack.listen(on: ip, port: candidate, backlog: backlog, at: now)
          return (id, state.register(.listener(id)), candidate)
        } catch {
          guard case .addressInUse = error else { throw error }
        }
      }
      throw .addressInUse
    }
    return TCPListenerCore(
      runtime: runtime, id: id, waiter: waiter, local: .v4(ip, port: chosen))
  }

  /// Takes the oldest established connection; blocks unless nonblocking.
  func accept() throws(NetError) -> (stream: UserspaceTCPStream, peer: SocketAddress) {
    let nonblocking = nonblocking.withLock { $0 }
    let (connection, waiter, peer) = try runtime.engine.block(
      on: waiter, until: nil, nonblocking: nonblocking, takeConnection)
    return (stream(connection, waiter), peer)
  }

  /// Takes the oldest established connection if there is one, without blocking, together with
  /// the waiter's epoch seen under the same lock (for a caller that then waits elsewhere).
  func acceptIfReady() throws(NetError) -> (
    accepted: (stream: UserspaceTCPStream, peer: SocketAddress)?, epoch: UInt64
  ) {
    let waiter = waiter
    let (taken, epoch) = try runtime.engine.withStack { (state, now) throws(StackError) in
      (try takeConnection(&state, now), waiter.currentEpoch)
    }
    guard let (connection, connectionWaiter, peer) = taken else { return (nil, epoch) }
    return ((stream(connection, connectionWaiter), peer), epoch)
  }

  private func takeConnection(
    _ state: inout RuntimeState, _ now: Instant
  ) throws(StackError) -> (TCPSocketID, SocketWaiter, SocketAddress)? {
    guard let connection = try state.stack.accept(id) else { return nil }
    guard let info = state.stack.info(connection) else { throw .invalidHandle }
    let peer = SocketAddress.v4(info.tuple.remoteAddress, port: info.tuple.remotePort)
    return (connection, state.register(.tcp(connection)), peer)
  }

  private func stream(_ connection: TCPSocketID, _ waiter: SocketWaiter) -> UserspaceTCPStream {
    UserspaceTCPStream(core: TCPStreamCore(runtime: runtime, id: connection, waiter: waiter))
  }
}
