import Testing
import UsnetStack
import UsnetWire

/// The SACK receiver (RFC 2018) and D-SACK (RFC 2883): negotiation, the blocks on every ACK
/// while data is missing (the RFC's own examples), duplicates reported, and data segments that
/// carry blocks and shrink to fit.
@Suite("TCP script: SACK receiver")
struct TCPSACKReceiverTests {
  /// 500-byte segments as in RFC 2018 §4; the peer's relative 1 stands for the RFC's 5000.
  static let size = 500
  static let sackOptions = TCPOptions(maximumSegmentSize: 1000, sackPermitted: true)

  /// A connection with SACK negotiated and every segment ACKed at once.
  static func connection() throws -> (TCPScript, TCPSocketID) {
    let s = try TCPScript { $0.tcp.delayedACKTimeout = nil }
    let (id, _) = try s.acceptConnection(options: sackOptions)
    return (s, id)
  }

  /// Sends segment `index` (of `size` bytes from relative 1).
  static func sendSegment(_ s: TCPScript, _ index: Int) {
    s.send(.ack, seq: 1 + size * index, ack: 1, payload: [UInt8](repeating: 7, count: size))
  }

  /// The relative range of segments `first...last`.
  static func range(_ first: Int, _ last: Int) -> Range<Int> {
    (1 + size * first)..<(1 + size * (last + 1))
  }

  @Test("SACK-permitted is answered in the SYN-ACK only when the peer offers it and we allow it")
  func negotiation() throws {
    let offered = try TCPScript()
    _ = try offered.stack.listen(port: offered.stackPort, backlog: 4, at: offered.now)
    offered.send(.syn, seq: 0, options: Self.sackOptions)
    #expect(offered.expect(.synAck, seq: 0, ack: 1)?.header.options.sackPermitted == true)

    let silent = try TCPScript()
    _ = try silent.stack.listen(port: silent.stackPort, backlog: 4, at: silent.now)
    silent.send(.syn, seq: 0, options: TCPOptions(maximumSegmentSize: 1000))
    #expect(silent.expect(.synAck, seq: 0, ack: 1)?.header.options.sackPermitted == false)

    let disabled = try TCPScript { $0.tcp.selectiveAcknowledgments = false }
    _ = try disabled.stack.listen(port: disabled.stackPort, backlog: 4, at: disabled.now)
    disabled.send(.syn, seq: 0, options: Self.sackOptions)
    #expect(disabled.expect(.synAck, seq: 0, ack: 1)?.header.options.sackPermitted == false)

    // Actively opened, with the peer's SYN-ACK carrying SACK-permitted: blocks flow too.
    let active = try TCPScript { $0.tcp.delayedACKTimeout = nil }
    _ = try active.openConnection(options: Self.sackOptions)
    Self.sendSegment(active, 2)
    #expect(active.sackBlocks(of: active.expect(.ack, seq: 1, ack: 1)) == [Self.range(2, 2)])
  }

  @Test("our SYN offers SACK-permitted")
  func activeOpenOffers() throws {
    let s = try TCPScript()
    _ = try s.stack.connect(to: TCPScript.peerIP, port: s.peerPort, at: s.now)
    #expect(s.expect(.syn, seq: 0)?.header.options.sackPermitted == true)
  }

  @Test("RFC 2018 case 2: the first segment lost, the blocks grow with each arrival")
  func rfc2018FirstSegmentLost() throws {
    let (s, _) = try Self.connection()
    for index in 1...7 {
      Self.sendSegment(s, index)
      let ack = s.expect(.ack, seq: 1, ack: 1)
      #expect(s.sackBlocks(of: ack) == [Self.range(1, index)], "after segment \(index)")
    }
    Self.sendSegment(s, 0)
    let ack = s.expect(.ack, seq: 1, ack: 1 + 8 * Self.size)
    #expect(s.sackBlocks(of: ack).isEmpty)
    s.expectNothing()
  }

