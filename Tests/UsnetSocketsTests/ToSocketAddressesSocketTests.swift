import Testing
import UsnetSockets
import UsnetWire

@Suite("Socket calls that take ToSocketAddresses")
struct ToSocketAddressesSocketTests {
  @Test("connect, bind and send(to:) accept \"host:port\" strings and lists")
  func stringsAndLists() throws {
    let listener = try HostTCPListener.bind(to: "127.0.0.1:0")
    let port = try listener.localAddress.port
    let stream = try HostTCPStream.connect(to: "127.0.0.1:\(port)", timeout: .seconds(5))
    let (accepted, _) = try listener.accept()
    try stream.writeAll([1, 2, 3])
    var buffer = [UInt8](repeating: 0, count: 3)
    try accepted.readExact(into: &buffer)
    #expect(buffer == [1, 2, 3])

    // A list: the first address refuses, the second accepts (std's each_addr).
    let closed = try HostTCPListener.bind(to: "127.0.0.1:0")
    let closedAddress = try closed.localAddress
    closed.close()
    let second = try HostTCPStream.connect(
      to: [closedAddress, SocketAddress.v4(IPv4Address(127, 0, 0, 1), port: port)],
      timeout: .seconds(5))
    _ = try listener.accept()
    #expect(try second.peerAddress.port == port)

    let receiver = try HostUDPSocket.bind(to: "127.0.0.1:0")
    let sender = try HostUDPSocket.bind(to: "127.0.0.1:0")
    let target = "127.0.0.1:\(try receiver.localAddress.port)"
    #expect(try sender.send([7], to: target) == 1)
    let (count, _) = try receiver.receiveFrom(into: &buffer)
    #expect(count == 1 && buffer[0] == 7)
  }

  @Test("a malformed target is invalidInput; an empty list names no address")
  func errors() throws {
    #expect { _ = try HostTCPStream.connect(to: "127.0.0.1", timeout: .seconds(1)) } throws: {
      ($0 as? NetError)?.kind == .invalidInput
    }
    let empty: [SocketAddress] = []
    #expect { _ = try HostTCPStream.connect(to: empty, timeout: .seconds(1)) } throws: {
      ($0 as? NetError)?.message == "could not resolve to any addresses"
    }
    let socket = try HostUDPSocket.bind(to: "127.0.0.1:0")
    #expect { _ = try socket.send([1], to: empty) } throws: {
      ($0 as? NetError)?.message == "no addresses to send data to"
    }
  }
}
