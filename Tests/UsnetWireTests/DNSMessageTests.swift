import Testing
import UsnetWire

/// Hand-built DNS messages, byte for byte as a recursive server sends them.
enum DNSFixtures {
  /// `www.example.com A?`, id 0x1234, RD.
  static let query = hexBytes(
    """
    1234 0100 0001 0000 0000 0000
    03 777777 07 6578616d706c65 03 636f6d 00  0001 0001
    """)

  /// The answer to `www.example.com A?`, id 0xBEEF, QR RD RA: a CNAME to `cdn.example.com`
  /// (written as `cdn` plus a pointer to `example.com` in the question), then an A and an AAAA
  /// record owned by that target, named by a pointer into the CNAME's data.
  static let cnameResponse = hexBytes(
    """
    beef 8180 0001 0003 0000 0000
    03 777777 07 6578616d706c65 03 636f6d 00  0001 0001
    c00c 0005 0001 00000e10 0006  03 63646e c010
    c02d 0001 0001 00000e10 0004  5db8d822
    c02d 001c 0001 00000e10 0010  2606 2800 0220 0001 0248 1893 25c8 1946
    """)

  /// `nope.example A?` answered NXDOMAIN with the TC bit set (id 7).
  static let nxdomainTruncated = hexBytes(
    """
    0007 8383 0001 0000 0000 0000
    04 6e6f7065 07 6578616d706c65 00  0001 0001
    """)
}

