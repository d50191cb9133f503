import Testing
import UsnetDevice

/// ``TAPDevice/openMacvtap(_:virtioNetHeader:)`` on real macvtaps in a private network
/// namespace per test (the system's `/sys` shows another namespace there, lab note G2).
/// Root only.
@Suite(.enabled(if: namespaceSkipReason == nil, Comment(rawValue: namespaceSkipReason ?? "")))
struct TAPDeviceMacvtapTests {
  /// A broadcast ARP request from 02:00:c6:12:00:0b for 198.18.0.2.
  static let arpRequest: [UInt8] =
    [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0xc6, 0x12, 0x00, 0x0b, 0x08, 0x06]
    + [0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01, 0x02, 0x00, 0xc6, 0x12, 0x00, 0x0b]
    + [198, 18, 0, 11, 0, 0, 0, 0, 0, 0, 198, 18, 0, 2]

  /// A veth pair, both ends up, and a macvtap in `mode` on the first end, up.
  private func makeMacvtap(_ socket: NetlinkSocket, mode: MacvtapMode) throws -> LinkFacts {
    let (parent, peer) = try socket.createVethPair(named: "usnmp0", peerNamed: "usnmp1")
    try socket.setLink(.index(parent.index), up: true)
    try socket.setLink(.index(peer.index), up: true)
    let created = try socket.createMacvtap(named: "usnmv0", on: .name("usnmp0"), mode: mode)
    try socket.setLink(.index(created.index), up: true)
    return try socket.link(.index(created.index))
  }

  @Test func withTheHeaderOffloadsStartOffAndCanBeNegotiated() throws {
    try inPrivateNetworkNamespace { socket in
      let link = try makeMacvtap(socket, mode: .bridge)
      let device = try TAPDevice.openMacvtap(link, virtioNetHeader: true)
      defer { try? device.close() }
      #expect(device.name == "usnmv0")
      #expect(device.virtioNetHeaderLength == 10)
      #expect(device.offloads.isEmpty)
      #expect(
        try device.negotiateOffloads([[.checksum, .tcpSegmentation4]]) == [
          .checksum, .tcpSegmentation4,
        ])
      let header = [UInt8](repeating: 0, count: device.virtioNetHeaderLength)
      try device.writeFrame(header: header, Self.arpRequest, range: 0..<Self.arpRequest.count)
      var buffer = [UInt8](repeating: 0, count: 2048)
      #expect(try device.readFrame(into: &buffer, range: 0..<buffer.count) == nil)
    }
  }

  @Test func withoutTheHeaderPlainFramesGoOut() throws {
    try inPrivateNetworkNamespace { socket in
      let link = try makeMacvtap(socket, mode: .passthru)
      let device = try TAPDevice.openMacvtap(link, virtioNetHeader: false)
      defer { try? device.close() }
      #expect(device.virtioNetHeaderLength == 0)
      // With the header still on (lab note G1) the kernel would take the first 10 bytes as
      // one and refuse this frame.
      try device.writeFrame(Self.arpRequest, range: 0..<Self.arpRequest.count)
      // A second reader of the same macvtap gets a queue of its own.
      let second = try TAPDevice.openMacvtap(link, virtioNetHeader: true)
      #expect(second.virtioNetHeaderLength == 10)
      try second.close()
    }
  }

  @Test func otherKindsAndGoneMacvtapsAreRefused() throws {
    try inPrivateNetworkNamespace { socket in
      let link = try makeMacvtap(socket, mode: .bridge)
      let veth = try socket.link(.name("usnmp0"))
      #expect(
        refusal(of: veth)
          == DeviceError(
            call: "TAPDevice.openMacvtap(_:virtioNetHeader:)", errno: 22,
            detail: "usnmp0 is of kind veth, not a macvtap"))
      try socket.deleteLink(.index(link.index))
      let path = "sysfs/class/net/usnmv0/macvtap/tap\(link.index)/dev"
      #expect(refusal(of: link) == DeviceError(call: "read(\(path))", errno: 2))
    }
  }

  /// The error ``TAPDevice/openMacvtap(_:virtioNetHeader:)`` throws for `link`, if any.
  private func refusal(of link: LinkFacts) -> DeviceError? {
    do {
      _ = try TAPDevice.openMacvtap(link, virtioNetHeader: true)
      return nil
    } catch {
      return error
    }
  }
}
