import Testing
import UsnetWire

@Suite struct MACAddressTests {
  @Test func octetInitializerPlacesFirstOctetHighest() {
    let mac = MACAddress(0x02, 0x11, 0x22, 0x33, 0x44, 0x55)
    #expect(mac.rawValue == 0x0211_2233_4455)
    #expect(MACAddress(rawValue: 0xFFFF_0211_2233_4455) == mac)
  }

  @Test func parsesBothCases() {
    #expect(MACAddress("02:00:00:00:00:0a") == MACAddress(2, 0, 0, 0, 0, 10))
    #expect(MACAddress("AA:bb:Cc:dD:EE:ff")?.rawValue == 0xAABB_CCDD_EEFF)
    #expect(MACAddress("ff:ff:ff:ff:ff:ff") == .broadcast)
    #expect(MACAddress("00:00:00:00:00:00") == .zero)
  }

  @Test(arguments: [
    "", "aa:bb:cc:dd:ee", "aa:bb:cc:dd:ee:ff:00", "a:bb:cc:dd:ee:ff", "aaa:bb:cc:dd:ee:ff",
    "aa-bb-cc-dd-ee-ff", "aa:bb:cc:dd:ee:fg", "aa:bb:cc:dd:ee:ff:", ":aa:bb:cc:dd:ee:ff",
    "aa::cc:dd:ee:ff", " aa:bb:cc:dd:ee:ff", "aabbccddeeff",
  ])
  func rejectsMalformedStrings(_ string: String) {
    #expect(MACAddress(string) == nil)
  }

  @Test func descriptionIsLowerCaseColonSeparated() {
    #expect(MACAddress(0x02, 0, 0xAB, 0, 0, 0x0A).description == "02:00:ab:00:00:0a")
    #expect(MACAddress.broadcast.description == "ff:ff:ff:ff:ff:ff")
    let round = MACAddress(rawValue: 0x1234_5678_9ABC)
    #expect(MACAddress(round.description) == round)
  }

  @Test func classification() {
    #expect(MACAddress.broadcast.isBroadcast)
    #expect(MACAddress.broadcast.isMulticast)
    #expect(!MACAddress.broadcast.isUnicast)
    let multicast = MACAddress(0x01, 0x00, 0x5E, 0x00, 0x00, 0x01)
    #expect(multicast.isMulticast && !multicast.isBroadcast && !multicast.isUnicast)
    let unicast = MACAddress(0x02, 0, 0, 0, 0, 0x0A)
    #expect(unicast.isUnicast && !unicast.isMulticast && !unicast.isBroadcast)
    #expect(MACAddress.zero.isUnicast)
  }

  @Test func readsAndWritesAtOffset() {
    var buffer = [UInt8](repeating: 0xEE, count: 10)
    let mac = MACAddress(1, 2, 3, 4, 5, 6)
    mac.write(to: &buffer, at: 3)
    #expect(buffer == [0xEE, 0xEE, 0xEE, 1, 2, 3, 4, 5, 6, 0xEE])
    #expect(MACAddress(reading: buffer, at: 3) == mac)
  }
}

@Suite struct IPv4AddressTests {
  @Test func rawValueLayout() {
    #expect(IPv4Address(198, 18, 0, 1).rawValue == 0xC612_0001)
    #expect(IPv4Address(rawValue: 0x7F00_0001) == IPv4Address(127, 0, 0, 1))
  }

  @Test func parsesDottedQuads() {
    #expect(IPv4Address("198.18.0.1") == IPv4Address(198, 18, 0, 1))
    #expect(IPv4Address("0.0.0.0") == .any)
    #expect(IPv4Address("255.255.255.255") == .broadcast)
    #expect(IPv4Address("10.200.0.99") == IPv4Address(10, 200, 0, 99))
  }

  @Test(arguments: [
    "", "1.2.3", "1.2.3.4.5", "256.0.0.1", "1.2.3.256", "+1.2.3.4", "1.+2.3.4", "-1.2.3.4",
    "1..3.4", ".1.2.3", "1.2.3.", "01.2.3.4", "1.2.3.00", " 1.2.3.4", "1.2.3.4 ", "1.2.3.0x1",
    "1234.1.1.1", "1.2.3.4/24", "a.b.c.d", "1,2,3,4", "١.2.3.4",
  ])
  func rejectsMalformedStrings(_ string: String) {
    #expect(IPv4Address(string) == nil)
  }

  @Test func descriptionRoundTrips() {
    #expect(IPv4Address(198, 18, 0, 1).description == "198.18.0.1")
    #expect(IPv4Address.broadcast.description == "255.255.255.255")
    var generator = SeededGenerator(seed: 4)
    for _ in 0..<200 {
      let address = IPv4Address(rawValue: UInt32.random(in: .min ... .max, using: &generator))
      #expect(IPv4Address(address.description) == address)
    }
  }