@Suite("DNS messages")
struct DNSMessageTests {
  @Test("a query is built byte for byte")
  func buildQuery() throws {
    let query = DNSMessage.query(
      id: 0x1234, name: try DNSName("www.example.com"), type: .a)
    #expect(try query.bytes() == DNSFixtures.query)
    let aaaa = DNSMessage.query(id: 1, name: try DNSName("a.b."), type: .aaaa)
    #expect(
      try aaaa.bytes() == hexBytes("0001 0100 0001 0000 0000 0000 01 61 01 62 00 001c 0001"))
  }

  @Test("a query parses back: id, RD, one question")
  func parseQuery() throws {
    let bytes = DNSFixtures.query
    let message = try DNSMessage.parse(bytes, in: 0..<bytes.count)
    #expect(message.header.id == 0x1234)
    #expect(message.header.recursionDesired && !message.header.isResponse)
    #expect(message.header.opcode == .query)
    #expect(
      message.questions == [DNSQuestion(name: try DNSName("www.example.com"), type: .a)])
    #expect(message.answers.isEmpty && message.authorities.isEmpty && message.additionals.isEmpty)
  }

  @Test("a response with compression: CNAME, A and AAAA")
  func parseCompressedResponse() throws {
    let bytes = [0xAA, 0xBB] + DNSFixtures.cnameResponse + [0xCC]
    let message = try DNSMessage.parse(bytes, in: 2..<bytes.count - 1)
    let header = message.header
    #expect(header.id == 0xBEEF && header.isResponse && header.recursionAvailable)
    #expect(!header.isTruncated && !header.isAuthoritative && header.responseCode == .noError)
    #expect(message.answers.count == 3)
    let www = try DNSName("www.example.com")
    let cdn = try DNSName("cdn.example.com")
    #expect(message.answers[0] == DNSRecord(name: www, type: .cname, ttl: 3600, data: .cname(cdn)))
    #expect(
      message.answers[1]
        == DNSRecord(name: cdn, type: .a, ttl: 3600, data: .a(IPv4Address(93, 184, 216, 34))))
    #expect(
      message.answers[2].data
        == .aaaa(IPv6Address(0x2606, 0x2800, 0x220, 1, 0x248, 0x1893, 0x25C8, 0x1946)))
    #expect(message.answers[2].name.description == "cdn.example.com")
  }

  @Test("TC bit and RCODE are read from the header")
  func truncationAndResponseCode() throws {
    let bytes = DNSFixtures.nxdomainTruncated
    let header = try DNSMessage.parse(bytes, in: 0..<bytes.count).header
    #expect(header.isTruncated && header.isResponse && header.recursionDesired)
    #expect(header.responseCode == .nameError)
    #expect(header.responseCode.description == "NXDOMAIN")
  }

  @Test("header fields round-trip through the flags word")
  func headerFlags() {
    var header = DNSHeader(id: 9)
    header.isResponse = true
    header.opcode = DNSOpcode(rawValue: 2)
    header.isAuthoritative = true
    header.isTruncated = true
    header.recursionDesired = true
    header.recursionAvailable = true
    header.responseCode = .refused
    #expect(header.flags == 0x9785)
    header.isTruncated = false
    header.opcode = .query
    header.responseCode = .noError
    #expect(header.flags == 0x8580)
  }

  @Test("emit then parse gives the message back (names uncompressed)")
  func roundTrip() throws {
    let bytes = DNSFixtures.cnameResponse
    let message = try DNSMessage.parse(bytes, in: 0..<bytes.count)
    var other = message
    other.authorities = [
      DNSRecord(
        name: try DNSName("example.com"), type: .soa, ttl: 60, data: .other([1, 2, 3]))
    ]
    other.additionals = [
      DNSRecord(
        name: .root, type: DNSRecordType(rawValue: 41), recordClass: DNSClass(rawValue: 1232),
        ttl: 0, data: .other([]))
    ]
    for original in [message, other] {
      let emitted = try original.bytes()
      var reparsed = try DNSMessage.parse(emitted, in: 0..<emitted.count)
      #expect(reparsed == original || original.header.authorityCount == 0)
      reparsed.header = original.header
      #expect(reparsed.questions == original.questions && reparsed.answers == original.answers)
      #expect(reparsed.authorities == original.authorities)
      #expect(reparsed.additionals == original.additionals)
    }
    // Three owner names and one CNAME target written out in full instead of as pointers.
    #expect(try message.bytes().count == bytes.count + 15 + 11 + 15 + 15)
  }

  @Test("record data of the wrong length is rejected")
  func badRecordLengths() throws {
    let header = "0001 8180 0000 0001 0000 0000"
    let cases: [(String, DNSError)] = [
      ("00 0001 0001 00000001 0005 0102030405", .badRecordLength),
      ("00 001c 0001 00000001 0004 01020304", .badRecordLength),
      ("00 0005 0001 00000001 0002 00 00", .badRecordLength),
      ("00 0005 0001 00000001 0004 01 61 00 ff", .badRecordLength),
      ("00 0005 0001 00000001 0002 01 61", .truncated),
      ("00 0001 0001 00000001 0005 01020304", .truncated),
      ("00 0001 0001 0000", .truncated),
    ]
    for (record, error) in cases {
      let bytes = hexBytes(header + record)
      #expect(throws: error) { try DNSMessage.parse(bytes, in: 0..<bytes.count) }
    }
    // An A record of another class is kept raw rather than rejected.
    let chaos = hexBytes(header + "00 0001 0003 00000001 0002 0102")
    let message = try DNSMessage.parse(chaos, in: 0..<chaos.count)
    #expect(message.answers.first?.data == .other([1, 2]))
  }

  @Test("counts that claim more entries than there are, and short headers, are truncated")
  func truncatedSections() {
    for hex in [
      "0001 8180 0001 0000 0000 0000", "0001 8180 0000 0001 0000 0000",
      "0001 8180 0000 0000 0001 0000", "0001 8180 0000 0000 0000 0001",
      "0001 8180 0000 0000 0000 00", "",
      "0001 8180 0001 0000 0000 0000 00 0001 00",
    ] {
      let bytes = hexBytes(hex)
      #expect(throws: DNSError.truncated) { try DNSMessage.parse(bytes, in: 0..<bytes.count) }
    }
    let bytes = DNSFixtures.cnameResponse
    for cut in 0..<bytes.count {
      #expect(throws: DNSError.self) { try DNSMessage.parse(bytes, in: 0..<cut) }
    }
  }

  @Test("a range beyond the buffer is clamped, not trapped on")
  func clampedRange() {
    let bytes = DNSFixtures.query
    #expect(throws: DNSError.self) { try DNSMessage.parse(bytes, in: 30..<400) }
    #expect((try? DNSMessage.parse(bytes, in: 0..<400))?.header.id == 0x1234)
  }
}

