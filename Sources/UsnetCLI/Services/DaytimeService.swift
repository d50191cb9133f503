import Foundation
import UsnetSockets

/// The daytime service (RFC 867): writes the current date and time as one line, like
/// `Sunday, November 29, 2026 17:23:51-UTC` and CRLF, then closes first, without reading.
public struct DaytimeService: TCPService {
  /// `daytime`.
  public var name: String { "daytime" }

  /// Where the time comes from (the system clock by default; tests fix it).
  public let clock: @Sendable () -> Date

  /// The service, reading the time from `clock`.
  public init(clock: @escaping @Sendable () -> Date = { Date() }) {
    self.clock = clock
  }

  /// The line for `date`: weekday, month, day, year and time in UTC, then CRLF. Pure.
  public static func line(for date: Date) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "EEEE, MMMM d, yyyy HH:mm:ss"
    return formatter.string(from: date) + "-UTC\r\n"
  }

  /// Writes the line and closes. Blocks the calling thread until the line is queued.
  public func serve<Stream: TCPStreamProtocol>(
    _ stream: Stream
  ) throws(NetError) -> ConnectionTally {
    defer { stream.close() }
    let line = Array(Self.line(for: clock()).utf8)
    try stream.writeAll(line)
    return ConnectionTally(bytesSent: line.count)
  }
}
