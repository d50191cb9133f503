/// The fixed 12-byte header of a DNS message (RFC 1035 §4.1.1).
///
/// ``flags`` holds the second 16-bit word as sent; the properties read and write its fields.
public struct DNSHeader: Hashable, Sendable {
  /// The query id, echoed by the response.
  public var id: UInt16
  /// QR, opcode, AA, TC, RD, RA, Z, AD, CD and RCODE, in wire order.
  public var flags: UInt16
  /// QDCOUNT as parsed; ``DNSMessage/emit(into:)`` writes the real count.
  public var questionCount: UInt16
  /// ANCOUNT as parsed.
  public var answerCount: UInt16
  /// NSCOUNT as parsed.
  public var authorityCount: UInt16
  /// ARCOUNT as parsed.
  public var additionalCount: UInt16

  /// Length of the header.
  public static let length = 12

  /// Creates a header with the given id and flags and zero counts.
  public init(id: UInt16, flags: UInt16 = 0) {
    self.id = id
    self.flags = flags
    questionCount = 0
    answerCount = 0
    authorityCount = 0
    additionalCount = 0
  }

  /// Parses the header at the start of `range`.
  ///
  /// - Throws: `.truncated` when fewer than 12 bytes are there.
  public static func parse(_ buffer: [UInt8], in range: Range<Int>) throws(DNSError) -> DNSHeader {
    let range = range.clamped(to: 0..<buffer.count)
    guard range.count >= length else { throw .truncated }
    let start = range.lowerBound
    var header = DNSHeader(
      id: buffer.readUInt16(at: start), flags: buffer.readUInt16(at: start + 2))
    header.questionCount = buffer.readUInt16(at: start + 4)
    header.answerCount = buffer.readUInt16(at: start + 6)
    header.authorityCount = buffer.readUInt16(at: start + 8)
    header.additionalCount = buffer.readUInt16(at: start + 10)
    return header
  }

  /// Appends the 12 header bytes to `buffer`.
  public func emit(into buffer: inout [UInt8]) {
    for word in [id, flags, questionCount, answerCount, authorityCount, additionalCount] {
      buffer.append(UInt8(truncatingIfNeeded: word &>> 8))
      buffer.append(UInt8(truncatingIfNeeded: word))
    }
  }

  /// QR: the message is a response.
  public var isResponse: Bool {
    get { flag(0x8000) }
    set { setFlag(0x8000, newValue) }
  }

  /// The kind of query (4 bits).
  public var opcode: DNSOpcode {
    get { DNSOpcode(rawValue: UInt8(truncatingIfNeeded: flags &>> 11) & 0xF) }
    set { flags = flags & ~0x7800 | UInt16(newValue.rawValue & 0xF) &<< 11 }
  }

  /// AA: the answer comes from an authoritative server.
  public var isAuthoritative: Bool {
    get { flag(0x0400) }
    set { setFlag(0x0400, newValue) }
  }

  /// TC: the message was cut to fit the transport; the full answer needs TCP.
  public var isTruncated: Bool {
    get { flag(0x0200) }
    set { setFlag(0x0200, newValue) }
  }

  /// RD: the client asks the server to resolve recursively.
  public var recursionDesired: Bool {
    get { flag(0x0100) }
    set { setFlag(0x0100, newValue) }
  }

  /// RA: the server offers recursion.
  public var recursionAvailable: Bool {
    get { flag(0x0080) }
    set { setFlag(0x0080, newValue) }
  }

  /// The response code (4 bits).
  public var responseCode: DNSResponseCode {
    get { DNSResponseCode(rawValue: UInt8(truncatingIfNeeded: flags) & 0xF) }
    set { flags = flags & ~0x000F | UInt16(newValue.rawValue & 0xF) }
  }

  private func flag(_ mask: UInt16) -> Bool { flags & mask != 0 }

  private mutating func setFlag(_ mask: UInt16, _ value: Bool) {
    flags = value ? flags | mask : flags & ~mask
  }
}

/// The opcode of a DNS message (4 bits).
public struct DNSOpcode: RawRepresentable, Hashable, Sendable {
  /// The 4-bit value.
  public var rawValue: UInt8

  /// Wraps a value (only the low 4 bits are sent).
  public init(rawValue: UInt8) {
    self.rawValue = rawValue
  }

  /// A standard query (0).
  public static let query = DNSOpcode(rawValue: 0)
}

/// The response code of a DNS message (the 4 header bits; RFC 1035 §4.1.1).
public struct DNSResponseCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
  /// The 4-bit value.
  public var rawValue: UInt8

  /// Wraps a value (only the low 4 bits are sent).
  public init(rawValue: UInt8) {
    self.rawValue = rawValue
  }

  /// NOERROR (0).
  public static let noError = DNSResponseCode(rawValue: 0)
  /// FORMERR (1): the server could not read the query.
  public static let formatError = DNSResponseCode(rawValue: 1)
  /// SERVFAIL (2): the server failed to get an answer.
  public static let serverFailure = DNSResponseCode(rawValue: 2)
  /// NXDOMAIN (3): the name does not exist.
  public static let nameError = DNSResponseCode(rawValue: 3)
  /// NOTIMP (4): the server does not support the query.
  public static let notImplemented = DNSResponseCode(rawValue: 4)
  /// REFUSED (5): the server will not answer.
  public static let refused = DNSResponseCode(rawValue: 5)

  /// The mnemonic, like `NXDOMAIN`, or `RCODE n`.
  public var description: String {
    switch rawValue {
    case 0: "NOERROR"
    case 1: "FORMERR"
    case 2: "SERVFAIL"
    case 3: "NXDOMAIN"
    case 4: "NOTIMP"
    case 5: "REFUSED"
    default: "RCODE \(rawValue)"
    }
  }
}
