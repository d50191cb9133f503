import Synchronization
import UsnetDevice

/// The kernel descriptor behind one Host socket handle, with a close that cannot pull the
/// descriptor out from under a call in flight.
///
/// Every call runs through ``perform(_:)``, which counts it in flight. ``close()`` marks the
/// handle closed at once (later calls fail with EBADF) but releases the descriptor only when
/// no call is in flight any more, so a number the kernel may hand out again is never used by a
/// late call. A thread blocked in the kernel is not woken by `close()` (as with a kernel fd);
/// `shutdown` wakes it.
final class HostDescriptor: Sendable {
  private struct State {
    var socket: KernelSocket
    var inFlight = 0
    var closed = false
  }

  private let state: Mutex<State>

  /// Takes ownership of `socket`.
  init(_ socket: KernelSocket) {
    state = Mutex(State(socket: socket))
  }

  deinit {
    let socket = state.withLock { $0.closed ? nil : $0.socket }
    if let socket { try? socket.close() }
  }

  /// Runs `body` with the socket, mapping its ``DeviceError`` to ``NetError``.
  ///
  /// - Throws: EBADF (kind `other`) after ``close()``, or the mapped error of `body`.
  func perform<Result>(
    _ body: (KernelSocket) throws(DeviceError) -> Result
  ) throws(NetError) -> Result {
    let socket = state.withLock { state -> KernelSocket? in
      guard !state.closed else { return nil }
      state.inFlight += 1
      return state.socket
    }
    guard let socket else {
      throw NetError(errno: badDescriptor, message: "the socket is closed")
    }
    defer { finish() }
    do throws(DeviceError) {
      return try body(socket)
    } catch {
      throw NetError(error)
    }
  }

  private func finish() {
    let release = state.withLock { state -> KernelSocket? in
      state.inFlight -= 1
      return state.closed && state.inFlight == 0 ? state.socket : nil
    }
    if let release { try? release.close() }
  }

  /// Closes the handle; idempotent. The descriptor is released now, or when the last call in
  /// flight returns.
  func close() {
    let release = state.withLock { state -> KernelSocket? in
      guard !state.closed else { return nil }
      state.closed = true
      return state.inFlight == 0 ? state.socket : nil
    }
    if let release { try? release.close() }
  }
}

/// EBADF.
private let badDescriptor: Int32 = 9
