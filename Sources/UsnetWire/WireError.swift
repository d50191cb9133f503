/// Why a packet could not be parsed. Every parser in this module throws exactly this type.
///
/// Parsers never trap on their input: they check lengths before reading fields, and a `range`
/// that reaches outside the buffer is clamped to it (and then usually reported as `.truncated`).
public enum WireError: Error, Equatable, Sendable, CustomStringConvertible {
  /// Fewer bytes than the header needs, or than a length field claims.
  case truncated
  /// The IPv4 version field is not 4.
  case badVersion
  /// IHL below 5, TCP data offset below 5, or a header longer than the data.
  case badHeaderLength
  /// IPv4 total length shorter than its header, or UDP length below 8 or beyond the data.
  case badLengthField
  /// The Internet checksum does not verify.
  case badChecksum
  /// A TCP option whose length byte is missing, too small, too large or wrong for its kind.
  case badOptionLength
  /// A valid but unsupported format, e.g. ARP for a non-Ethernet or non-IPv4 network.
  case unsupported

  /// A short human-readable explanation.
  public var description: String {
    switch self {
    case .truncated: "truncated packet"
    case .badVersion: "bad IP version"
    case .badHeaderLength: "bad header length"
    case .badLengthField: "bad length field"
    case .badChecksum: "bad checksum"
    case .badOptionLength: "bad option length"
    case .unsupported: "unsupported format"
    }
  }
}
