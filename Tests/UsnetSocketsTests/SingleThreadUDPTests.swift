import Testing
import UsnetSockets

@Suite("Single-thread userspace UDP (no engine thread)", .serialized)
struct SingleThreadUDPTests {
  @Test("a datagram crosses with both peers in one thread, using short-timeout receives")
  func datagramOneThread() throws {
    let pair = try SingleThreadPair()
    let sender = try SingleThreadUDPSocket.bind(
      to: UserspacePair.address(UserspacePair.ipA, 0), on: pair.a)
    let receiver = try SingleThreadUDPSocket.bind(
      to: UserspacePair.address(UserspacePair.ipB, 5353), on: pair.b)
    try receiver.setReadTimeout(.milliseconds(20))
    #expect(try sender.send([1, 2, 3], to: receiver.localAddress) == 3)
    var buffer = [UInt8](repeating: 0, count: 16)
    var received: (count: Int, peer: SocketAddress)?
    for _ in 0..<100 where received == nil {
      // The sender's stack must take in the ARP reply before the datagram leaves.
      try pair.a.poll()
      do throws(NetError) {
        received = try receiver.receiveFrom(into: &buffer)
      } catch {
        guard error.kind == .wouldBlock else { throw error }
      }
    }
    #expect(received?.count == 3)
    #expect(Array(buffer[0..<3]) == [1, 2, 3])
    #expect(try received?.peer == sender.localAddress)
  }

  @Test("a receive timeout throws wouldBlock after about the timeout")
  func receiveTimeout() throws {
    let pair = try SingleThreadPair()
    let socket = try SingleThreadUDPSocket.bind(
      to: UserspacePair.address(UserspacePair.ipA, 0), on: pair.a)
    try socket.setReadTimeout(.milliseconds(100))
    let start = ContinuousClock.now
    var buffer = [UInt8](repeating: 0, count: 16)
    #expect {
      _ = try socket.receiveFrom(into: &buffer)
    } throws: { ($0 as? NetError)?.kind == .wouldBlock }
    #expect(ContinuousClock.now - start >= .milliseconds(90))
    #expect(socket.description.hasPrefix("SingleThreadUDPSocket { addr: 198.18.0.1:"))
  }

  @Test("several threads blocked on one runtime are each woken by their own datagram")
  func severalBlockedThreads() throws {
    let pair = try SingleThreadPair()
    let sender = try SingleThreadUDPSocket.bind(
      to: UserspacePair.address(UserspacePair.ipA, 0), on: pair.a)
    let receivers = try (0..<4).map { index in
      let socket = try SingleThreadUDPSocket.bind(
        to: UserspacePair.address(UserspacePair.ipB, UInt16(6000 + index)), on: pair.b)
      try socket.setReadTimeout(.seconds(5))
      return socket
    }
    let received = receivers.map { _ in TestBox<[UInt8]>() }
    let threads = (0..<4).map { index in
      TestThread {
        var buffer = [UInt8](repeating: 0, count: 16)
        let (count, _) = try receivers[index].receiveFrom(into: &buffer)
        received[index].set(Array(buffer[0..<count]))
      }
    }
    // Let the four calls block (one waits in the device, three on their sockets).
    sleepMilliseconds(50)
    for (index, receiver) in receivers.enumerated() {
      _ = try sender.send([UInt8(index)], to: receiver.localAddress)
    }
    // The sender's stack needs the ARP reply before the datagrams leave.
    let start = monotonicSeconds()
    while received.contains(where: { $0.value == nil }), monotonicSeconds() - start < 4 {
      try pair.a.poll(waitingUpTo: .milliseconds(5))
    }
    for thread in threads { try thread.join() }
    #expect(received.map(\.value) == (0..<4).map { [UInt8($0)] })
  }
}