  @Test func classification() {
    #expect(IPv4Address.any.isUnspecified)
    #expect(!IPv4Address(0, 0, 0, 1).isUnspecified)
    #expect(IPv4Address(127, 0, 0, 1).isLoopback && IPv4Address(127, 255, 1, 2).isLoopback)
    #expect(!IPv4Address(128, 0, 0, 1).isLoopback)
    #expect(IPv4Address(224, 0, 0, 1).isMulticast && IPv4Address(239, 255, 255, 255).isMulticast)
    #expect(!IPv4Address(223, 255, 255, 255).isMulticast && !IPv4Address(240, 0, 0, 0).isMulticast)
    #expect(IPv4Address.broadcast.isLimitedBroadcast)
    #expect(!IPv4Address(198, 18, 0, 255).isLimitedBroadcast)
  }

  @Test func ordering() {
    #expect(IPv4Address(9, 255, 255, 255) < IPv4Address(10, 0, 0, 0))
    #expect(IPv4Address(198, 18, 0, 1) < IPv4Address(198, 18, 0, 2))
    #expect(!(IPv4Address.broadcast < IPv4Address.broadcast))
  }

  @Test func readsAndWritesAtOffset() {
    var buffer = [UInt8](repeating: 0, count: 7)
    IPv4Address(198, 18, 0, 1).write(to: &buffer, at: 2)
    #expect(buffer == [0, 0, 198, 18, 0, 1, 0])
    #expect(IPv4Address(reading: buffer, at: 2) == IPv4Address(198, 18, 0, 1))
  }
}

@Suite struct IPv4NetworkTests {
  @Test func slash24() throws {
    let network = try #require(IPv4Network("198.18.0.1/24"))
    #expect(network.address == IPv4Address(198, 18, 0, 1))
    #expect(network.prefixLength == 24)
    #expect(network.netmask == IPv4Address(255, 255, 255, 0))
    #expect(network.networkAddress == IPv4Address(198, 18, 0, 0))
    #expect(network.broadcastAddress == IPv4Address(198, 18, 0, 255))
    #expect(network.contains(IPv4Address(198, 18, 0, 200)))
    #expect(network.contains(IPv4Address(198, 18, 0, 0)))
    #expect(!network.contains(IPv4Address(198, 18, 1, 1)))
    #expect(network.description == "198.18.0.1/24")
  }

  @Test func extremePrefixes() throws {
    let all = try #require(IPv4Network(address: IPv4Address(10, 1, 2, 3), prefixLength: 0))
    #expect(all.netmask == .any)
    #expect(all.networkAddress == .any)
    #expect(all.broadcastAddress == .broadcast)
    #expect(all.contains(IPv4Address(1, 2, 3, 4)) && all.contains(.broadcast))
    let host = try #require(IPv4Network("198.18.0.7/32"))
    #expect(host.netmask == .broadcast)
    #expect(host.networkAddress == IPv4Address(198, 18, 0, 7))
    #expect(host.broadcastAddress == IPv4Address(198, 18, 0, 7))
    #expect(host.contains(IPv4Address(198, 18, 0, 7)))
    #expect(!host.contains(IPv4Address(198, 18, 0, 6)))
    let odd = try #require(IPv4Network("198.18.0.1/15"))
    #expect(odd.netmask == IPv4Address(255, 254, 0, 0))
    #expect(odd.contains(IPv4Address(198, 19, 255, 255)))
    #expect(!odd.contains(IPv4Address(198, 20, 0, 0)))
  }

  @Test func rejectsBadPrefixLengths() {
    #expect(IPv4Network(address: .any, prefixLength: 33) == nil)
    #expect(IPv4Network(address: .any, prefixLength: -1) == nil)
  }

  @Test(arguments: [
    "", "198.18.0.1", "198.18.0.1/", "198.18.0.1/33", "198.18.0.1/024", "198.18.0.1/2a",
    "198.18.0.1/-1", "198.18.0.1/+8", "198.18.0/24", "/24", "198.18.0.1/24/1", "198.18.0.1 /24",
  ])
  func rejectsMalformedStrings(_ string: String) {
    #expect(IPv4Network(string) == nil)
  }
}

@Suite struct ByteAccessTests {
  @Test func bigEndianReads() {
    let buffer: [UInt8] = [0x00, 0x12, 0x34, 0x56, 0x78, 0x9A]
    #expect(buffer.readUInt16(at: 1) == 0x1234)
    #expect(buffer.readUInt16(at: 4) == 0x789A)
    #expect(buffer.readUInt32(at: 1) == 0x1234_5678)
    #expect(buffer.readUInt32(at: 2) == 0x3456_789A)
  }

  @Test func bigEndianWrites() {
    var buffer = [UInt8](repeating: 0, count: 7)
    buffer.writeUInt16(0xBEEF, at: 0)
    buffer.writeUInt32(0xDEAD_C0DE, at: 3)
    #expect(buffer == [0xBE, 0xEF, 0x00, 0xDE, 0xAD, 0xC0, 0xDE])
    #expect(buffer.readUInt32(at: 3) == 0xDEAD_C0DE)
  }
}
