import Foundation
import Testing
import UsnetDevice

#if canImport(Glibc)
  import Glibc
#endif

/// Why the namespace tests cannot run here, or `nil`. They need root: unshare(CLONE_NEWNET)
/// wants CAP_SYS_ADMIN and creating links CAP_NET_ADMIN.
let namespaceSkipReason: String? =
  getuid() == 0
  ? nil : "NetlinkSocket namespace tests skipped: not running as root (uid \(getuid()))"

/// 198.18.a.b as an integer (addresses come only from 198.18.0.0/15, the benchmarking range).
private func benchmarkAddress(_ a: UInt32, _ b: UInt32) -> UInt32 {
  0xC612_0000 | a << 8 | b
}

/// Checks made before any request; they need no privileges and send nothing to the kernel.
@Suite struct NetlinkSocketArgumentTests {
  @Test func badReferencesAndValuesAreRejectedBeforeAnyCall() throws {
    let socket = try NetlinkSocket.open()
    defer { try? socket.close() }
    #expect(throws: DeviceError.self) { try socket.link(.name("")) }
    #expect(throws: DeviceError.self) { try socket.link(.name("a-name-of-16-byte")) }
    #expect {
      try socket.deleteLink(.index(0))
    } throws: { error in
      (error as? DeviceError).map { $0.errno == 22 && $0.call == "netlink(RTM_DELLINK)" }
        ?? false
    }
    #expect(throws: DeviceError.self) { try socket.setMTU(-1, of: .index(1)) }
    #expect(throws: DeviceError.self) {
      try socket.addIPv4Address(benchmarkAddress(0, 1), prefixLength: 33, to: .index(1))
    }
    #expect(throws: DeviceError.self) {
      try socket.createMacvtap(
        named: "usnbad0", on: .index(1), mode: .bridge, hardwareAddress: [1, 0, 0, 0, 0, 1])
    }
    #expect(throws: DeviceError.self) {
      try socket.createMacvtap(
        named: "usnbad0", on: .index(1), mode: .passthru, hardwareAddress: [2, 0, 0, 0, 0, 1])
    }
  }

  @Test func aClosedSocketThrowsBadDescriptor() throws {
    let socket = try NetlinkSocket.open()
    #expect(socket.isOpen)
    try socket.close()
    #expect(!socket.isOpen)
    #expect(
      throws: DeviceError(call: "netlink(RTM_GETLINK)", errno: 9, detail: "socket closed")
    ) {
      try socket.links()
    }
  }

  @Test func readsTheLoopbackLinkOfThisNamespace() throws {
    let socket = try NetlinkSocket.open()
    defer { try? socket.close() }
    let loopback = try socket.link(.name("lo"))
    #expect(loopback.index == 1 && loopback.kind == nil)
    #expect(try socket.link(.index(1)) == loopback)
  }
}

