import Foundation

/// A fresh temporary directory per test, removed when the value is deinitialized.
public final class ScratchDirectory {
  /// The directory.
  public let url: URL

  /// Creates the directory; `prefix` names its owner in the temporary folder.
  public init(prefix: String = "usnet-test") throws {
    url = FileManager.default.temporaryDirectory
      .appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  deinit {
    try? FileManager.default.removeItem(at: url)
  }

  /// The path of `name` inside the directory.
  public func path(_ name: String) -> String {
    url.appendingPathComponent(name).path
  }
}

/// The bytes of the file at `path`.
public func fileBytes(_ path: String) throws -> [UInt8] {
  [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
}
