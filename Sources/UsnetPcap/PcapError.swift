/// A failure of libpcap to open, write or read a capture file.
///
/// Carries libpcap's own message (or ours, for conditions we detect) and the path of the file, so
/// the description alone says what went wrong where.
public struct PcapError: Error, Hashable, Sendable, CustomStringConvertible {
  /// What went wrong, usually libpcap's error text (for example "No such file or directory").
  public var message: String

  /// The path of the capture file the operation was on.
  public var path: String

  /// Creates an error for `path` with `message`.
  public init(message: String, path: String) {
    self.message = message
    self.path = path
  }

  /// `"pcap: <path>: <message>"`.
  public var description: String {
    "pcap: \(path): \(message)"
  }
}
