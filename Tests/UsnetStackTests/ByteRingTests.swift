import Testing

@testable import UsnetStack

@Suite struct ByteRingTests {
  static func bytes(_ range: Range<Int>) -> [UInt8] {
    range.map { UInt8(truncatingIfNeeded: $0) }
  }

  /// Reads everything readable.
  static func readAll(_ ring: inout ByteRing) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: ring.count)
    let n = ring.read(into: &out, range: 0..<out.count)
    return Array(out[0..<n])
  }

  @Test func emptyRing() {
    var ring = ByteRing(capacity: 8)
    #expect(ring.capacity == 8)
    #expect(ring.count == 0)
    #expect(ring.freeSpace == 8)
    #expect(ring.isEmpty)
    var out = [UInt8](repeating: 9, count: 4)
    #expect(ring.read(into: &out, range: 0..<4) == 0)
    #expect(out == [9, 9, 9, 9])
    ring.discard(3)
    #expect(ring.count == 0)
  }

  @Test func appendAndReadInOrder() {
    var ring = ByteRing(capacity: 8)
    #expect(ring.append([1, 2, 3], range: 0..<3) == 3)
    #expect(ring.count == 3)
    #expect(ring.freeSpace == 5)
    #expect(!ring.isEmpty)
    var out = [UInt8](repeating: 0, count: 5)
    #expect(ring.read(into: &out, range: 1..<3) == 2)
    #expect(out == [0, 1, 2, 0, 0])
    #expect(Self.readAll(&ring) == [3])
    #expect(ring.isEmpty)
  }

  @Test func appendTakesOnlyWhatFits() {
    var ring = ByteRing(capacity: 5)
    #expect(ring.append(Self.bytes(0..<8), range: 2..<8) == 5)
    #expect(ring.freeSpace == 0)
    #expect(ring.append([1], range: 0..<1) == 0)
    #expect(Self.readAll(&ring) == [2, 3, 4, 5, 6])
  }

  @Test func wrapsAroundTheEnd() {
    var ring = ByteRing(capacity: 8)
    ring.append(Self.bytes(0..<6), range: 0..<6)
    ring.discard(5)
    // Head is at index 5: the next 7 bytes straddle the end of storage.
    #expect(ring.append(Self.bytes(100..<107), range: 0..<7) == 7)
    #expect(ring.count == 8)
    #expect(Self.readAll(&ring) == [5] + Self.bytes(100..<107))
  }

  @Test func copyAcrossTheWrapPointDoesNotConsume() {
    var ring = ByteRing(capacity: 10)
    ring.append(Self.bytes(0..<7), range: 0..<7)
    ring.discard(7)
    ring.append(Self.bytes(20..<30), range: 0..<10)  // 3 bytes before the end, 7 after
    var out = [UInt8](repeating: 0, count: 12)
    ring.copy(fromOffset: 1, count: 6, into: &out, at: 3)
    #expect(out == [0, 0, 0] + Self.bytes(21..<27) + [0, 0, 0])
    ring.copy(fromOffset: 0, count: 10, into: &out, at: 0)
    #expect(Array(out[0..<10]) == Self.bytes(20..<30))
    #expect(ring.count == 10)
  }

  @Test func copyIsClampedToReadableBytesAndDestination() {
    var ring = ByteRing(capacity: 10)
    ring.append([1, 2, 3, 4], range: 0..<4)
    var out = [UInt8](repeating: 0, count: 3)
    ring.copy(fromOffset: 2, count: 10, into: &out, at: 0)
    #expect(out == [3, 4, 0])
    ring.copy(fromOffset: 0, count: 4, into: &out, at: 1)
    #expect(out == [3, 1, 2])
    ring.copy(fromOffset: -1, count: 2, into: &out, at: 0)
    ring.copy(fromOffset: 4, count: 2, into: &out, at: 0)
    ring.copy(fromOffset: 0, count: 2, into: &out, at: 3)
    ring.copy(fromOffset: 0, count: -2, into: &out, at: 0)
    #expect(out == [3, 1, 2])
  }

  @Test func writeAtOffsetThenCommit() {
    var ring = ByteRing(capacity: 16)
    ring.append([1, 2], range: 0..<2)
    // Out-of-order data at offsets 5..<8; not readable yet.
    #expect(ring.write([6, 7, 8], range: 0..<3, atOffset: 5) == 3)
    #expect(ring.count == 2)
    // The gap 2..<5 arrives; then 8 bytes are in order.
    #expect(ring.write([3, 4, 5], range: 0..<3, atOffset: 2) == 3)
    ring.commit(6)
    #expect(ring.count == 8)
    #expect(Self.readAll(&ring) == [1, 2, 3, 4, 5, 6, 7, 8])
  }

  @Test func writeKeepsOffsetsAcrossReadsAndWraps() {
    var ring = ByteRing(capacity: 8)
    ring.append(Self.bytes(0..<6), range: 0..<6)
    #expect(ring.write([50, 51], range: 0..<2, atOffset: 7) == 1)  // clipped to capacity
    var out = [UInt8](repeating: 0, count: 6)
    #expect(ring.read(into: &out, range: 0..<6) == 6)
    // The byte written at offset 7 now sits at offset 1; write more around the wrap point.
    #expect(ring.write(Self.bytes(60..<66), range: 0..<6, atOffset: 2) == 6)
    #expect(ring.write([49], range: 0..<1, atOffset: 0) == 1)
    ring.commit(8)
    #expect(Self.readAll(&ring) == [49, 50] + Self.bytes(60..<66))
  }

  @Test func writeSkipsBytesThatAreAlreadyReadable() {
    var ring = ByteRing(capacity: 8)
    ring.append([1, 2, 3], range: 0..<3)
    #expect(ring.write([9, 9, 4, 5], range: 0..<4, atOffset: 1) == 2)
    #expect(ring.write([9, 9], range: 0..<2, atOffset: 0) == 0)
    #expect(ring.write([9], range: 0..<1, atOffset: Int.min) == 0)
    #expect(ring.write([9], range: 0..<1, atOffset: 8) == 0)
    #expect(ring.write([9], range: 0..<1, atOffset: Int.max) == 0)
    ring.commit(2)
    #expect(Self.readAll(&ring) == [1, 2, 3, 4, 5])
  }

  @Test func callerSuppliedValuesAreClamped() {
    var ring = ByteRing(capacity: 4)
    #expect(ring.append([1, 2], range: -3..<10) == 2)
    ring.commit(100)
    #expect(ring.count == 4)
    ring.commit(-5)
    ring.discard(-1)
    #expect(ring.count == 4)
    ring.discard(100)
    #expect(ring.isEmpty)
    var out = [UInt8](repeating: 0, count: 2)
    ring.append([7, 8, 9], range: 0..<3)
    #expect(ring.read(into: &out, range: 1..<9) == 1)
    #expect(out == [0, 7])
    let empty = ByteRing(capacity: -1)
    #expect(empty.capacity == 0)
    #expect(empty.freeSpace == 0)
  }

  @Test func zeroCapacity() {
    var ring = ByteRing(capacity: 0)
    #expect(ring.append([1], range: 0..<1) == 0)
    #expect(ring.write([1], range: 0..<1, atOffset: 0) == 0)
    ring.commit(1)
    ring.discard(1)
    #expect(ring.isEmpty)
  }

  @Test func removeAllEmptiesButKeepsCapacity() {
    var ring = ByteRing(capacity: 4)
    ring.append([1, 2, 3], range: 0..<3)
    ring.discard(2)
    ring.removeAll()
    #expect(ring.isEmpty)
    #expect(ring.freeSpace == 4)
    ring.append([4, 5, 6, 7], range: 0..<4)
    #expect(Self.readAll(&ring) == [4, 5, 6, 7])
  }

  /// Random operations against a model: `readable` bytes plus what lies beyond them
  /// (`nil` where nothing has been written since the bytes were freed).
  @Test(arguments: [1, 2, 3] as [UInt64])
  func matchesModel(seed: UInt64) {
    var random = SeededRandom(seed: seed)
    let capacity = 37
    var ring = ByteRing(capacity: capacity)
    var readable: [UInt8?] = []
    var beyond = [UInt8?](repeating: nil, count: capacity)  // offsets count..<capacity
    var next: UInt8 = 0
    func fresh(_ n: Int) -> [UInt8] {
      (0..<n).map { _ in
        next &+= 1
        return next
      }
    }
    for _ in 0..<20_000 {
      let n = Int.random(in: 0...20, using: &random)
      switch Int.random(in: 0..<6, using: &random) {
      case 0:
        let source = fresh(n + 3)
        let taken = ring.append(source, range: 3..<(n + 3))
        let expected = min(n, capacity - readable.count)
        #expect(taken == expected)
        readable += source[3..<(3 + expected)].map { $0 }
        beyond.removeFirst(expected)
      case 1:
        let offset = Int.random(in: -5...(capacity + 5), using: &random)
        let source = fresh(n)
        let written = ring.write(source, range: 0..<n, atOffset: offset)
        var expected = 0
        for (i, byte) in source.enumerated() {
          let at = offset + i
          if at >= readable.count, at < capacity {
            beyond[at - readable.count] = byte
            expected += 1
          }
        }
        #expect(written == expected)
      case 2:
        let m = min(n, capacity - readable.count)
        ring.commit(n)
        readable += beyond[0..<m]
        beyond.removeFirst(m)
      case 3:
        var out = [UInt8](repeating: 0, count: n + 2)
        let got = ring.read(into: &out, range: 2..<(n + 2))
        let expected = min(n, readable.count)
        #expect(got == expected)
        for i in 0..<expected where readable[i] != nil {
          #expect(out[2 + i] == readable[i])
        }
        readable.removeFirst(expected)
        beyond += [UInt8?](repeating: nil, count: expected)
      case 4:
        let m = min(n, readable.count)
        ring.discard(n)
        readable.removeFirst(m)
        beyond += [UInt8?](repeating: nil, count: m)
      default:
        guard !readable.isEmpty else { break }
        let offset = Int.random(in: 0..<readable.count, using: &random)
        let count = Int.random(in: 0...(readable.count - offset), using: &random)
        var out = [UInt8](repeating: 0, count: count + 1)
        ring.copy(fromOffset: offset, count: count, into: &out, at: 1)
        for i in 0..<count where readable[offset + i] != nil {
          #expect(out[1 + i] == readable[offset + i])
        }
      }
      #expect(ring.count == readable.count)
      #expect(ring.freeSpace == capacity - readable.count)
      #expect(readable.count + beyond.count == capacity)
    }
  }

  @Test("grow keeps readable and out-of-order bytes at their offsets across the wrap")
  func growKeepsBytes() {
    var ring = ByteRing(capacity: 8)
    ring.grow(to: 4)
    #expect(ring.capacity == 8)
    #expect(ring.append(Self.bytes(0..<6), range: 0..<6) == 6)
    ring.discard(5)
    // Head at 5: readable [5], then bytes 1...4 written beyond, wrapping past the end.
    #expect(ring.write(Self.bytes(10..<14), range: 0..<4, atOffset: 2) == 4)
    ring.grow(to: 16)
    #expect(ring.capacity == 16 && ring.count == 1 && ring.freeSpace == 15)
    ring.commit(5)
    #expect(Self.readAll(&ring) == [5, 0, 10, 11, 12, 13])
    #expect(ring.append(Self.bytes(0..<16), range: 0..<16) == 16)
    #expect(Self.readAll(&ring) == Self.bytes(0..<16))
  }

  @Test("grow before the first write only raises the capacity")
  func growUnallocated() {
    var ring = ByteRing(capacity: 4)
    ring.grow(to: 10)
    #expect(ring.append(Self.bytes(0..<12), range: 0..<12) == 10)
    #expect(Self.readAll(&ring) == Self.bytes(0..<10))
  }
}
