import Foundation

/// Runs Wireshark's `tshark` for tests that check our pcap files with a real dissector.
public enum Tshark {
  /// tshark on `PATH`, or `nil` if it is not installed.
  public static let path: String? = {
    let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
    for directory in directories {
      let candidate = "\(directory)/tshark"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }()

  /// What one tshark run printed.
  public struct Run: Sendable {
    /// The exit status.
    public var status: Int32
    /// Everything written to standard output.
    public var standardOutput: String
    /// Everything written to standard error.
    public var standardError: String

    /// stderr lines other than tshark's notice that it runs as root (CI runs as root; the
    /// notice is about the environment, not the file).
    public var complaints: [String] {
      standardError.split(separator: "\n").map(String.init).filter {
        !$0.hasPrefix("Running as user \"root\"")
      }
    }
  }

  /// An error running tshark itself.
  public struct Unavailable: Error, CustomStringConvertible {
    /// Why.
    public var description: String
  }

  /// Runs tshark with `arguments`, collecting its output through files in `scratch`. Blocks
  /// until tshark exits.
  public static func run(_ arguments: [String], in scratch: ScratchDirectory) throws -> Run {
    guard let executable = path else { throw Unavailable(description: "tshark is not on PATH") }
    let outputPath = scratch.path("tshark.out")
    let errorPath = scratch.path("tshark.err")
    guard FileManager.default.createFile(atPath: outputPath, contents: nil),
      FileManager.default.createFile(atPath: errorPath, contents: nil)
    else {
      throw Unavailable(description: "cannot create tshark output files in \(scratch.url.path)")
    }
    let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
    let error = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
    defer {
      try? output.close()
      try? error.close()
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = output
    process.standardError = error
    try process.run()
    process.waitUntilExit()
    return Run(
      status: process.terminationStatus,
      standardOutput: String(decoding: try fileBytes(outputPath), as: UTF8.self),
      standardError: String(decoding: try fileBytes(errorPath), as: UTF8.self))
  }
}