  @Test("RFC 2018 case 3: every second segment lost, newest block first, holes filled")
  func rfc2018AlternateSegmentsLost() throws {
    let (s, _) = try Self.connection()
    Self.sendSegment(s, 0)
    #expect(s.sackBlocks(of: s.expect(.ack, seq: 1, ack: 501)).isEmpty)
    Self.sendSegment(s, 2)
    #expect(s.sackBlocks(of: s.expect(.ack, seq: 1, ack: 501)) == [Self.range(2, 2)])
    Self.sendSegment(s, 4)
    #expect(
      s.sackBlocks(of: s.expect(.ack, seq: 1, ack: 501))
        == [Self.range(4, 4), Self.range(2, 2)])
    Self.sendSegment(s, 6)
    #expect(
      s.sackBlocks(of: s.expect(.ack, seq: 1, ack: 501))
        == [Self.range(6, 6), Self.range(4, 4), Self.range(2, 2)])
    // The 4th segment (the RFC's 6500) arrives: its block merges two.
    Self.sendSegment(s, 3)
    #expect(
      s.sackBlocks(of: s.expect(.ack, seq: 1, ack: 501))
        == [Self.range(2, 4), Self.range(6, 6)])
    // The 2nd (5500) arrives: the cumulative ACK moves to 7500, one block is left.
    Self.sendSegment(s, 1)
    #expect(
      s.sackBlocks(of: s.expect(.ack, seq: 1, ack: 1 + 5 * Self.size)) == [Self.range(6, 6)])
    Self.sendSegment(s, 5)
    #expect(s.sackBlocks(of: s.expect(.ack, seq: 1, ack: 1 + 7 * Self.size)).isEmpty)
    s.expectNothing()
  }

  @Test("more holes than blocks: the four newest ranges are reported")
  func fourBlocksAtMost() throws {
    let (s, _) = try Self.connection()
    for index in [1, 3, 5, 7, 9] {
      Self.sendSegment(s, index)
      s.expect(.ack, seq: 1, ack: 1)
    }
    // A sixth range: blocks for 11, 9, 7, 5 (3 and 1 are not reported this time).
    Self.sendSegment(s, 11)
    #expect(
      s.sackBlocks(of: s.expect(.ack, seq: 1, ack: 1))
        == [Self.range(11, 11), Self.range(9, 9), Self.range(7, 7), Self.range(5, 5)])
  }

  @Test("RFC 2883 §4.1.1: a duplicate below the cumulative ACK is reported as a D-SACK block")
  func duplicateBelowCumulativeACK() throws {
    let (s, _) = try Self.connection()
    Self.sendSegment(s, 0)
    s.expect(.ack, seq: 1, ack: 501)
    Self.sendSegment(s, 1)
    s.expect(.ack, seq: 1, ack: 1001)
    Self.sendSegment(s, 0)
    #expect(s.sackBlocks(of: s.expect(.ack, seq: 1, ack: 1001)) == [Self.range(0, 0)])
    // Reported once.
    Self.sendSegment(s, 2)
    #expect(s.sackBlocks(of: s.expect(.ack, seq: 1, ack: 1501)).isEmpty)
  }

  @Test("RFC 2883 §4.1.2: a duplicate of queued out-of-order data comes first, then the blocks")
  func duplicateAboveCumulativeACK() throws {
    let (s, _) = try Self.connection()
    Self.sendSegment(s, 2)
    s.expect(.ack, seq: 1, ack: 1)
    Self.sendSegment(s, 3)
    s.expect(.ack, seq: 1, ack: 1)
    Self.sendSegment(s, 2)
    #expect(
      s.sackBlocks(of: s.expect(.ack, seq: 1, ack: 1)) == [Self.range(2, 2), Self.range(2, 3)])
  }

  @Test("without SACK negotiated, duplicate ACKs carry no blocks")
  func noBlocksWithoutNegotiation() throws {
    let s = try TCPScript { $0.tcp.delayedACKTimeout = nil }
    _ = try s.acceptConnection(options: TCPOptions(maximumSegmentSize: 1000))
    Self.sendSegment(s, 2)
    #expect(s.sackBlocks(of: s.expect(.ack, seq: 1, ack: 1)).isEmpty)
  }

  @Test("a data segment sent while data is missing carries the blocks and shrinks to fit")
  func dataSegmentsCarryBlocks() throws {
    let (s, id) = try Self.connection()
    Self.sendSegment(s, 2)
    s.expect(.ack, seq: 1, ack: 1)
    _ = try s.write(id, count: 3000)
    // MSS 1000, less 12 bytes of SACK option (one block, padded): 988 payload bytes.
    let first = s.expect(.ack, seq: 1, ack: 1, length: 988)
    #expect(s.sackBlocks(of: first) == [Self.range(2, 2)])
    #expect(first.map { $0.ipPacket.count <= 1040 } == true)
  }
}
