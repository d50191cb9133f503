import Foundation
import Synchronization
import UsnetDevice

/// What the namespace thread hands back.
final class Outcome: Sendable {
  let result = Mutex<Result<Void, any Error>?>(nil)
}

/// Runs `body` with a netlink socket on a new thread that first moves into a private network
/// namespace, and waits for it. Network namespaces belong to threads on Linux, so nothing here
/// touches the machine's links or routes, and the namespace with everything created in it
/// vanishes when the thread has ended and the socket is closed.
func inPrivateNetworkNamespace(
  _ body: @escaping @Sendable (NetlinkSocket) throws -> Void
) throws {
  let outcome = Outcome()
  let finished = DispatchSemaphore(value: 0)
  let thread = Thread {
    let result = Result<Void, any Error> {
      try NetworkNamespace.unshareCurrentThread()
      let socket = try NetlinkSocket.open()
      defer { try? socket.close() }
      try body(socket)
    }
    outcome.result.withLock { $0 = result }
    finished.signal()
  }
  thread.start()
  finished.wait()
  try outcome.result.withLock { $0 }?.get()
}
