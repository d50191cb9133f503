import Foundation
import Testing
import UsnetDevice

#if canImport(Glibc)
  import Glibc
#endif

/// Why the packet socket tests on a veth pair cannot run here, or `nil`: they need root
/// (a private network namespace, links, CAP_NET_RAW).
private let packetSkipReason: String? =
  getuid() == 0
  ? nil : "PacketSocket veth tests skipped: not running as root (uid \(getuid()))"

/// The local experimental EtherType (IEEE 802), so the tests' frames are told from the
/// kernel's own IPv6 chatter on the pair.
private let testEtherType: [UInt8] = [0x88, 0xB5]

/// A 60-byte test frame to `destination` from `source` whose first payload byte is `tag`.
private func testFrame(to destination: [UInt8], from source: [UInt8], tag: UInt8) -> [UInt8] {
  destination + source + testEtherType + [tag] + [UInt8](repeating: tag, count: 45)
}

/// Reads every test frame `socket` receives within `duration` and returns their tags.
private func receiveTags(
  _ socket: PacketSocket, for duration: Duration, expecting count: Int
) throws -> [UInt8] {
  let end = ContinuousClock.now + duration
  let offset = socket.virtioNetHeaderLength
  var buffer = [UInt8](repeating: 0, count: 70_000)
  var tags: [UInt8] = []
  while ContinuousClock.now < end && tags.count < count {
    _ = try socket.waitReadable(timeout: .milliseconds(20))
    while let length = try socket.readFrame(into: &buffer, range: 0..<buffer.count) {
      if length == offset + 60, Array(buffer[(offset + 12)..<(offset + 14)]) == testEtherType {
        tags.append(buffer[offset + 14])
      }
    }
  }
  return tags
}

/// Argument checks made before any call; they need no privileges.
@Suite struct PacketSocketArgumentTests {
  @Test func badArgumentsAreRejectedBeforeAnyCall() {
    let mac: [UInt8] = [2, 0, 0, 0, 0, 1]
    for (index, address) in [(UInt32(0), mac), (1, [1, 0, 0, 0, 0, 1]), (1, [2, 0])] {
      #expect {
        try PacketSocket.open(interfaceIndex: index, acceptingDestination: address)
      } throws: { error in
        (error as? DeviceError)?.errno == 22
      }
    }
    let layout = PacketRingLayout(
      receiveBlockSize: 100, receiveBlockCount: 1, transmitBlockSize: 0, transmitBlockCount: 0,
      transmitFrameSize: 0)
    #expect(throws: DeviceError.self) {
      try PacketSocket.open(interfaceIndex: 1, acceptingDestination: mac, rings: layout)
    }
  }
}

/// A veth pair in a private network namespace: a ring socket on one end, a plain one on the
/// other. Root only.
@Suite(.enabled(if: packetSkipReason == nil, Comment(rawValue: packetSkipReason ?? "")))
struct PacketSocketVethTests {
  @Test(.timeLimit(.minutes(1)))
  func ringsCarryOnlyFramesForOurAddressBothWays() throws {
    try inPrivateNetworkNamespace { netlink in
      let (near, far) = try netlink.createVethPair(named: "pkt-near", peerNamed: "pkt-far")
      try netlink.setLink(.index(near.index), up: true)
      try netlink.setLink(.index(far.index), up: true)
      let ours: [UInt8] = [0x02, 0x00, 0xC6, 0x12, 0x00, 0x0C]
      let farAddress = try #require(far.hardwareAddress)
      let ring = try PacketSocket.open(interfaceIndex: near.index, acceptingDestination: ours)
      let plain = try PacketSocket.open(
        interfaceIndex: far.index, acceptingDestination: farAddress, virtioNetHeader: false,
        rings: nil)
      #expect(ring.virtioNetHeaderLength == 10)
      #expect(ring.hasTransmitRing)
      #expect(plain.virtioNetHeaderLength == 0)

      // Ours, another host's, broadcast: the filter lets the first and the last through.
      let other: [UInt8] = [0x02, 0x00, 0xC6, 0x12, 0x00, 0x63]
      let broadcast = [UInt8](repeating: 0xFF, count: 6)
      for (destination, tag) in [(ours, UInt8(1)), (other, 2), (broadcast, 3)] {
        let frame = testFrame(to: destination, from: farAddress, tag: tag)
        try plain.sendFrame(header: [], frame, range: 0..<frame.count)
      }
      #expect(try receiveTags(ring, for: .seconds(2), expecting: 2) == [1, 3])
      #expect(try receiveTags(ring, for: .milliseconds(100), expecting: 1).isEmpty)

      // 100 frames through the transmit ring (more than its 60 slots), flushed when full
      // and once at the end.
      let header = [UInt8](repeating: 0, count: ring.virtioNetHeaderLength)
      for tag in 0..<100 {
        let frame = testFrame(to: farAddress, from: ours, tag: UInt8(tag))
        try ring.sendFrame(header: header, frame, range: 0..<frame.count)
      }
      try ring.flush()
      #expect(try receiveTags(plain, for: .seconds(2), expecting: 100) == (0..<100).map(UInt8.init))

      let statistics = try ring.readStatistics()
      #expect(statistics.packets >= 2)
      #expect(statistics.drops == 0)
      #expect(statistics.corruptBlocks == 0)
      try ring.close()
      #expect(throws: DeviceError.self) { try ring.readStatistics() }
      try plain.close()
    }
  }
}
