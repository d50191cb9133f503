/// A DNS resource record type (TYPE / QTYPE).
public struct DNSRecordType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
  /// The 16-bit value.
  public var rawValue: UInt16

  /// Wraps a value.
  public init(rawValue: UInt16) {
    self.rawValue = rawValue
  }

  /// An IPv4 address (1).
  public static let a = DNSRecordType(rawValue: 1)
  /// An authoritative name server (2).
  public static let ns = DNSRecordType(rawValue: 2)
  /// The canonical name of an alias (5).
  public static let cname = DNSRecordType(rawValue: 5)
  /// Start of a zone of authority (6).
  public static let soa = DNSRecordType(rawValue: 6)
  /// A domain name pointer (12).
  public static let ptr = DNSRecordType(rawValue: 12)
  /// Text strings (16).
  public static let txt = DNSRecordType(rawValue: 16)
  /// An IPv6 address (28).
  public static let aaaa = DNSRecordType(rawValue: 28)

  /// The mnemonic, like `AAAA`, or `TYPEn`.
  public var description: String {
    switch rawValue {
    case 1: "A"
    case 2: "NS"
    case 5: "CNAME"
    case 6: "SOA"
    case 12: "PTR"
    case 16: "TXT"
    case 28: "AAAA"
    default: "TYPE\(rawValue)"
    }
  }
}

/// A DNS class (CLASS / QCLASS).
public struct DNSClass: RawRepresentable, Hashable, Sendable {
  /// The 16-bit value.
  public var rawValue: UInt16

  /// Wraps a value.
  public init(rawValue: UInt16) {
    self.rawValue = rawValue
  }

  /// The Internet (1).
  public static let internet = DNSClass(rawValue: 1)
}

/// One entry of the question section: what is asked (RFC 1035 §4.1.2).
public struct DNSQuestion: Hashable, Sendable {
  /// QNAME.
  public var name: DNSName
  /// QTYPE.
  public var type: DNSRecordType
  /// QCLASS.
  public var recordClass: DNSClass

  /// Creates a question; the class defaults to IN.
  public init(name: DNSName, type: DNSRecordType, recordClass: DNSClass = .internet) {
    self.name = name
    self.type = type
    self.recordClass = recordClass
  }

  /// Parses the question at `offset` of the message in `message`; returns it and the offset
  /// after it.
  public static func parse(
    _ buffer: [UInt8], message: Range<Int>, at offset: Int
  ) throws(DNSError) -> (question: DNSQuestion, end: Int) {
    let message = message.clamped(to: 0..<buffer.count)
    let (name, nameEnd) = try DNSName.parse(buffer, message: message, at: offset)
    guard nameEnd + 4 <= message.upperBound else { throw .truncated }
    let question = DNSQuestion(
      name: name, type: DNSRecordType(rawValue: buffer.readUInt16(at: nameEnd)),
      recordClass: DNSClass(rawValue: buffer.readUInt16(at: nameEnd + 2)))
    return (question, nameEnd + 4)
  }

  /// Appends the question, its name uncompressed, to `buffer`.
  public func emit(into buffer: inout [UInt8]) {
    name.emit(into: &buffer)
    appendUInt16(type.rawValue, to: &buffer)
    appendUInt16(recordClass.rawValue, to: &buffer)
  }
}

/// The data of a resource record, decoded for the types name resolution needs.
public enum DNSRecordData: Hashable, Sendable {
  /// An A record (class IN).
  case a(IPv4Address)
  /// An AAAA record (class IN).
  case aaaa(IPv6Address)
  /// A CNAME record: the canonical name of the owner.
  case cname(DNSName)
  /// Any other record, as its raw RDATA (names inside it may be compression pointers into the
  /// message it came from).
  case other([UInt8])
}

/// A resource record of the answer, authority or additional section (RFC 1035 §4.1.3).
public struct DNSRecord: Hashable, Sendable {
  /// The owner name.
  public var name: DNSName
  /// TYPE.
  public var type: DNSRecordType
  /// CLASS.
  public var recordClass: DNSClass
  /// Seconds the record may be cached.
  public var ttl: UInt32
  /// RDATA, decoded where the type is known.
  public var data: DNSRecordData

