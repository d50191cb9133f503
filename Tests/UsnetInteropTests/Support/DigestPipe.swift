import Foundation

/// A `sha256sum` process fed through a pipe: the SHA-256 of many megabytes without hashing
/// them in this (possibly unoptimized) test process.
final class DigestPipe {
  private let process = Process()
  private let input = Pipe()
  private let output = Pipe()
  /// Bytes fed so far.
  private(set) var count = 0

  /// Starts `sha256sum`.
  init() throws {
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    process.standardInput = input
    process.standardOutput = output
    try process.run()
  }

  /// Feeds `bytes[range]`.
  func update(_ bytes: [UInt8], range: Range<Int>) throws {
    try input.fileHandleForWriting.write(contentsOf: bytes[range])
    count += range.count
  }

  /// Ends the input and returns the digest in lower-case hex.
  func finish() throws -> String {
    try input.fileHandleForWriting.close()
    let data = try output.fileHandleForReading.readToEnd() ?? Data()
    process.waitUntilExit()
    return String(String(decoding: data, as: UTF8.self).prefix(64))
  }
}
