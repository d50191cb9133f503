/// Which directions of a connection ``TCPStream/shutdown(_:)`` closes (Rust's
/// `std::net::Shutdown`).
public enum Shutdown: Sendable, Hashable, CaseIterable {
  /// Reading: blocked and later reads return 0 (end of stream).
  case read
  /// Writing: a FIN follows the queued data; later writes fail with `brokenPipe`.
  case write
  /// Both directions.
  case both
}
