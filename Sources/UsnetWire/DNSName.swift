/// A domain name, held in its uncompressed wire form: length-prefixed labels followed by the
/// zero-length root label, at most 255 bytes, each label at most 63 bytes.
///
/// Names compare and hash case-insensitively in ASCII (RFC 4343), so a server that echoes a
/// question in another case still matches it. The text form is the labels joined by dots; a
/// label byte that is a dot, a backslash or not printable ASCII is written as `\DDD` (decimal).
public struct DNSName: Hashable, Sendable, CustomStringConvertible {
  /// The wire form: length-prefixed labels and the terminating zero byte.
  public let wireBytes: [UInt8]

  /// The longest name in wire form (RFC 1035 §2.3.4).
  public static let maximumLength = 255
  /// The longest label (RFC 1035 §2.3.4).
  public static let maximumLabelLength = 63
  /// The most compression pointers a parsed name may follow: one per label of the longest
  /// possible name. More can only come from a malicious message.
  public static let maximumPointerHops = 127

  /// The root name, `.`.
  public static let root = DNSName(checkedWire: [0])

  private init(checkedWire: [UInt8]) {
    wireBytes = checkedWire
  }

  /// Parses the text form: labels of printable ASCII (no spaces) separated by dots, with one
  /// optional trailing dot; `"."` alone is the root. No escapes are interpreted.
  ///
  /// - Throws: `.emptyLabel`, `.labelTooLong`, `.nameTooLong` or `.invalidCharacter`.
  public init(_ text: String) throws(DNSError) {
    var bytes = Array(text.utf8)
    if bytes == [UInt8(ascii: ".")] {
      self = .root
      return
    }
    if bytes.last == UInt8(ascii: ".") { bytes.removeLast() }
    guard !bytes.isEmpty else { throw .emptyLabel }
    var wire: [UInt8] = []
    wire.reserveCapacity(bytes.count + 2)
    var labelStart = 0
    wire.append(0)
    for byte in bytes {
      if byte == UInt8(ascii: ".") {
        try Self.closeLabel(&wire, at: labelStart)
        labelStart = wire.count
        wire.append(0)
      } else {
        guard byte > 0x20, byte < 0x7F else { throw .invalidCharacter }
        wire.append(byte)
      }
    }
    try Self.closeLabel(&wire, at: labelStart)
    wire.append(0)
    guard wire.count <= Self.maximumLength else { throw .nameTooLong }
    wireBytes = wire
  }

  /// Fills in the length byte of the label that starts at `start`.
  private static func closeLabel(_ wire: inout [UInt8], at start: Int) throws(DNSError) {
    let length = wire.count - start - 1
    guard length > 0 else { throw .emptyLabel }
    guard length <= maximumLabelLength else { throw .labelTooLong }
    wire[start] = UInt8(length)
  }

  /// The labels, first (leftmost) first; empty for the root.
  public var labels: [[UInt8]] {
    var result: [[UInt8]] = []
    var index = 0
    while index < wireBytes.count, wireBytes[index] != 0 {
      let length = Int(wireBytes[index])
      result.append(Array(wireBytes[index + 1..<index + 1 + length]))
      index += 1 + length
    }
    return result
  }

  /// True for the root name.
  public var isRoot: Bool { wireBytes.count == 1 }

  /// This name with `suffix` appended, as a search domain is appended to a short name.
  ///
  /// - Throws: `.nameTooLong` when the result is longer than 255 bytes.
  public func appending(_ suffix: DNSName) throws(DNSError) -> DNSName {
    let length = wireBytes.count - 1 + suffix.wireBytes.count
    guard length <= Self.maximumLength else { throw .nameTooLong }
    return DNSName(checkedWire: wireBytes.dropLast() + suffix.wireBytes)
  }

  /// Reads the name at `offset` of the message that occupies `message`, following compression
  /// pointers (offsets from `message.lowerBound`).
  ///
  /// A pointer must point before itself, at most ``maximumPointerHops`` are followed, and the
  /// name may not grow beyond 255 bytes, so every input ends in bounded time. Returns the name
  /// and the offset just past it where it was written (after its first pointer, if any).
  ///
  /// - Throws: `.truncated`, `.badLabelType`, `.badPointer`, `.tooManyPointers` or
  ///   `.nameTooLong`.
  public static func parse(
    _ buffer: [UInt8], message: Range<Int>, at offset: Int
  ) throws(DNSError) -> (name: DNSName, end: Int) {
    let message = message.clamped(to: 0..<buffer.count)
    var position = offset
    var end: Int?
    var hops = 0
    var wire: [UInt8] = []
    wire.reserveCapacity(32)
    while true {
      guard position >= message.lowerBound, position < message.upperBound else {
        throw .truncated
      }
      let length = Int(buffer[position])
      switch length & 0xC0 {
      case 0xC0:
        guard position + 1 < message.upperBound else { throw .truncated }
        let target = message.lowerBound + Int(buffer.readUInt16(at: position) & 0x3FFF)
        guard target < position else { throw .badPointer }
        hops += 1
        guard hops <= maximumPointerHops else { throw .tooManyPointers }
        if end == nil { end = position + 2 }
        position = target
      case 0:
        guard length > 0 else {
          wire.append(0)
          return (DNSName(checkedWire: wire), end ?? position + 1)
        }
        guard position + 1 + length <= message.upperBound else { throw .truncated }
        guard wire.count + 1 + length < maximumLength else { throw .nameTooLong }
        wire.append(contentsOf: buffer[position..<position + 1 + length])
        position += 1 + length
      default:
        throw .badLabelType
      }
    }
  }

  /// Appends the uncompressed wire form to `buffer`.
  public func emit(into buffer: inout [UInt8]) {
    buffer.append(contentsOf: wireBytes)
  }

  /// Case-insensitive (ASCII) equality.
  public static func == (lhs: DNSName, rhs: DNSName) -> Bool {
    guard lhs.wireBytes.count == rhs.wireBytes.count else { return false }
    for index in lhs.wireBytes.indices
    where asciiLowercased(lhs.wireBytes[index]) != asciiLowercased(rhs.wireBytes[index]) {
      return false
    }
    return true
  }

  /// Hashes the lower-cased wire form, consistent with `==`.
  public func hash(into hasher: inout Hasher) {
    for byte in wireBytes { hasher.combine(asciiLowercased(byte)) }
  }

  /// The labels joined by dots, without a trailing dot; `.` for the root.
  public var description: String {
    guard !isRoot else { return "." }
    var text = ""
    for (index, label) in labels.enumerated() {
      if index > 0 { text.append(".") }
      for byte in label {
        if byte > 0x20, byte < 0x7F, byte != UInt8(ascii: "."), byte != UInt8(ascii: "\\") {
          text.append(Character(Unicode.Scalar(byte)))
        } else {
          let digits = String(byte)
          text.append("\\" + String(repeating: "0", count: 3 - digits.count) + digits)
        }
      }
    }
    return text
  }
}

/// `byte` with ASCII upper case mapped to lower case.
func asciiLowercased(_ byte: UInt8) -> UInt8 {
  byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
}
