import Testing
import UsnetWire

@Suite struct IPv4HeaderTests {
  /// A 20-byte header followed by `payloadLength` bytes, emitted at offset 3.
  func datagram(_ header: IPv4Header, payloadLength: Int, trailing: Int = 0) -> [UInt8] {
    var buffer = [UInt8](repeating: 0x5A, count: 3 + 20 + payloadLength + trailing)
    header.emit(into: &buffer, at: 3)
    return buffer
  }

  let basic = IPv4Header(
    source: TestAddresses.hostA, destination: TestAddresses.hostB, protocol: .udp,
    payloadLength: 12, timeToLive: 17, identification: 0x1234, dontFragment: false,
    dscpECN: 0xB8)

  @Test func initializerDefaults() {
    let header = IPv4Header(
      source: TestAddresses.hostA, destination: TestAddresses.hostB, protocol: .tcp,
      payloadLength: 40)
    #expect(header.totalLength == 60)
    #expect(header.timeToLive == 64)
    #expect(header.identification == 0)
    #expect(header.dontFragment)
    #expect(!header.moreFragments && header.fragmentOffset == 0 && !header.isFragment)
    #expect(header.dscpECN == 0)
    #expect(header.headerLength == 20)
    #expect(header.protocol == .tcp)
  }

  @Test func roundTrip() throws {
    let buffer = datagram(basic, payloadLength: 12)
    var (parsed, payload) = try IPv4Header.parse(buffer, in: 3..<buffer.count)
    #expect(payload == 23..<35)
    #expect(parsed.checksum != 0)
    parsed.checksum = 0
    #expect(parsed == basic)
  }

  @Test func fragmentFieldsRoundTrip() throws {
    var header = basic
    header.moreFragments = true
    header.fragmentOffset = 1480
    #expect(header.isFragment)
    let buffer = datagram(header, payloadLength: 12)
    #expect(buffer.readUInt16(at: 3 + 6) == 0x2000 | 185)
    let parsed = try IPv4Header.parse(buffer, in: 3..<buffer.count).header
    #expect(parsed.moreFragments && !parsed.dontFragment)
    #expect(parsed.fragmentOffset == 1480)
    #expect(parsed.isFragment)
    var last = header
    last.moreFragments = false
    #expect(last.isFragment)
  }

  @Test func trailingPaddingIsExcluded() throws {
    let buffer = datagram(basic, payloadLength: 12, trailing: 14)
    let payload = try IPv4Header.parse(buffer, in: 3..<buffer.count).payload
    #expect(payload == 23..<35)
  }

  @Test func optionsAreSkipped() throws {
    // IHL 6 with a Router Alert option (94 04 00 00).
    var buffer = hexBytes("46000020 00004000 40110000 c6120001 c6120002 94040000 0102030405060708")
    var sum = InternetChecksum()
    sum.add(buffer, range: 0..<24)
    buffer.writeUInt16(sum.checksum, at: 10)
    let (header, payload) = try IPv4Header.parse(buffer, in: 0..<buffer.count)
    #expect(header.headerLength == 24)
    #expect(header.totalLength == 32)
    #expect(payload == 24..<32)
  }

  @Test func truncated() {
    let buffer = datagram(basic, payloadLength: 12)
    for end in 3..<23 {
      #expect(throws: WireError.truncated) { try IPv4Header.parse(buffer, in: 3..<end) }
    }
  }

  @Test func badVersion() {
    var buffer = datagram(basic, payloadLength: 12)
    buffer[3] = 0x65
    #expect(throws: WireError.badVersion) { try IPv4Header.parse(buffer, in: 3..<buffer.count) }
  }

