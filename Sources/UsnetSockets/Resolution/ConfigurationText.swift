import Foundation

/// Line splitting shared by the `/etc/hosts` and `/etc/resolv.conf` parsers.
enum ConfigurationText {
  /// The whitespace-separated fields of each line of `text`, with everything from a comment
  /// character on removed; lines without fields are left out.
  static func fieldLines(_ text: String, comments: Set<Character>) -> [[Substring]] {
    var result: [[Substring]] = []
    for line in text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline) {
      let content = line.prefix { !comments.contains($0) }
      let fields = content.split(whereSeparator: { $0 == " " || $0 == "\t" })
      if !fields.isEmpty { result.append(fields) }
    }
    return result
  }

  /// `name` in lower case without one trailing dot, for comparing host names.
  static func canonicalName(_ name: some StringProtocol) -> String {
    var name = name.lowercased()
    if name.count > 1, name.hasSuffix(".") { name.removeLast() }
    return name
  }

  /// Reads a text file, nil when it is missing or unreadable.
  static func read(path: String) -> String? {
    try? String(contentsOfFile: path, encoding: .utf8)
  }
}