/// Real links in a private network namespace per test. Root only.
@Suite(.enabled(if: namespaceSkipReason == nil, Comment(rawValue: namespaceSkipReason ?? "")))
struct NetlinkSocketNamespaceTests {
  @Test func aNewNamespaceHasOnlyLoopbackAndNoRoutes() throws {
    try inPrivateNetworkNamespace { socket in
      let links = try socket.links()
      #expect(links.map(\.name) == ["lo"])
      #expect(try socket.defaultRoute() == nil)
      #expect(try socket.ipv4Addresses().isEmpty)
      #expect {
        try socket.route(to: benchmarkAddress(1, 1))
      } throws: { error in
        (error as? DeviceError).map { $0.errno == 101 && $0.call == "netlink(RTM_GETROUTE)" }
          ?? false
      }
      #expect(
        throws: DeviceError(call: "netlink(RTM_GETLINK)", errno: 19, detail: "link name usnx0")
      ) {
        try socket.link(.name("usnx0"))
      }
    }
  }

  @Test func vethPairMTUUpAddressesAndRoutes() throws {
    try inPrivateNetworkNamespace { socket in
      let (link, peer) = try socket.createVethPair(named: "usnv0", peerNamed: "usnv1")
      #expect(link.kind == "veth" && peer.kind == "veth")
      #expect(link.parentIndex == peer.index && peer.parentIndex == link.index)
      #expect(!link.isUp && link.hardwareAddress?.count == 6)
      #expect {
        try socket.createVethPair(named: "usnv0", peerNamed: "usnv2")
      } throws: { error in (error as? DeviceError)?.errno == 17 }

      try socket.setMTU(1400, of: .name("usnv0"))
      try socket.setLink(.name("usnv0"), up: true)
      try socket.setLink(.index(peer.index), up: true)
      let changed = try socket.link(.index(link.index))
      #expect(changed.mtu == 1400 && changed.isUp)
      #expect(try socket.link(.name("usnv1")).isUp)

      try socket.addIPv4Address(benchmarkAddress(5, 1), prefixLength: 24, to: .name("usnv0"))
      try socket.addIPv4Address(benchmarkAddress(6, 1), prefixLength: 24, to: .index(peer.index))
      #expect {
        try socket.addIPv4Address(benchmarkAddress(5, 1), prefixLength: 24, to: .name("usnv0"))
      } throws: { error in (error as? DeviceError)?.errno == 17 }
      let addresses = try socket.ipv4Addresses(of: .name("usnv0"))
      #expect(addresses.map(\.address) == [benchmarkAddress(5, 1)])
      #expect(addresses.first?.prefixLength == 24 && addresses.first?.linkIndex == link.index)
      #expect(try socket.ipv4Addresses().count == 2)

      let onLink = try socket.route(to: benchmarkAddress(6, 9))
      #expect(onLink.outputLinkIndex == peer.index)
      #expect(onLink.gateway == nil)
      #expect(onLink.preferredSource == benchmarkAddress(6, 1))
      let restricted = try socket.route(to: benchmarkAddress(5, 9), outputLink: .name("usnv0"))
      #expect(restricted.outputLinkIndex == link.index)
      #expect(try socket.defaultRoute() == nil)

      try socket.setLink(.name("usnv0"), up: false)
      #expect(try !socket.link(.name("usnv0")).isUp)
      try socket.deleteLink(.name("usnv0"))
      #expect(throws: DeviceError.self) { try socket.link(.index(peer.index)) }
      #expect(try socket.links().map(\.name) == ["lo"])
    }
  }

  @Test(arguments: MacvtapMode.allCases)
  func macvtapOnAVethEnd(mode: MacvtapMode) throws {
    try inPrivateNetworkNamespace { socket in
      let (_, parent) = try socket.createVethPair(named: "usnm0", peerNamed: "usnm1")
      // Passthru mode takes the parent's MAC; the other modes take the one given.
      let mac: [UInt8]? = mode == .passthru ? nil : [0x02, 0x00, 0xC6, 0x12, 0x00, 0x0B]
      let macvtap = try socket.createMacvtap(
        named: "usnmv0", on: .name("usnm1"), mode: mode, hardwareAddress: mac)
      #expect(macvtap.kind == "macvtap")
      #expect(macvtap.macvtapMode == mode)
      #expect(macvtap.parentIndex == parent.index)
      #expect(macvtap.hardwareAddress == (mac ?? parent.hardwareAddress))
      #expect(try socket.links().contains { $0.index == macvtap.index && $0.name == "usnmv0" })
      try socket.setLink(.index(macvtap.index), up: true)
      try socket.deleteLink(.index(macvtap.index))
      #expect(try !socket.links().contains { $0.name == "usnmv0" })
      #expect(try socket.link(.index(parent.index)).name == "usnm1")
    }
  }

  @Test func aPassthruMacvtapWantsItsParentAlone() throws {
    try inPrivateNetworkNamespace { socket in
      _ = try socket.createVethPair(named: "usnp0", peerNamed: "usnp1")
      let bridged = try socket.createMacvtap(named: "usnpb0", on: .name("usnp1"), mode: .bridge)
      #expect(bridged.hardwareAddress?.count == 6)
      #expect {
        try socket.createMacvtap(named: "usnpp0", on: .name("usnp1"), mode: .passthru)
      } throws: { error in
        (error as? DeviceError).map { $0.call == "netlink(RTM_NEWLINK)" && $0.errno != 0 }
          ?? false
      }
      try socket.deleteLink(.name("usnpb0"))
      let passthru = try socket.createMacvtap(named: "usnpp0", on: .name("usnp1"), mode: .passthru)
      #expect(passthru.macvtapMode == .passthru)
    }
  }

  @Test func deleteLinkRemovesATAP() throws {
    try inPrivateNetworkNamespace { socket in
      let device = try TAPDevice.open(name: "usnt0")
      defer { try? device.close() }
      let tap = try socket.link(.name("usnt0"))
      #expect(tap.kind == "tun")
      try socket.deleteLink(.name("usnt0"))
      #expect(throws: DeviceError.self) { try socket.link(.index(tap.index)) }
      var frame: [UInt8] = []
      #expect(throws: DeviceError.self) { try device.readFrame(into: &frame) }
    }
  }

  @Test func linkCleanupDeletesWhatItTrackedWhenReleased() throws {
    try inPrivateNetworkNamespace { socket in
      do {
        let cleanup = LinkCleanup(socket: socket)
        let pair = try socket.createVethPair(named: "usnc0", peerNamed: "usnc1")
        cleanup.track(pair.link)
        cleanup.track(pair.peer)
        cleanup.track(try socket.createMacvtap(named: "usncm0", on: .name("usnc1"), mode: .vepa))
        #expect(cleanup.trackedLinks.map(\.name) == ["usnc0", "usnc1", "usncm0"])
        #expect(try socket.links().count == 4)
      }
      #expect(try socket.links().map(\.name) == ["lo"])

      let cleanup = LinkCleanup(socket: socket)
      let gone = try socket.createVethPair(named: "usnc2", peerNamed: "usnc3")
      cleanup.track(gone.link)
      try socket.deleteLink(.index(gone.link.index))
      // An index that now carries another name stands for a link someone else created after
      // the tracked one went away: the cleanup must leave it alone.
      let kept = try socket.createVethPair(named: "usnc4", peerNamed: "usnc5")
      var renamed = kept.link
      renamed.name = "usnc9"
      cleanup.track(renamed)
      try cleanup.deleteAll()
      #expect(cleanup.trackedLinks.isEmpty)
      #expect(try socket.links().map(\.name).sorted() == ["lo", "usnc4", "usnc5"])
    }
  }
}
