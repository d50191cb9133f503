import Foundation

/// The parts of HTTP/1.0 message heads that ``HTTPService`` and ``HTTPFetch`` need: where a head
/// ends, and a response's status and `Content-Length`. Pure functions over bytes; malformed
/// input gives nil, never a trap.
public enum HTTPMessage {
  /// The index just past the blank line that ends the head in `bytes` (`CRLF CRLF`, or a bare
  /// `LF LF`), or nil when the head is not complete yet.
  public static func headEnd(in bytes: [UInt8]) -> Int? {
    var index = 0
    while index < bytes.count {
      if bytes[index] == 10 {
        if index + 1 < bytes.count, bytes[index + 1] == 10 { return index + 2 }
        if index + 2 < bytes.count, bytes[index + 1] == 13, bytes[index + 2] == 10 {
          return index + 3
        }
      }
      index += 1
    }
    return nil
  }

  /// A response head: the status code and the headers, names lowercased.
  public struct ResponseHead: Sendable, Hashable {
    /// The status code, like 200.
    public var status: Int
    /// The headers in order, names lowercased, values trimmed.
    public var headers: [(name: String, value: String)]

    /// The first value of header `name` (case-insensitive), or nil.
    public func value(of name: String) -> String? {
      let wanted = name.lowercased()
      return headers.first { $0.name == wanted }?.value
    }

    /// The `Content-Length` when present and a decimal integer.
    public var contentLength: Int? {
      value(of: "content-length").flatMap { text in
        text.utf8.allSatisfy { (48...57).contains($0) } ? Int(text) : nil
      }
    }

    /// Compares status and headers.
    public static func == (lhs: ResponseHead, rhs: ResponseHead) -> Bool {
      lhs.status == rhs.status && lhs.headers.elementsEqual(rhs.headers) { $0 == $1 }
    }

    /// Hashes status and headers.
    public func hash(into hasher: inout Hasher) {
      hasher.combine(status)
      for header in headers {
        hasher.combine(header.name)
        hasher.combine(header.value)
      }
    }
  }

  /// Parses a response head (status line and headers, up to the blank line), or nil when the
  /// status line is not `HTTP/x.y NNN ...`.
  public static func responseHead(_ bytes: [UInt8]) -> ResponseHead? {
    var lines = bytes.split(separator: 10, omittingEmptySubsequences: false).map { line in
      String(decoding: line.last == 13 ? line.dropLast() : line, as: UTF8.self)
    }
    guard !lines.isEmpty else { return nil }
    let statusLine = lines.removeFirst().split(separator: " ", maxSplits: 2)
    guard statusLine.count >= 2, statusLine[0].hasPrefix("HTTP/"),
      statusLine[1].count == 3, let status = Int(statusLine[1])
    else { return nil }
    var headers: [(name: String, value: String)] = []
    for line in lines {
      if line.isEmpty { break }
      guard let colon = line.firstIndex(of: ":") else { return nil }
      let name = line[..<colon].lowercased()
      let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      headers.append((name, value))
    }
    return ResponseHead(status: status, headers: headers)
  }
}
