import Testing
import UsnetWire

@Suite struct TCPFlagsTests {
  @Test func bitValues() {
    let expected: [(TCPFlags, UInt8)] = [
      (.fin, 0x01), (.syn, 0x02), (.rst, 0x04), (.psh, 0x08), (.ack, 0x10), (.urg, 0x20),
      (.ece, 0x40), (.cwr, 0x80),
    ]
    for (flag, bit) in expected {
      #expect(flag.rawValue == bit)
    }
  }

  @Test func tcpdumpStyleDescription() {
    #expect(TCPFlags.syn.description == "S")
    #expect(TCPFlags([.syn, .ack]).description == "S.")
    #expect(TCPFlags([.fin, .ack]).description == "F.")
    #expect(TCPFlags([.psh, .ack]).description == "P.")
    #expect(TCPFlags([.rst, .ack]).description == "R.")
    #expect(TCPFlags.ack.description == ".")
    #expect(TCPFlags([.syn, .ece, .cwr]).description == "SEW")
    #expect(TCPFlags([.urg, .ack]).description == ".U")
    #expect(TCPFlags(rawValue: 0xFF).description == "FSRP.UEW")
    #expect(TCPFlags().description == "none")
  }
}

@Suite struct SACKBlockListTests {
  @Test func appendsUpToCapacity() {
    var list = SACKBlockList()
    #expect(list.isEmpty && list.count == 0)
    for index in 0..<SACKBlockList.capacity {
      let appended = list.append(SACKBlock(start: UInt32(index * 10), end: UInt32(index * 10 + 5)))
      #expect(appended)
    }
    let overflowed = list.append(SACKBlock(start: 1, end: 2))
    #expect(!overflowed)
    #expect(list.count == 4)
    #expect(list.startIndex == 0 && list.endIndex == 4)
    #expect(list.map(\.start) == [0, 10, 20, 30])
    #expect(list[3] == SACKBlock(start: 30, end: 35))
    #expect(list.last == SACKBlock(start: 30, end: 35))
  }

  @Test func equalityAndHashingFollowContents() {
    let a = SACKBlockList([SACKBlock(start: 1, end: 2), SACKBlock(start: 3, end: 4)])
    var b = SACKBlockList()
    b.append(SACKBlock(start: 1, end: 2))
    #expect(a != b)
    b.append(SACKBlock(start: 3, end: 4))
    #expect(a == b)
    #expect(a.hashValue == b.hashValue)
    var c = a
    c.removeAll()
    #expect(c == SACKBlockList())
    #expect(c.isEmpty)
  }

  @Test func sequenceInitializerKeepsFirstFour() {
    let blocks = (0..<6).map { SACKBlock(start: UInt32($0), end: UInt32($0 + 1)) }
    let list = SACKBlockList(blocks)
    #expect(Array(list) == Array(blocks.prefix(4)))
  }
}
