/// Why a DNS message or name could not be parsed or built. Every DNS parser and builder in this
/// module throws exactly this type.
///
/// Parsers never trap on their input: every length, count and compression pointer is checked
/// against the message before it is followed.
public enum DNSError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The message ends inside a header, name, question or record, or a length field or count
  /// claims more bytes than there are.
  case truncated
  /// A label length byte with the reserved top bits `01` or `10` (only `00`, a label, and `11`,
  /// a compression pointer, exist).
  case badLabelType
  /// A compression pointer that does not point before itself.
  case badPointer
  /// A name that follows more than ``DNSName/maximumPointerHops`` compression pointers.
  case tooManyPointers
  /// A label longer than 63 bytes (text form).
  case labelTooLong
  /// An empty label in the text form, as in `a..b` or `.a`.
  case emptyLabel
  /// A name longer than 255 bytes in wire form.
  case nameTooLong
  /// A byte outside printable ASCII (or a space) in the text form of a name.
  case invalidCharacter
  /// Record data whose length does not fit its type: an A record that is not 4 bytes, AAAA
  /// not 16, or a CNAME whose name does not fill its data exactly.
  case badRecordLength
  /// A message that would be longer than 65,535 bytes.
  case messageTooLong

  /// A short human-readable explanation.
  public var description: String {
    switch self {
    case .truncated: "truncated DNS message"
    case .badLabelType: "reserved DNS label type"
    case .badPointer: "DNS compression pointer does not point backward"
    case .tooManyPointers: "too many DNS compression pointers in one name"
    case .labelTooLong: "DNS label longer than 63 bytes"
    case .emptyLabel: "empty DNS label"
    case .nameTooLong: "DNS name longer than 255 bytes"
    case .invalidCharacter: "invalid character in DNS name"
    case .badRecordLength: "DNS record data length does not match its type"
    case .messageTooLong: "DNS message longer than 65535 bytes"
    }
  }
}
