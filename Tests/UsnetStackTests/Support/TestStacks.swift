import UsnetSim
import UsnetStack
import UsnetWire

/// Addresses of the two test hosts (198.18.0.0/15, the benchmarking range).
enum TestHosts {
  static let macA = MACAddress(0x02, 0, 0, 0, 0, 0x0a)
  static let macB = MACAddress(0x02, 0, 0, 0, 0, 0x0b)
  static let ipA = IPv4Address(198, 18, 0, 1)
  static let ipB = IPv4Address(198, 18, 0, 2)

  static func configuration(
    mac: MACAddress, ip: IPv4Address, _ adjust: (inout StackConfiguration) -> Void = { _ in }
  ) -> StackConfiguration {
    var configuration = StackConfiguration(
      interface: InterfaceConfiguration(
        macAddress: mac,
        addresses: [IPv4Network(address: ip, prefixLength: 24).orCrash()]))
    adjust(&configuration)
    return configuration
  }

  /// Two stacks on one link, secrets from a seeded generator.
  static func pair(
    seed: UInt64 = 1, latency: Duration = .zero,
    _ adjust: (inout StackConfiguration) -> Void = { _ in }
  ) throws -> StackPairLink {
    var random = SeededRandom(seed: seed)
    let a = try NetworkStack(
      configuration: configuration(mac: macA, ip: ipA, adjust), random: &random)
    let b = try NetworkStack(
      configuration: configuration(mac: macB, ip: ipB, adjust), random: &random)
    return StackPairLink(a, b, latency: latency)
  }
}

extension Optional {
  /// The value; a test setup error (not wire data) if absent.
  func orCrash(_ file: StaticString = #file, _ line: UInt = #line) -> Wrapped {
    guard let value = self else {
      fatalError("unexpected nil in test setup", file: file, line: line)
    }
    return value
  }
}

/// Deterministic payload bytes for transfers.
func patternBytes(count: Int, seed: UInt64) -> [UInt8] {
  var random = SeededRandom(seed: seed)
  var bytes = [UInt8](repeating: 0, count: count)
  var index = 0
  while index < count {
    var word = random.next()
    for _ in 0..<8 where index < count {
      bytes[index] = UInt8(truncatingIfNeeded: word)
      word >>= 8
      index += 1
    }
  }
  return bytes
}

/// One direction of a bulk transfer: writes `payload` into a connection, reads on the other
/// end and hashes what arrives.
struct BulkTransfer {
  let payload: [UInt8]
  var sent = 0
  var received = 0
  var receivedHash = SHA256()
  var readBuffer = [UInt8](repeating: 0, count: 65536)
  var finished: Bool { received == payload.count }

  init(payload: [UInt8]) { self.payload = payload }

  mutating func pump(
    from sender: NetworkStack, _ sendID: TCPSocketID,
    to receiver: NetworkStack, _ receiveID: TCPSocketID, at now: Instant
  ) throws {
    if sent < payload.count {
      sent += try sender.send(sendID, payload, range: sent..<payload.count, at: now)
    }
    while let count = try receiver.receive(receiveID, into: &readBuffer, at: now), count > 0 {
      receivedHash.update(readBuffer, range: 0..<count)
      received += count
    }
  }

  var payloadHash: String {
    var hash = SHA256()
    hash.update(payload)
    return hash.hexDigest()
  }
}

/// Connects A to a listener on B and runs until both ends are established.
func establish(
  _ link: StackPairLink, port: UInt16 = 80
) throws -> (client: TCPSocketID, server: TCPSocketID, listener: TCPListenerID) {
  let listener = try link.b.listen(port: port, backlog: 8, at: link.now)
  let client = try link.a.connect(to: TestHosts.ipB, port: port, at: link.now)
  var server: TCPSocketID?
  let done = link.run(for: .seconds(10)) {
    if server == nil { server = try? link.b.accept(listener) }
    return server != nil && link.a.info(client)?.state == .established
  }
  guard done, let server else { throw TestFailure("handshake did not complete") }
  return (client, server, listener)
}

struct TestFailure: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
