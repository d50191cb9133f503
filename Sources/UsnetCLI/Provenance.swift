import Foundation

/// Where a measurement was made: the commit and the date.
enum Provenance {
  /// The provenance of a measurement made now by this process: its command line, the commit,
  /// today's date and the build configuration.
  static func current(wallTime: Duration, jobs: Int) -> GoodputTable.Provenance {
    var command = "usnet"
    for argument in CommandLine.arguments.dropFirst() {
      command += " " + argument
    }
    #if DEBUG
      let build = "debug"
    #else
      let build = "release"
    #endif
    return GoodputTable.Provenance(
      command: command, commit: commit(), date: today(), build: build, wallTime: wallTime,
      jobs: jobs)
  }

  /// Writes a report to `path`, saying so on standard error (as `usnet <subcommand>`);
  /// returns false, after saying why, when it cannot.
  static func write(_ text: String, to path: String, by subcommand: String) -> Bool {
    do {
      try Data(text.utf8).write(to: URL(fileURLWithPath: path))
      standardError("usnet \(subcommand): wrote \(path)")
      return true
    } catch {
      standardError("usnet \(subcommand): cannot write \(path): \(error.localizedDescription)")
      return false
    }
  }

  /// `git rev-parse --short HEAD` of the current directory, with "(with uncommitted changes)"
  /// when `git status --porcelain` lists anything, or "unknown" without git.
  static func commit() -> String {
    guard let head = git(["rev-parse", "--short", "HEAD"]), !head.isEmpty else {
      return "unknown"
    }
    let status = git(["status", "--porcelain"]) ?? ""
    return status.isEmpty ? "`\(head)`" : "`\(head)` (with uncommitted changes)"
  }

  /// Today's date in UTC, `YYYY-MM-DD`.
  static func today() -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withFullDate]
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: Date())
  }

  private static func git(_ arguments: [String]) -> String? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git"] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    do {
      try process.run()
    } catch {
      return nil
    }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
  }
}
