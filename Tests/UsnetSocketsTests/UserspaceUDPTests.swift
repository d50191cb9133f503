import Foundation
import Testing
import UsnetSockets
import UsnetStack
import UsnetWire

#if canImport(Glibc)
  import Glibc
#endif

@Suite("Userspace UDP over two runtimes", .serialized)
struct UserspaceUDPTests {
  @Test("send_to and receive_from carry a datagram and its source")
  func sendReceive() throws {
    let pair = try UserspacePair()
    let server = try UserspaceUDPSocket.bind(
      to: UserspacePair.address(UserspacePair.ipB, 5353), on: pair.b)
    let client = try UserspaceUDPSocket.bind(to: UserspacePair.address(.any, 0), on: pair.a)
    let clientPort = try client.localAddress.port
    #expect(clientPort != 0)
    #expect(try client.send([99, 100], to: server.localAddress) == 2)
    var buffer = [UInt8](repeating: 0, count: 16)
    let (count, peer) = try server.receiveFrom(into: &buffer)
    #expect(count == 2)
    #expect(Array(buffer[0..<2]) == [99, 100])
    #expect(peer == UserspacePair.address(UserspacePair.ipA, clientPort))
    // And back, to the address the datagram came from.
    _ = try server.send([1, 2, 3], to: peer)
    let reply = try client.receiveFrom(into: &buffer)
    #expect(reply.count == 3)
    #expect(reply.peer == UserspacePair.address(UserspacePair.ipB, 5353))
  }

  @Test("connected sockets: send, peek twice, receive; unconnected calls are notConnected")
  func connected() throws {
    let pair = try UserspacePair()
    let a = try UserspaceUDPSocket.bind(
      to: UserspacePair.address(UserspacePair.ipA, 6000), on: pair.a)
    let b = try UserspaceUDPSocket.bind(
      to: UserspacePair.address(UserspacePair.ipB, 6000), on: pair.b)
    #expect { _ = try a.peerAddress } throws: { ($0 as? NetError)?.kind == .notConnected }
    #expect { _ = try a.send([1]) } throws: { ($0 as? NetError)?.errno == ENOTCONN }
    try a.connect(to: b.localAddress)
    try b.connect(to: a.localAddress)
    #expect(try a.peerAddress == b.localAddress)
    _ = try a.send(Array("hello world".utf8))
    var buffer = [UInt8](repeating: 0, count: 32)
    #expect(try b.peek(into: &buffer) == 11)
    #expect(try b.peek(into: &buffer) == 11)
    #expect(try b.receive(into: &buffer) == 11)
    #expect(String(decoding: buffer[0..<11], as: UTF8.self) == "hello world")
  }

  @Test("a receive timeout throws wouldBlock; nonblocking throws it at once")
  func timeouts() throws {
    let pair = try UserspacePair()
    let socket = try UserspaceUDPSocket.bind(to: UserspacePair.address(.any, 0), on: pair.a)
    #expect(try socket.readTimeout == nil)
    try socket.setReadTimeout(.milliseconds(200))
    var buffer = [UInt8](repeating: 0, count: 8)
    let start = ContinuousClock.now
    #expect { _ = try socket.receiveFrom(into: &buffer) } throws: {
      ($0 as? NetError)?.kind == .wouldBlock
    }
    #expect(ContinuousClock.now - start >= .milliseconds(190))
    #expect { try socket.setReadTimeout(.zero) } throws: {
      ($0 as? NetError)?.kind == .invalidInput
    }
    try socket.setReadTimeout(nil)
    try socket.setNonblocking(true)
    #expect { _ = try socket.receiveFrom(into: &buffer) } throws: {
      ($0 as? NetError)?.kind == .wouldBlock
    }
  }

  @Test("a receiver blocked in another thread wakes when the datagram arrives; clones share")
  func blockedReceiverAndClone() throws {
    let pair = try UserspacePair()
    let server = try UserspaceUDPSocket.bind(to: UserspacePair.address(.any, 7000), on: pair.b)
    let clone = try server.tryClone()
    let receiver = JoinableThread { () -> Int? in
      var buffer = [UInt8](repeating: 0, count: 8)
      return try? clone.receiveFrom(into: &buffer).count
    }
    Thread.sleep(forTimeInterval: 0.05)
    let client = try UserspaceUDPSocket.bind(to: UserspacePair.address(.any, 0), on: pair.a)
    _ = try client.send([1, 2, 3, 4], to: UserspacePair.address(UserspacePair.ipB, 7000))
    #expect(receiver.join(timeout: .seconds(5)) == .some(4))
    server.close()
    server.close()
    #expect(throws: NetError.self) { _ = try server.localAddress }
    #expect(try clone.localAddress.port == 7000)
  }

  @Test("broadcast needs setBroadcast; multicast is unsupported; the TTL is per socket")
  func options() throws {
    let pair = try UserspacePair()
    let socket = try UserspaceUDPSocket.bind(to: UserspacePair.address(.any, 0), on: pair.a)
    let broadcast = UserspacePair.address(IPv4Address(198, 18, 0, 255), 9)
    #expect { _ = try socket.send([1], to: broadcast) } throws: {
      ($0 as? NetError)?.kind == .permissionDenied
    }
    try socket.setBroadcast(true)
    #expect(try socket.isBroadcastEnabled)
    #expect(try socket.send([1], to: broadcast) == 1)
    #expect {
      try socket.joinMulticast(v4: IPv4Address(224, 0, 0, 251), interface: .any)
    } throws: { ($0 as? NetError)?.kind == .unsupported }
    #expect { _ = try socket.multicastTTLV4 } throws: { ($0 as? NetError)?.kind == .unsupported }
    #expect(try socket.ttl == 64)
    try socket.setTTL(100)
    #expect(try socket.ttl == 100)
    #expect { _ = try socket.send([1], to: .v6(.loopback, port: 9)) } throws: {
      ($0 as? NetError)?.kind == .invalidInput
    }
    #expect {
      _ = try UserspaceUDPSocket.bind(
        to: UserspacePair.address(IPv4Address(1, 1, 1, 1), 9999), on: pair.a)
    } throws: { ($0 as? NetError)?.kind == .addrNotAvailable }
  }
}
