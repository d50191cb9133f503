import Testing
import UsnetWire

/// Parsers never trap, even when the caller's range reaches outside the buffer.
@Suite struct RangeClampingTests {
  /// Shorter than every header.
  let buffer = [UInt8](repeating: 0x45, count: 6)
  let a = TestAddresses.hostA
  let b = TestAddresses.hostB

  @Test(arguments: [0..<100, 3..<64, 50..<60, -8..<4, 6..<6])
  func rangesOutsideTheBufferAreTruncated(_ range: Range<Int>) {
    #expect(throws: WireError.truncated) { try EthernetHeader.parse(buffer, in: range) }
    #expect(throws: WireError.truncated) { try ARPPacket.parse(buffer, in: range) }
    #expect(throws: WireError.truncated) { try IPv4Header.parse(buffer, in: range) }
    #expect(throws: WireError.truncated) { try ICMPv4Packet.parse(buffer, in: range) }
    #expect(throws: WireError.truncated) { try QuotedDatagram.parse(buffer, in: range) }
    #expect(throws: WireError.truncated) {
      try UDPHeader.parse(buffer, in: range, source: a, destination: b)
    }
    #expect(throws: WireError.truncated) {
      try TCPHeader.parse(buffer, in: range, source: a, destination: b)
    }
  }

  @Test func optionsRangeIsClamped() throws {
    let options: [UInt8] = [1, 1, 3, 3, 7]
    #expect(try TCPOptions.parse(options, in: 0..<5) == TCPOptions(windowScale: 7))
    #expect(try TCPOptions.parse(options, in: 0..<50) == TCPOptions(windowScale: 7))
    #expect(try TCPOptions.parse(options, in: 9..<50) == TCPOptions())
  }

  @Test func checksumRangeIsClamped() {
    var inside = InternetChecksum()
    inside.add(buffer, range: 3..<6)
    var outside = InternetChecksum()
    outside.add(buffer, range: 3..<1000)
    #expect(inside.folded == outside.folded)
    var beyond = InternetChecksum()
    beyond.add(buffer, range: 20..<30)
    #expect(beyond.folded == 0)
  }

  @Test func sackBlockListOutOfRangeIndexIsEmptyBlock() {
    let list = SACKBlockList([SACKBlock(start: 5, end: 9)])
    #expect(list[0] == SACKBlock(start: 5, end: 9))
    #expect(list[1] == SACKBlock(start: 0, end: 0))
    #expect(list[-1] == SACKBlock(start: 0, end: 0))
    #expect(list[100] == SACKBlock(start: 0, end: 0))
  }
}
