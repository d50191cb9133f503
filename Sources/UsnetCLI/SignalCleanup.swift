import Dispatch
import Foundation
import Synchronization

/// SIGINT and SIGTERM as "clean up, then exit with 128 + the signal": how the usnet commands
/// remove the links and namespaces they created when interrupted.
enum SignalCleanup {
  private static let receivedSignal = Atomic<Int32>(0)

  /// The signal that started a cleanup, or nil: a command whose work ends because of the
  /// cleanup exits with 128 + it too, whichever thread gets there first.
  static var received: Int32? {
    let number = receivedSignal.load(ordering: .acquiring)
    return number == 0 ? nil : number
  }

  /// Handles SIGINT and SIGTERM on a dispatch queue until the returned sources are cancelled:
  /// prints `message`, runs `cleanup` and exits. Does not block.
  static func install(
    message: String, _ cleanup: @escaping @Sendable () -> Void
  ) -> [any DispatchSourceSignal] {
    [SIGINT, SIGTERM].map { number in
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: DispatchQueue.global())
      source.setEventHandler {
        receivedSignal.store(number, ordering: .releasing)
        standardError("\(message) (signal \(number))")
        cleanup()
        exit(128 + number)
      }
      source.resume()
      return source
    }
  }
}
