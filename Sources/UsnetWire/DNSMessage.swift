/// A DNS message (RFC 1035 §4): the header and the four sections.
///
/// ``parse(_:in:)`` reads a whole message, names with compression pointers (bounded, see
/// ``DNSName/parse(_:message:at:)``), every record of every section; any malformed input
/// throws a ``DNSError``, never traps. Bytes after the last record are ignored. ``emit(into:)``
/// writes names uncompressed, which is all a client's query needs.
///
/// A plain value; `Sendable`.
public struct DNSMessage: Hashable, Sendable {
  /// The header; its counts are those parsed, and are recomputed by ``emit(into:)``.
  public var header: DNSHeader
  /// The question section.
  public var questions: [DNSQuestion]
  /// The answer section.
  public var answers: [DNSRecord]
  /// The authority section.
  public var authorities: [DNSRecord]
  /// The additional section.
  public var additionals: [DNSRecord]

  /// The smallest a resource record can be: a root name and ten bytes of fields.
  static let minimumRecordLength = 11

  /// Creates a message.
  public init(
    header: DNSHeader, questions: [DNSQuestion] = [], answers: [DNSRecord] = [],
    authorities: [DNSRecord] = [], additionals: [DNSRecord] = []
  ) {
    self.header = header
    self.questions = questions
    self.answers = answers
    self.authorities = authorities
    self.additionals = additionals
  }

  /// A standard query with one question: opcode QUERY, RD set when `recursionDesired`.
  public static func query(
    id: UInt16, name: DNSName, type: DNSRecordType, recursionDesired: Bool = true
  ) -> DNSMessage {
    var header = DNSHeader(id: id)
    header.recursionDesired = recursionDesired
    return DNSMessage(header: header, questions: [DNSQuestion(name: name, type: type)])
  }

  /// Parses the message that occupies `range` of `buffer` (a UDP payload).
  ///
  /// - Throws: `.truncated` when a section ends early or a count claims more entries than
  ///   there are, a name error, or `.badRecordLength`.
  public static func parse(_ buffer: [UInt8], in range: Range<Int>) throws(DNSError) -> DNSMessage {
    let range = range.clamped(to: 0..<buffer.count)
    let header = try DNSHeader.parse(buffer, in: range)
    var offset = range.lowerBound + DNSHeader.length
    var message = DNSMessage(header: header)
    let questionCount = Int(header.questionCount)
    // Capacity from the bytes actually present, never from a count an attacker chose.
    message.questions.reserveCapacity(min(questionCount, (range.upperBound - offset) / 5))
    for _ in 0..<questionCount {
      let (question, end) = try DNSQuestion.parse(buffer, message: range, at: offset)
      message.questions.append(question)
      offset = end
    }
    message.answers = try parseRecords(
      buffer, message: range, count: Int(header.answerCount), offset: &offset)
    message.authorities = try parseRecords(
      buffer, message: range, count: Int(header.authorityCount), offset: &offset)
    message.additionals = try parseRecords(
      buffer, message: range, count: Int(header.additionalCount), offset: &offset)
    return message
  }

  /// Parses `count` records starting at `offset`, which moves past them.
  private static func parseRecords(
    _ buffer: [UInt8], message: Range<Int>, count: Int, offset: inout Int
  ) throws(DNSError) -> [DNSRecord] {
    var records: [DNSRecord] = []
    records.reserveCapacity(min(count, (message.upperBound - offset) / minimumRecordLength))
    for _ in 0..<count {
      let (record, end) = try DNSRecord.parse(buffer, message: message, at: offset)
      records.append(record)
      offset = end
    }
    return records
  }

  /// Appends the message to `buffer`, with the header's counts set from the sections.
  ///
  /// - Throws: `.messageTooLong` when a section has more than 65,535 entries, a record's data
  ///   is longer than 65,535 bytes or the message is longer than 65,535 bytes.
  public func emit(into buffer: inout [UInt8]) throws(DNSError) {
    let start = buffer.count
    let counts = [questions.count, answers.count, authorities.count, additionals.count]
    guard counts.allSatisfy({ $0 <= 0xFFFF }) else { throw .messageTooLong }
    var header = header
    header.questionCount = UInt16(questions.count)
    header.answerCount = UInt16(answers.count)
    header.authorityCount = UInt16(authorities.count)
    header.additionalCount = UInt16(additionals.count)
    header.emit(into: &buffer)
    for question in questions { question.emit(into: &buffer) }
    for record in answers { try record.emit(into: &buffer) }
    for record in authorities { try record.emit(into: &buffer) }
    for record in additionals { try record.emit(into: &buffer) }
    guard buffer.count - start <= 0xFFFF else { throw .messageTooLong }
  }

  /// The message as a new byte array; see ``emit(into:)``.
  public func bytes() throws(DNSError) -> [UInt8] {
    var buffer: [UInt8] = []
    try emit(into: &buffer)
    return buffer
  }
}