  @Test func ihlBelowFive() {
    for ihl: UInt8 in 0...4 {
      var buffer = datagram(basic, payloadLength: 12)
      buffer[3] = 0x40 | ihl
      #expect(throws: WireError.badHeaderLength) {
        try IPv4Header.parse(buffer, in: 3..<buffer.count, verifyChecksum: false)
      }
    }
  }

  @Test func headerLongerThanData() {
    var buffer = datagram(basic, payloadLength: 12)
    buffer[3] = 0x49  // 36-byte header in 32 bytes
    #expect(throws: WireError.badHeaderLength) {
      try IPv4Header.parse(buffer, in: 3..<buffer.count, verifyChecksum: false)
    }
  }

  @Test func totalLengthShorterThanHeader() {
    var header = basic
    header.totalLength = 19
    let buffer = datagram(header, payloadLength: 12)
    #expect(throws: WireError.badLengthField) { try IPv4Header.parse(buffer, in: 3..<buffer.count) }
  }

  @Test func totalLengthBeyondData() throws {
    let buffer = datagram(basic, payloadLength: 12)
    #expect(throws: WireError.truncated) { try IPv4Header.parse(buffer, in: 3..<34) }
    #expect(throws: Never.self) { try IPv4Header.parse(buffer, in: 3..<35) }
  }

  @Test func badChecksum() throws {
    var buffer = datagram(basic, payloadLength: 12)
    buffer[3 + 8] ^= 0x01
    #expect(throws: WireError.badChecksum) { try IPv4Header.parse(buffer, in: 3..<buffer.count) }
    let unverified = try IPv4Header.parse(buffer, in: 3..<buffer.count, verifyChecksum: false)
    #expect(unverified.header.timeToLive == 16)
  }

  @Test func payloadChangesDoNotAffectHeaderChecksum() throws {
    var buffer = datagram(basic, payloadLength: 12)
    buffer[30] ^= 0xFF
    #expect(throws: Never.self) { try IPv4Header.parse(buffer, in: 3..<buffer.count) }
  }

  @Test func reservedFlagIsIgnored() throws {
    var buffer = datagram(basic, payloadLength: 12)
    buffer[3 + 6] |= 0x80
    let parsed = try IPv4Header.parse(buffer, in: 3..<buffer.count, verifyChecksum: false).header
    #expect(!parsed.dontFragment && !parsed.moreFragments && parsed.fragmentOffset == 0)
  }

  @Test func randomHeadersRoundTrip() throws {
    var generator = SeededGenerator(seed: 791)
    for _ in 0..<500 {
      var header = IPv4Header(
        source: IPv4Address(rawValue: .random(in: .min ... .max, using: &generator)),
        destination: IPv4Address(rawValue: .random(in: .min ... .max, using: &generator)),
        protocol: IPProtocol(rawValue: .random(in: .min ... .max, using: &generator)),
        payloadLength: .random(in: 0...100, using: &generator),
        timeToLive: .random(in: .min ... .max, using: &generator),
        identification: .random(in: .min ... .max, using: &generator),
        dontFragment: .random(using: &generator),
        dscpECN: .random(in: .min ... .max, using: &generator))
      header.moreFragments = .random(using: &generator)
      header.fragmentOffset = Int.random(in: 0...0x1FFF, using: &generator) * 8
      let buffer = datagram(header, payloadLength: Int(header.totalLength) - 20)
      var parsed = try IPv4Header.parse(buffer, in: 3..<buffer.count).header
      parsed.checksum = 0
      #expect(parsed == header)
    }
  }

  @Test func payloadLengthIsClamped() {
    func total(_ payloadLength: Int) -> UInt16 {
      IPv4Header(source: .any, destination: .any, protocol: .udp, payloadLength: payloadLength)
        .totalLength
    }
    #expect(total(65515) == 65535)
    #expect(total(70000) == 65535)
    #expect(total(.max) == 65535)
    #expect(total(-5) == 20)
    #expect(total(.min) == 20)
  }

  @Test func protocolConstants() {
    #expect(IPProtocol.icmp.rawValue == 1)
    #expect(IPProtocol.tcp.rawValue == 6)
    #expect(IPProtocol.udp.rawValue == 17)
  }
}
