import Testing
import UsnetWire

@Suite struct VirtioNetHeaderTests {
  /// The TSO header of lab note G7: NEEDS_CSUM, TCPv4, hdr_len 54, gso_size 1448,
  /// csum_start 34, csum_offset 16, little-endian.
  let tso = VirtioNetHeader(
    flags: .needsChecksum, gsoType: .tcpV4, headerLength: 54, gsoSize: 1448, checksumStart: 34,
    checksumOffset: 16)
  let tsoBytes = hexBytes("01 01 3600 a805 2200 1000")

  @Test func emitsTheLabTSOHeader() {
    var buffer = [UInt8](repeating: 0xEE, count: 12)
    tso.emit(into: &buffer, at: 1)
    #expect(buffer[0] == 0xEE && buffer[11] == 0xEE)
    #expect(Array(buffer[1..<11]) == tsoBytes)
  }

  @Test func parsesTheLabTSOHeader() throws {
    let header = try VirtioNetHeader.parse([0xEE] + tsoBytes, at: 1)
    #expect(header == tso)
    #expect(header.checksumIsTrusted)
  }

  @Test func parsesAReceivedGROFrameHeader() throws {
    // What a TAP hands over for a 64 KB segment of the kernel's TCP: NEEDS_CSUM, TCPv4 with
    // ECN, gso_size 1448, hdr_len 66 (with timestamps).
    let header = try VirtioNetHeader.parse(hexBytes("01 81 4200 a805 2200 1000"), at: 0)
    #expect(header.flags == .needsChecksum)
    #expect(header.gsoType.withoutECN == .tcpV4)
    #expect(header.gsoType != .tcpV4)
    #expect(header.headerLength == 66 && header.gsoSize == 1448)
  }

  @Test func dataValidIsTrustedAndZeroIsNot() throws {
    let valid = try VirtioNetHeader.parse(hexBytes("02 00 0000 0000 0000 0000"), at: 0)
    #expect(valid.flags == .dataValid && valid.checksumIsTrusted)
    let plain = try VirtioNetHeader.parse([UInt8](repeating: 0, count: 10), at: 0)
    #expect(plain == VirtioNetHeader())
    #expect(!plain.checksumIsTrusted)
  }

  @Test func mergeableFormCarriesTheBufferCount() throws {
    var header = tso
    header.bufferCount = 1
    var buffer = [UInt8](repeating: 0, count: 12)
    header.emit(into: &buffer, at: 0, length: VirtioNetHeader.mergeableLength)
    #expect(buffer == tsoBytes + [0x01, 0x00])
    #expect(try VirtioNetHeader.parse(buffer, at: 0, length: 12) == header)
    #expect(try VirtioNetHeader.parse(buffer, at: 0).bufferCount == 0)
  }

  @Test func rejectsShortBuffersAndOtherLengths() {
    #expect(throws: WireError.truncated) { try VirtioNetHeader.parse(tsoBytes, at: 1) }
    #expect(throws: WireError.truncated) { try VirtioNetHeader.parse(tsoBytes, at: 11) }
    #expect(throws: WireError.truncated) { try VirtioNetHeader.parse(tsoBytes, at: -1) }
    #expect(throws: WireError.truncated) {
      try VirtioNetHeader.parse(tsoBytes, at: 0, length: 12)
    }
    #expect(throws: WireError.unsupported) {
      try VirtioNetHeader.parse(tsoBytes, at: 0, length: 8)
    }
  }
}