@Suite("DNS names")
struct DNSNameTests {
  @Test("text form: labels, trailing dot, root, case-insensitive equality")
  func textForm() throws {
    let name = try DNSName("Mail.Example.COM.")
    #expect(name.wireBytes == hexBytes("04 4d61696c 07 4578616d706c65 03 434f4d 00"))
    #expect(name == (try DNSName("mail.example.com")))
    #expect(name.hashValue == (try DNSName("MAIL.EXAMPLE.COM")).hashValue)
    #expect(name != (try DNSName("mail.example.co")))
    #expect(name.description == "Mail.Example.COM")
    #expect(name.labels.map { String(decoding: $0, as: UTF8.self) } == ["Mail", "Example", "COM"])
    #expect(try DNSName(".") == .root && DNSName.root.isRoot && DNSName.root.description == ".")
    let joined = try DNSName("host").appending(try DNSName("corp.example"))
    #expect(joined == (try DNSName("host.corp.example")))
  }

  @Test("bad text forms throw")
  func badText() {
    let label63 = String(repeating: "a", count: 63)
    let cases: [(String, DNSError)] = [
      ("", .emptyLabel), ("..", .emptyLabel), ("a..b", .emptyLabel), (".a", .emptyLabel),
      (String(repeating: "a", count: 64), .labelTooLong), ("a b", .invalidCharacter),
      ("caf\u{E9}.example", .invalidCharacter), ("tab\t", .invalidCharacter),
      ([label63, label63, label63, label63].joined(separator: "."), .nameTooLong),
    ]
    for (text, error) in cases {
      #expect(throws: error, "\(text)") { try DNSName(text) }
    }
    let longest = [label63, label63, label63, String(repeating: "b", count: 61)]
    #expect((try? DNSName(longest.joined(separator: ".")))?.wireBytes.count == 255)
    #expect(throws: DNSError.nameTooLong) {
      try DNSName(longest.joined(separator: ".")).appending(try DNSName("c"))
    }
  }

  @Test("description escapes dots, backslashes and unprintable bytes")
  func escapedDescription() throws {
    let bytes = hexBytes("03 612e62 02 5c00 00")
    let name = try DNSName.parse(bytes, message: 0..<bytes.count, at: 0).name
    #expect(name.description == "a\\046b.\\092\\000")
  }

  /// A message whose header is zeros, followed by `hex`, with the name read at `offset`.
  func parseName(_ hex: String, at offset: Int = 12) throws(DNSError) -> (DNSName, Int) {
    let bytes = [UInt8](repeating: 0, count: 12) + hexBytes(hex)
    let result = try DNSName.parse(bytes, message: 0..<bytes.count, at: offset)
    return (result.name, result.end)
  }

  @Test("compression pointers are followed; the end is after the first pointer")
  func pointers() throws {
    // 12: "example" "com"; 25: "www" + pointer to 12; 31: pointer to 25.
    let hex = "07 6578616d706c65 03 636f6d 00  03 777777 c00c  c019"
    #expect(try parseName(hex).0.description == "example.com")
    let (www, wwwEnd) = try parseName(hex, at: 25)
    #expect(www.description == "www.example.com" && wwwEnd == 31)
    let (again, againEnd) = try parseName(hex, at: 31)
    #expect(again == www && againEnd == 33)
  }

  @Test("pointer loops, forward pointers and pointer chains are bounded")
  func pointerAbuse() throws {
    #expect(throws: DNSError.badPointer) { try parseName("c00c") }  // to itself
    #expect(throws: DNSError.badPointer) { try parseName("c00e 00") }  // forward
    #expect(throws: DNSError.badPointer) { try parseName("c3ff") }  // far beyond the end
    // A label then a pointer back to it: a cycle through labels grows the name until it
    // stops at the 255-byte limit.
    #expect(throws: DNSError.nameTooLong) { try parseName("01 61 c00c") }
    // A chain of pointers, each to the one before: 127 hops are followed, 128 are not.
    func chain(_ hops: Int) -> String {
      var hex = "00"
      for index in 0..<hops { hex += pointerHex(index) }
      return hex
    }
    #expect(try parseName(chain(127), at: 12 + 2 * 127 - 1).0 == .root)
    #expect(throws: DNSError.tooManyPointers) { try parseName(chain(128), at: 12 + 2 * 128 - 1) }
  }

  @Test("reserved label types, truncation and over-long names throw")
  func malformedNames() {
    let cases: [(String, DNSError)] = [
      ("41 61 00", .badLabelType), ("80 00", .badLabelType), ("03 6162", .truncated),
      ("03 616263", .truncated), ("c0", .truncated), ("", .truncated),
      (String(repeating: "3f" + String(repeating: "61", count: 63), count: 4) + "00", .nameTooLong),
    ]
    for (hex, error) in cases {
      #expect(throws: error, "\(hex)") { try parseName(hex) }
    }
  }
}

