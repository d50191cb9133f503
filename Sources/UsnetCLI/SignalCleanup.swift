import Dispatch
import Foundation

/// SIGINT and SIGTERM as "clean up, then exit with 128 + the signal": how the usnet commands
/// remove the links and namespaces they created when interrupted.
enum SignalCleanup {
  /// Handles SIGINT and SIGTERM on a dispatch queue until the returned sources are cancelled:
  /// prints `message`, runs `cleanup` and exits. Does not block.
  static func install(
    message: String, _ cleanup: @escaping @Sendable () -> Void
  ) -> [any DispatchSourceSignal] {
    [SIGINT, SIGTERM].map { number in
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: DispatchQueue.global())
      source.setEventHandler {
        standardError("\(message) (signal \(number))")
        cleanup()
        exit(128 + number)
      }
      source.resume()
      return source
    }
  }
}
