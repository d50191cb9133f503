import Foundation
import UsnetStack

/// One measured case of the interop suite: what moved, over which device, and how fast.
/// ``description`` is the summary line the CI log shows.
struct TransferFigure: CustomStringConvertible {
  /// The case, like `echo 200 MB` or `sequential connections`.
  var name: String
  /// The device's name.
  var device: String
  /// Payload bytes moved (each way for a two-way case).
  var bytes: Int
  /// Wall time.
  var duration: Duration

  /// Seconds of ``duration``.
  var seconds: Double { Double(duration.totalNanoseconds) / 1e9 }

  var description: String {
    let rate = seconds > 0 ? Double(bytes) * 8 / seconds / 1e6 : 0
    return String(
      format: "interop %@ [%@]: %d B in %.3f s = %.1f Mbit/s", name, device, bytes, seconds, rate)
  }

  /// Runs `body`, prints its figure and returns what it returned.
  static func measure<Value>(
    _ name: String, device: String, bytes: Int, _ body: () throws -> Value
  ) rethrows -> Value {
    let start = ContinuousClock.now
    let value = try body()
    print(TransferFigure(name: name, device: device, bytes: bytes, duration: .now - start))
    return value
  }
}
