import Testing
import UsnetWire

@Suite struct UDPHeaderTests {
  let source = TestAddresses.hostA
  let destination = TestAddresses.hostB

  /// A datagram with `payload` emitted at offset 1, plus `trailing` extra bytes.
  func datagram(_ payload: [UInt8], trailing: Int = 0) -> [UInt8] {
    let header = UDPHeader(sourcePort: 40000, destinationPort: 4000, payloadLength: payload.count)
    var buffer =
      [UInt8](repeating: 0, count: 1 + 8) + payload
      + [UInt8](repeating: 0xEE, count: trailing)
    header.emit(into: &buffer, at: 1, source: source, destination: destination)
    return buffer
  }

  @Test func roundTrip() throws {
    for length in [0, 1, 2, 11, 64] {
      let payload = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37) }
      let buffer = datagram(payload)
      let (header, range) = try UDPHeader.parse(
        buffer, in: 1..<buffer.count, source: source, destination: destination)
      #expect(header.sourcePort == 40000 && header.destinationPort == 4000)
      #expect(Int(header.length) == 8 + length)
      #expect(header.checksum != 0)
      #expect(range == 9..<9 + length)
      #expect(Array(buffer[range]) == payload)
    }
  }

  @Test func checksumCoversPseudoHeader() {
    let buffer = datagram([1, 2, 3])
    #expect(throws: WireError.badChecksum) {
      try UDPHeader.parse(
        buffer, in: 1..<buffer.count, source: source, destination: IPv4Address(198, 18, 0, 3))
    }
  }

  @Test func badChecksum() throws {
    var buffer = datagram([1, 2, 3])
    buffer[10] ^= 0x10
    #expect(throws: WireError.badChecksum) {
      try UDPHeader.parse(buffer, in: 1..<buffer.count, source: source, destination: destination)
    }
    let unverified = try UDPHeader.parse(
      buffer, in: 1..<buffer.count, source: source, destination: destination,
      verifyChecksum: false)
    #expect(unverified.payload == 9..<12)
  }

  @Test func zeroChecksumMeansNone() throws {
    var buffer = datagram([1, 2, 3])
    buffer.writeUInt16(0, at: 7)
    buffer[10] ^= 0x10
    let (header, _) = try UDPHeader.parse(
      buffer, in: 1..<buffer.count, source: source, destination: destination)
    #expect(header.checksum == 0)
  }

  @Test func computedZeroIsSentAsAllOnes() throws {
    // Choose a payload word that makes the ones'-complement sum 0xFFFF (checksum 0).
    var buffer = datagram([0, 0])
    let word = buffer.readUInt16(at: 7)
    buffer = datagram([UInt8(word >> 8), UInt8(word & 0xFF)])
    #expect(buffer.readUInt16(at: 7) == 0xFFFF)
    #expect(throws: Never.self) {
      try UDPHeader.parse(buffer, in: 1..<buffer.count, source: source, destination: destination)
    }
  }

  @Test func trailingBytesBeyondLengthAreIgnored() throws {
    let buffer = datagram([9, 8, 7], trailing: 5)
    let (_, range) = try UDPHeader.parse(
      buffer, in: 1..<buffer.count, source: source, destination: destination)
    #expect(range == 9..<12)
  }

  @Test func truncated() {
    let buffer = datagram([])
    for end in 1..<9 {
      #expect(throws: WireError.truncated) {
        try UDPHeader.parse(buffer, in: 1..<end, source: source, destination: destination)
      }
    }
  }

  @Test(arguments: [0, 7])
  func lengthBelowEight(_ length: UInt16) {
    var buffer = datagram([1, 2])
    buffer.writeUInt16(length, at: 5)
    #expect(throws: WireError.badLengthField) {
      try UDPHeader.parse(
        buffer, in: 1..<buffer.count, source: source, destination: destination,
        verifyChecksum: false)
    }
  }

  @Test func lengthBeyondData() {
    let buffer = datagram([1, 2, 3])
    #expect(throws: WireError.badLengthField) {
      try UDPHeader.parse(buffer, in: 1..<11, source: source, destination: destination)
    }
  }

  @Test func initializer() {
    let header = UDPHeader(sourcePort: 1, destinationPort: 2, payloadLength: 100)
    #expect(header.length == 108 && header.checksum == 0)
    #expect(UDPHeader(sourcePort: 1, destinationPort: 2, payloadLength: .max).length == 65535)
    #expect(UDPHeader(sourcePort: 1, destinationPort: 2, payloadLength: -1).length == 8)
    #expect(UDPHeader.length == 8)
  }
}