  /// Creates a record; the class defaults to IN.
  public init(
    name: DNSName, type: DNSRecordType, recordClass: DNSClass = .internet, ttl: UInt32,
    data: DNSRecordData
  ) {
    self.name = name
    self.type = type
    self.recordClass = recordClass
    self.ttl = ttl
    self.data = data
  }

  /// Parses the record at `offset` of the message in `message`; returns it and the offset
  /// after it.
  ///
  /// A (class IN) must carry 4 bytes, AAAA (class IN) 16, and a CNAME's name must fill its
  /// data exactly; other types keep their raw data.
  ///
  /// - Throws: `.truncated`, `.badRecordLength` or a name error.
  public static func parse(
    _ buffer: [UInt8], message: Range<Int>, at offset: Int
  ) throws(DNSError) -> (record: DNSRecord, end: Int) {
    let message = message.clamped(to: 0..<buffer.count)
    let (name, nameEnd) = try DNSName.parse(buffer, message: message, at: offset)
    guard nameEnd + 10 <= message.upperBound else { throw .truncated }
    let type = DNSRecordType(rawValue: buffer.readUInt16(at: nameEnd))
    let recordClass = DNSClass(rawValue: buffer.readUInt16(at: nameEnd + 2))
    let ttl = buffer.readUInt32(at: nameEnd + 4)
    let dataLength = Int(buffer.readUInt16(at: nameEnd + 8))
    let dataStart = nameEnd + 10
    let end = dataStart + dataLength
    guard end <= message.upperBound else { throw .truncated }
    let data: DNSRecordData
    switch type {
    case .a where recordClass == .internet:
      guard dataLength == 4 else { throw .badRecordLength }
      data = .a(IPv4Address(reading: buffer, at: dataStart))
    case .aaaa where recordClass == .internet:
      guard dataLength == 16 else { throw .badRecordLength }
      data = .aaaa(IPv6Address(reading: buffer, at: dataStart))
    case .cname:
      let target = try DNSName.parse(
        buffer, message: message.lowerBound..<end, at: dataStart)
      guard target.end == end else { throw .badRecordLength }
      data = .cname(target.name)
    default:
      data = .other(Array(buffer[dataStart..<end]))
    }
    let record = DNSRecord(name: name, type: type, recordClass: recordClass, ttl: ttl, data: data)
    return (record, end)
  }

  /// Appends the record, names uncompressed, to `buffer`.
  ///
  /// - Throws: `.messageTooLong` when the data is longer than 65,535 bytes.
  public func emit(into buffer: inout [UInt8]) throws(DNSError) {
    name.emit(into: &buffer)
    appendUInt16(type.rawValue, to: &buffer)
    appendUInt16(recordClass.rawValue, to: &buffer)
    appendUInt16(UInt16(truncatingIfNeeded: ttl &>> 16), to: &buffer)
    appendUInt16(UInt16(truncatingIfNeeded: ttl), to: &buffer)
    let lengthOffset = buffer.count
    appendUInt16(0, to: &buffer)
    switch data {
    case .a(let address):
      buffer.append(contentsOf: [0, 0, 0, 0])
      address.write(to: &buffer, at: lengthOffset + 2)
    case .aaaa(let address):
      buffer.append(contentsOf: repeatElement(0, count: 16))
      address.write(to: &buffer, at: lengthOffset + 2)
    case .cname(let target):
      target.emit(into: &buffer)
    case .other(let bytes):
      buffer.append(contentsOf: bytes)
    }
    let length = buffer.count - lengthOffset - 2
    guard length <= 0xFFFF else { throw .messageTooLong }
    buffer.writeUInt16(UInt16(length), at: lengthOffset)
  }
}

/// Appends `value` big-endian.
func appendUInt16(_ value: UInt16, to buffer: inout [UInt8]) {
  buffer.append(UInt8(truncatingIfNeeded: value &>> 8))
  buffer.append(UInt8(truncatingIfNeeded: value))
}
