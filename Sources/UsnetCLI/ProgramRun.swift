import Foundation

/// One run of an external program (`ip`, `curl`) to its end, with what it printed.
///
/// **Blocking:** ``run(_:_:started:)`` blocks the calling thread until the program exits.
/// **Threading:** the type is a plain value; the call is safe from any thread.
public struct ProgramRun: Sendable, Hashable {
  /// The exit status (or the signal number when the program was killed by one).
  public var status: Int32
  /// Everything written to standard output, as UTF-8 text.
  public var standardOutput: String
  /// Everything written to standard error, as UTF-8 text.
  public var standardError: String

  /// Whether the program exited with status 0.
  public var succeeded: Bool { status == 0 }

  /// The first line of standard error, or the status when it printed none: for messages.
  public var complaint: String {
    let line = standardError.split(separator: "\n").first.map(String.init) ?? ""
    return line.isEmpty ? "exit status \(status)" : line
  }

  /// The executable `name` on `PATH` (or `/usr/sbin`, `/sbin`, where `ip` lives), or nil when
  /// there is none.
  public static func find(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    let directories = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin"]
    return directories.map { "\($0)/\(name)" }.first {
      FileManager.default.isExecutableFile(atPath: $0)
    }
  }

  /// Runs `executable` with `arguments` (standard input empty) and waits for it; `started`
  /// gets its process id before the wait.
  ///
  /// - Throws: Foundation's error when the program cannot be started.
  public static func run(
    _ executable: String, _ arguments: [String], started: (Int32) -> Void = { _ in }
  ) throws -> ProgramRun {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.standardInput = FileHandle.nullDevice
    let output = Pipe()
    let error = Pipe()
    process.standardOutput = output
    process.standardError = error
    try process.run()
    started(process.processIdentifier)
    // Read stderr on another thread so that neither pipe can fill and stall the program.
    let errorText = ServiceThread(name: "usnet-program-stderr") {
      String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }
    let outputText = String(
      decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return ProgramRun(
      status: process.terminationStatus, standardOutput: outputText,
      standardError: errorText.join())
  }
}
