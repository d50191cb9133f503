import Testing
import UsnetSim
import UsnetStack
import UsnetWire

/// Seeded random fragment sets: genuine UDP datagrams cut at random, shuffled, with exact
/// duplicates, copies with one byte changed, and junk fragments (random offsets, lengths,
/// flags, protocols and identifications). Nothing may crash, the counters stay balanced, the
/// held bytes stay within the limit, every datagram delivered is byte for byte a genuine one,
/// and a genuine datagram that met no changed copy and no limit is delivered.
@Suite("IPv4 fragment fuzz")
struct IPv4FragmentFuzzTests {
  @Test("random fragment sets: no crash, bounded memory, only genuine datagrams delivered")
  func randomFragmentSets() throws {
    var fuzz = try FragmentFuzz(seed: 0xF4A6_0001)
    try fuzz.run(rounds: 250)
  }

  @Test("random fragment sets against tight limits: no crash, bounded memory")
  func tightLimits() throws {
    var fuzz = try FragmentFuzz(seed: 0xF4A6_0002) {
      $0.reassembly.maximumBytes = 65536
      $0.reassembly.maximumDatagrams = 4
      $0.reassembly.maximumFragmentsPerDatagram = 8
    }
    try fuzz.run(rounds: 120)
  }
}

struct FragmentFuzz {
  let stack: NetworkStack
  let socket: UDPSocketID
  var random: SeededRandom
  var now = Instant.zero
  var nextIdentification: UInt16 = 1
  var buffer = [UInt8](repeating: 0, count: 70_000)
  let limit: Int

  init(seed: UInt64, _ adjust: (inout StackConfiguration) -> Void = { _ in }) throws {
    stack = try makeStack(seed: seed, adjust)
    socket = try stack.bindUDP(port: 5000, at: .zero)
    try stack.connectUDP(socket, to: (TestHosts.ipB, 4000))
    teachNeighbor(stack, at: .zero)
    random = SeededRandom(seed: seed)
    limit = stack.configuration.reassembly.maximumBytes
  }

  mutating func below(_ bound: Int) -> Int { Int(random.next() % UInt64(bound)) }
  mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

  mutating func run(rounds: Int) throws {
    var delivered = 0
    var mustDeliver = 0
    for round in 0..<rounds {
      var genuine: [UInt16: [UInt8]] = [:]
      var tainted: Set<UInt16> = []
      var frames: [[UInt8]] = []
      for _ in 0..<(1 + below(4)) {
        let identification = nextIdentification
        nextIdentification = nextIdentification % 0x7FFF + 1
        let count = chance(10) ? 60_000 + below(5508) : below(9000)
        let data = patternBytes(count: count, seed: random.next())
        genuine[identification] = data
        let body = PeerFrames.udpBody(sourcePort: 4000, destinationPort: 5000, payload: data)
        var cuts: [Int] = []
        var position = 0
        while true {
          position += 8 * (1 + below(chance(50) ? 185 : 20))
          guard position < body.count else { break }
          cuts.append(position)
        }
        let pieces = FragmentFrames.split(body, at: cuts, identification: identification)
        for piece in pieces {
          frames.append(piece)
          if chance(5) { frames.append(piece) }
          if chance(3) {
            var changed = piece
            changed[EthernetHeader.length + 20 + below(piece.count - 34)] ^= UInt8(1 + below(255))
            frames.append(changed)
            tainted.insert(identification)
          }
        }
      }
      for _ in 0..<below(6) {
        let (frame, identification) = junk()
        frames.append(frame)
        tainted.insert(identification)
      }
      // Shuffle.
      for index in frames.indices.reversed() where index > 0 {
        frames.swapAt(index, below(index + 1))
      }
      let limitDrops = stack.counters[.ipv4ReassemblyLimit]
      for frame in frames {
        stack.receive(frame: frame, at: now)
        let counters = stack.counters
        if stack.reassemblyBytesHeld > limit
          || counters.framesReceived != counters.framesAccepted + counters.totalDrops
        {
          Issue.record("round \(round): \(stack.reassemblyBytesHeld) bytes held, \(counters)")
          return
        }
      }
      _ = drain(stack, at: now)
      var seen: Set<UInt16> = []
      while let info = try stack.receive(socket, into: &buffer, at: now) {
        let bytes = Array(buffer[0..<info.count])
        let match = genuine.first { $0.value == bytes }
        #expect(match != nil, "round \(round): a datagram of \(info.length) bytes is not genuine")
        if let match { seen.insert(match.key) }
        delivered += 1
      }
      if stack.counters[.ipv4ReassemblyLimit] == limitDrops {
        for identification in genuine.keys where !tainted.contains(identification) {
          mustDeliver += 1
          #expect(seen.contains(identification), "round \(round): \(identification) lost")
        }
      }
      now = now + .milliseconds(below(200))
      if chance(20) {
        // Let everything left expire.
        now = now + stack.configuration.reassembly.timeout
        _ = drain(stack, at: now)
        #expect(stack.reassemblyBytesHeld == 0 && stack.reassemblyDatagramsInProgress == 0)
      }
    }
    now = now + stack.configuration.reassembly.timeout
    _ = drain(stack, at: now)
    #expect(stack.reassemblyBytesHeld == 0 && stack.reassemblyDatagramsInProgress == 0)
    #expect(stack.nextDeadline == nil)
    #expect(delivered > 0)
    #expect(mustDeliver > 0)
    // The mix reached every fragment rule.
    for reason in [DropReason.ipv4FragmentMalformed, .ipv4FragmentOverlap, .ipv4FragmentDuplicate] {
      #expect(stack.counters[reason] > 0, "\(reason)")
    }
    #expect(stack.counters.ipv4ReassemblyTimeouts > 0)
  }

  /// A fragment that belongs to no genuine datagram (identification 0x8000 and up) or, rarely,
  /// tampers with a recent one; returns its identification too.
  mutating func junk() -> ([UInt8], UInt16) {
    let identification =
      chance(90)
      ? UInt16(0x8000 + below(64)) : nextIdentification &- UInt16(1 + below(4))
    let protocols: [IPProtocol] = [.udp, .icmp, .tcp, IPProtocol(rawValue: 47)]
    let length = chance(10) ? 0 : below(chance(50) ? 1600 : 64)
    var data = [UInt8](repeating: 0, count: length)
    for index in data.indices { data[index] = UInt8(truncatingIfNeeded: random.next()) }
    let frame = FragmentFrames.fragment(
      data, offset: 8 * below(8192), more: chance(60),
      identification: identification, protocol: protocols[below(protocols.count)],
      destination: chance(90) ? TestHosts.ipA : IPv4Address(198, 18, 0, 255),
      to: chance(90) ? TestHosts.macA : .broadcast)
    return (frame, identification)
  }
}
