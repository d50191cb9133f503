import Testing
import UsnetWire

@Suite struct InternetChecksumTests {
  @Test func rfc1071Example() {
    // RFC 1071 section 3: the bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2.
    let bytes: [UInt8] = [0x00, 0x01, 0xF2, 0x03, 0xF4, 0xF5, 0xF6, 0xF7]
    var sum = InternetChecksum()
    sum.add(bytes, range: 0..<8)
    #expect(sum.folded == 0xDDF2)
    #expect(sum.checksum == 0x220D)
  }

  @Test func emptyAndAllZero() {
    #expect(InternetChecksum().folded == 0)
    #expect(InternetChecksum().checksum == 0xFFFF)
    var sum = InternetChecksum()
    sum.add([UInt8](repeating: 0, count: 9), range: 0..<9)
    #expect(sum.folded == 0)
  }

  @Test func matchesReferenceForEveryLengthAndAlignment() {
    var generator = SeededGenerator(seed: 1071)
    let buffer = generator.bytes(300)
    for start in 0..<9 {
      for length in 0...(300 - 9) {
        var sum = InternetChecksum()
        sum.add(buffer, range: start..<start + length)
        let reference = referenceOnesComplementSum(Array(buffer[start..<start + length]))
        #expect(sum.folded == reference, "start \(start) length \(length)")
      }
    }
  }

  @Test func oddLengthPadsWithZero() {
    var odd = InternetChecksum()
    odd.add([0xAB, 0xCD, 0xEF], range: 0..<3)
    var padded = InternetChecksum()
    padded.add([0xAB, 0xCD, 0xEF, 0x00], range: 0..<4)
    #expect(odd.folded == padded.folded)
    #expect(odd.folded == 0xABCD + 0xEF00 - 0xFFFF)
  }

  @Test func evenSplitsBehaveLikeOneBuffer() {
    var generator = SeededGenerator(seed: 7)
    for _ in 0..<300 {
      let length = Int.random(in: 0...200, using: &generator)
      let bytes = generator.bytes(length)
      var whole = InternetChecksum()
      whole.add(bytes, range: 0..<length)
      // Split into up to four pieces at even points (the last piece may be odd).
      var cuts = (0..<3).map { _ in Int.random(in: 0...length / 2, using: &generator) * 2 }
      cuts.sort()
      var pieces = InternetChecksum()
      var previous = 0
      for cut in cuts + [length] {
        pieces.add(bytes, range: previous..<cut)
        previous = cut
      }
      #expect(pieces.folded == whole.folded)
    }
  }

  @Test func oddSplitPointsAtOddBufferOffsets() {
    // Pieces starting at odd offsets of the underlying array still sum correctly.
    var generator = SeededGenerator(seed: 99)
    let bytes = generator.bytes(101)
    var whole = InternetChecksum()
    whole.add(bytes, range: 1..<101)
    for cut in stride(from: 1, through: 101, by: 2) {
      var pieces = InternetChecksum()
      pieces.add(bytes, range: 1..<cut)
      pieces.add(bytes, range: cut..<101)
      #expect(pieces.folded == whole.folded, "cut \(cut)")
    }
  }

  @Test func wordsEqualBytes() {
    let bytes: [UInt8] = [0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC]
    var fromBytes = InternetChecksum()
    fromBytes.add(bytes, range: 0..<6)
    var fromWords = InternetChecksum()
    fromWords.add(UInt32(0x1234_5678))
    fromWords.add(UInt16(0x9ABC))
    #expect(fromBytes.folded == fromWords.folded)
  }

  @Test func pseudoHeaderEqualsExplicitBytes() {
    var sum = InternetChecksum()
    sum.addPseudoHeader(
      source: IPv4Address(198, 18, 0, 1), destination: IPv4Address(198, 18, 0, 2),
      protocol: .tcp, length: 1480)
    let bytes: [UInt8] = [198, 18, 0, 1, 198, 18, 0, 2, 0, 6, 0x05, 0xC8]
    var reference = InternetChecksum()
    reference.add(bytes, range: 0..<12)
    #expect(sum.folded == reference.folded)
  }

  @Test func validPacketFoldsToAllOnes() {
    var generator = SeededGenerator(seed: 3)
    for length in [2, 3, 20, 21, 64, 1501] {
      var bytes = generator.bytes(length)
      bytes[0] = 0
      bytes[1] = 0
      var sum = InternetChecksum()
      sum.add(bytes, range: 0..<length)
      bytes.writeUInt16(sum.checksum, at: 0)
      var verify = InternetChecksum()
      verify.add(bytes, range: 0..<length)
      #expect(verify.folded == 0xFFFF)
    }
  }

  @Test func largeBufferDoesNotOverflow() {
    let bytes = [UInt8](repeating: 0xFF, count: 1 << 20)
    var sum = InternetChecksum()
    sum.add(bytes, range: 0..<bytes.count)
    #expect(sum.folded == 0xFFFF)
  }

  @Test func incrementalUpdateEqualsRecompute() {
    var generator = SeededGenerator(seed: 1624)
    for _ in 0..<2000 {
      let length = Int.random(in: 2...40, using: &generator) * 2
      var bytes = generator.bytes(length)
      var original = InternetChecksum()
      original.add(bytes, range: 0..<length)
      let checksum = original.checksum
      let wide = length >= 4 && Bool.random(using: &generator)
      let updated: UInt16
      if wide {
        let at = Int.random(in: 0...(length - 4) / 2, using: &generator) * 2
        let old = bytes.readUInt32(at: at)
        let new = UInt32.random(in: .min ... .max, using: &generator)
        bytes.writeUInt32(new, at: at)
        updated = InternetChecksum.updated(checksum, oldValue: old, newValue: new)
      } else {
        let at = Int.random(in: 0...(length - 2) / 2, using: &generator) * 2
        let old = bytes.readUInt16(at: at)
        let new = UInt16.random(in: .min ... .max, using: &generator)
        bytes.writeUInt16(new, at: at)
        updated = InternetChecksum.updated(checksum, oldValue: old, newValue: new)
      }
      var recomputed = InternetChecksum()
      recomputed.add(bytes, range: 0..<length)
      #expect(updated == recomputed.checksum)
    }
  }

  @Test func incrementalUpdateOfRealIPv4Header() throws {
    // Decrementing the TTL of the Linux echo request, as a router would.
    var frame = hexBytes(LinuxFixtures.echoRequest)
    let ip = 14
    let old = frame.readUInt16(at: ip + 8)
    frame[ip + 8] -= 1
    let new = frame.readUInt16(at: ip + 8)
    let updated = InternetChecksum.updated(
      frame.readUInt16(at: ip + 10), oldValue: old, newValue: new)
    frame.writeUInt16(updated, at: ip + 10)
    let parsed = try IPv4Header.parse(frame, in: ip..<frame.count)
    #expect(parsed.header.timeToLive == 63)
    #expect(parsed.header.checksum == updated)
  }
}