/// The hex of a chain link: a pointer at offset 13 + 2 × `index` to the byte two before it
/// (the first link points at the root label at 12).
private func pointerHex(_ index: Int) -> String {
  let target = index == 0 ? 12 : 13 + 2 * (index - 1)
  return hexString([0xC0 | UInt8(target >> 8), UInt8(target & 0xFF)])
}

@Suite("DNS robustness")
struct DNSRobustnessTests {
  /// Parses `bytes`; a success must survive an emit/parse round trip.
  func check(_ bytes: [UInt8]) {
    guard let message = try? DNSMessage.parse(bytes, in: 0..<bytes.count) else { return }
    guard let emitted = try? message.bytes() else { return }
    let reparsed = try? DNSMessage.parse(emitted, in: 0..<emitted.count)
    #expect(reparsed?.answers == message.answers && reparsed?.questions == message.questions)
  }

  @Test("20,000 random messages and 60,000 mutations of real ones: typed errors, no crash")
  func randomAndMutated() {
    var random = SeededGenerator(seed: 0xD115_5EED)
    for _ in 0..<20_000 {
      var bytes = random.bytes(Int.random(in: 0...80, using: &random))
      if bytes.count >= 12, Bool.random(using: &random) {
        // Small counts make the parser go past the header more often.
        for index in stride(from: 4, to: 12, by: 2) {
          bytes[index] = 0
          bytes[index + 1] = UInt8.random(in: 0...3, using: &random)
        }
      }
      check(bytes)
    }
    let seeds = [DNSFixtures.query, DNSFixtures.cnameResponse, DNSFixtures.nxdomainTruncated]
    for _ in 0..<60_000 {
      var bytes = seeds[Int.random(in: 0..<seeds.count, using: &random)]
      for _ in 0..<Int.random(in: 1...4, using: &random) {
        let index = Int.random(in: 0..<bytes.count, using: &random)
        switch Int.random(in: 0..<5, using: &random) {
        case 0: bytes[index] ^= 1 << UInt8.random(in: 0...7, using: &random)
        case 1: bytes[index] = UInt8.random(in: 0...255, using: &random)
        case 2: bytes[index] = [0xC0, 0xC0 | 0x3F, 0x3F, 0x40, 0x80, 0][index % 6]
        case 3: bytes.removeLast(Int.random(in: 0..<bytes.count, using: &random))
        default: bytes.insert(UInt8.random(in: 0...255, using: &random), at: index)
        }
        if bytes.isEmpty { bytes = [0] }
      }
      check(bytes)
    }
  }
}
