import Testing
import UsnetStack
import UsnetWire

/// Checksum and segmentation offloads: frames that arrive with virtio-net metadata (partial
/// checksums, GRO'd segments) and TSO super-segments the stack emits for the device to cut.
@Suite struct OffloadTests {
  @Test("a segment with a partial checksum and NEEDS_CSUM is accepted")
  func partialChecksumAccepted() throws {
    let s = try TCPScript()
    let (id, _) = try s.acceptConnection()
    s.send(.ack, seq: 1, ack: 1, payload: [1, 2, 3, 4], checksum: .partial)
    #expect(s.stack.counters.framesWithTrustedChecksum == 1)
    #expect(s.stack.counters[.malformedTCP] == 0)
    #expect(try s.read(id) == [1, 2, 3, 4])
    s.advance(by: .milliseconds(40))
    s.expect(.ack, seq: 1, ack: 5)
    s.expectNothing()
  }

  @Test("a bad checksum without offload metadata is still dropped and counted")
  func badChecksumDropped() throws {
    let s = try TCPScript()
    let (id, _) = try s.acceptConnection()
    s.send(.ack, seq: 1, ack: 1, payload: [1, 2, 3, 4], checksum: .corrupt)
    #expect(s.stack.counters[.malformedTCP] == 1)
    #expect(s.stack.counters.framesWithTrustedChecksum == 0)
    #expect(try s.read(id) == nil)
    s.advance(by: .milliseconds(100))
    s.expectNothing()
  }

  @Test("a 64 KB GRO'd segment is taken whole and ACKed at once")
  func groSegmentReceived() throws {
    let s = try TCPScript()
    let (id, _) = try s.acceptConnection()
    let payload = patternBytes(count: 44 * 1460, seed: 3)
    s.send(.ack, seq: 1, ack: 1, payload: payload, checksum: .partial)
    // It stands for 44 full-sized segments: no delayed ACK.
    s.expect(.ack, seq: 1, ack: 1 + payload.count, at: .zero)
    var received: [UInt8] = []
    while let chunk = try s.read(id) { received += chunk }
    #expect(received == payload)
    #expect(s.stack.counters.framesAccepted == s.stack.counters.framesReceived)
  }

  @Test("with TSO the stack emits a super-segment that segments into valid MSS segments")
  func tsoSuperSegment() throws {
    let s = try TCPScript { $0.interface.transmitOffloads = [.tcpChecksum, .tcpSegmentation] }
    let (id, _) = try s.acceptConnection()
    #expect(try s.write(id, count: 30_000) == 30_000)
    // The initial window is 10 segments: one super-segment carries all of it.
    let segment = try #require(s.expect(.ack, seq: 1, ack: 1, length: 14_600))
    #expect(
      segment.metadata
        == VirtioNetHeader(
          flags: .needsChecksum, gsoType: .tcpV4, headerLength: 54, gsoSize: 1460,
          checksumStart: 34, checksumOffset: 16))
    #expect(segment.frame.count == 54 + 14_600)
    // The TCP checksum field holds the pseudo-header sum over the full TCP length.
    var pseudo = InternetChecksum()
    pseudo.addPseudoHeader(
      source: TestHosts.ipA, destination: TestHosts.ipB, protocol: .tcp, length: 20 + 14_600)
    #expect(segment.frame.readUInt16(at: 34 + 16) == pseudo.folded)

    let pieces = segmentLikeTheKernel(segment.frame, segment.metadata)
    #expect(pieces.count == 10)
    var sequence = segment.header.sequenceNumber
    var bytes: [UInt8] = []
    for piece in pieces {
      let parsed = ParsedFrame(piece)
      #expect(parsed.error == nil)
      #expect(piece.count <= 1514)
      let tcp = try #require(parsed.tcp)
      #expect(tcp.sequenceNumber == sequence)
      #expect(parsed.payload.count == 1460)
      sequence &+= UInt32(parsed.payload.count)
      bytes += parsed.payload
    }
    #expect(bytes == [UInt8](repeating: 0x61, count: 14_600))

    // What is left after the ACK fits in less: the last segment is short and only the part
    // beyond one MSS makes it a super-segment.
    s.send(.ack, seq: 1, ack: 14_601)
    let next = try #require(s.expect(.ack, seq: 14_601, ack: 1, length: 15_400))
    #expect(next.metadata.gsoType == .tcpV4)
    s.send(.ack, seq: 1, ack: 30_001)
    s.expectNothing()
  }

  @Test("with checksum offload alone, segments stay within the MSS and carry NEEDS_CSUM")
  func checksumOffloadOnly() throws {
    let s = try TCPScript { $0.interface.transmitOffloads = [.tcpChecksum] }
    let (id, _) = try s.acceptConnection()
    #expect(try s.write(id, count: 2_920) == 2_920)
    let first = try #require(s.expect(.ack, seq: 1, ack: 1, length: 1460))
    #expect(
      first.metadata
        == VirtioNetHeader(flags: .needsChecksum, checksumStart: 34, checksumOffset: 16))
    let second = s.expect(.pshAck, seq: 1461, ack: 1, length: 1460)
    #expect(second?.metadata == first.metadata)
  }

  @Test func segmentationRequiresChecksumOffload() {
    var configuration = TestHosts.configuration(mac: TestHosts.macA, ip: TestHosts.ipA)
    configuration.interface.transmitOffloads = [.tcpSegmentation]
    #expect(throws: ConfigurationError.self) { try configuration.validate() }
  }

  /// Cuts a TSO super-frame into MSS-sized frames the way the kernel's GSO does: headers
  /// copied, IPv4 length, ID and checksum and the TCP sequence number adjusted, PSH and FIN
  /// only on the last piece, full TCP checksums.
  private func segmentLikeTheKernel(
    _ frame: [UInt8], _ metadata: VirtioNetHeader
  ) -> [[UInt8]] {
    let headerLength = Int(metadata.headerLength)
    let size = Int(metadata.gsoSize)
    let ipOffset = EthernetHeader.length
    let tcpOffset = Int(metadata.checksumStart)
    let firstSequence = frame.readUInt32(at: tcpOffset + 4)
    let identification = frame.readUInt16(at: ipOffset + 4)
    var pieces: [[UInt8]] = []
    var offset = headerLength
    while offset < frame.count {
      let end = min(offset + size, frame.count)
      var piece = Array(frame[0..<headerLength]) + Array(frame[offset..<end])
      let index = pieces.count
      piece.writeUInt16(UInt16(piece.count - ipOffset), at: ipOffset + 2)
      piece.writeUInt16(identification &+ UInt16(index), at: ipOffset + 4)
      piece.writeUInt16(0, at: ipOffset + 10)
      var ipSum = InternetChecksum()
      ipSum.add(piece, range: ipOffset..<tcpOffset)
      piece.writeUInt16(ipSum.checksum, at: ipOffset + 10)
      piece.writeUInt32(
        firstSequence &+ UInt32(offset - headerLength), at: tcpOffset + 4)
      if end < frame.count {
        piece[tcpOffset + 13] &= ~(TCPFlags.psh.rawValue | TCPFlags.fin.rawValue)
      }
      TCPHeader.writeChecksum(
        in: &piece, segment: tcpOffset..<piece.count, source: TestHosts.ipA,
        destination: TestHosts.ipB)
      pieces.append(piece)
      offset = end
    }
    return pieces
  }
}
