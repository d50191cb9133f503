import Foundation
import Synchronization
import Testing
import UsnetSim
import UsnetSockets
import UsnetStack
import UsnetWire

/// Two single-thread runtimes (no engine thread) joined by an in-memory device pair:
/// 198.18.0.1 (a) and 198.18.0.2 (b). Nothing advances a runtime but calls on it.
final class SingleThreadPair: Sendable {
  let devices: MemoryDevicePair
  let a: SingleThreadRuntime
  let b: SingleThreadRuntime

  /// Both runtimes, with the kernel loopback twin off unless `kernelTwin`.
  init(kernelTwin: Bool = false) throws {
    devices = MemoryDevicePair()
    let options = RuntimeOptions(usesKernelTwin: kernelTwin)
    a = try SingleThreadRuntime(
      configuration: UserspacePair.configuration(mac: 1, ip: UserspacePair.ipA),
      device: devices.a, options: options)
    b = try SingleThreadRuntime(
      configuration: UserspacePair.configuration(mac: 2, ip: UserspacePair.ipB),
      device: devices.b, options: options)
  }

  deinit {
    a.shutdown()
    b.shutdown()
    devices.disconnect()
  }

  /// A connected pair (client on a, accepted stream on b). The handshake needs both stacks
  /// advancing at once, so b accepts on a second thread while this one connects; afterwards
  /// each stream is used from the calling thread only.
  func connectedStreams(
    port: UInt16
  ) throws -> (SingleThreadTCPStream, SingleThreadTCPStream) {
    let listener = try SingleThreadTCPListener.bind(
      to: UserspacePair.address(.any, port), on: b)
    let accepted = JoinableThread { () -> SingleThreadTCPStream? in
      try? listener.accept().stream
    }
    let client = try SingleThreadTCPStream.connect(
      to: UserspacePair.address(UserspacePair.ipB, port), timeout: .seconds(5), on: a)
    guard let server = accepted.join(timeout: .seconds(5)) ?? nil else {
      throw NetError(.timedOut, message: "accept did not return")
    }
    return (client, server)
  }
}

@Suite("Single-thread userspace TCP (no engine thread)", .serialized)
struct SingleThreadTCPTests {
  @Test("echo round trip: each side blocks on its own thread and drives its own stack")
  func echo() throws {
    let pair = try SingleThreadPair()
    let (client, server) = try pair.connectedStreams(port: 7)
    let echo = JoinableThread { () -> Int in
      var buffer = [UInt8](repeating: 0, count: 64)
      guard let count = try? server.read(into: &buffer), count > 0 else { return -1 }
      return (try? server.write(buffer, range: 0..<count)) ?? -1
    }
    try client.writeAll(Array("hello, usnet".utf8))
    var reply = [UInt8](repeating: 0, count: 12)
    try client.readExact(into: &reply)
    #expect(String(decoding: reply, as: UTF8.self) == "hello, usnet")
    #expect(echo.join() == 12)
    #expect(try client.peerAddress == UserspacePair.address(UserspacePair.ipB, 7))
    #expect(try server.peerAddress == client.localAddress)
    #expect(client.description.hasPrefix("SingleThreadTCPStream { addr: 198.18.0.1:"))
  }

  @Test("echo with both peers in one thread: blocking calls advance the stacks in turn")
  func echoOneThread() throws {
    let pair = try SingleThreadPair()
    let (client, server) = try pair.connectedStreams(port: 8)
    let message = Array("ping from one thread".utf8)
    try client.writeAll(message)
    var buffer = [UInt8](repeating: 0, count: message.count)
    try server.readExact(into: &buffer)
    try server.writeAll(buffer)
    var reply = [UInt8](repeating: 0, count: message.count)
    try client.readExact(into: &reply)
    #expect(reply == message)
  }

  @Test("1 MB each way from one thread with nonblocking calls arrives intact (SHA-256)")
  func megabyteEachWayOneThread() throws {
    let pair = try SingleThreadPair()
    let (client, server) = try pair.connectedStreams(port: 9000)
    try client.setNonblocking(true)
    try server.setNonblocking(true)
    let up = userspacePattern(count: 1_000_000, seed: 1)
    let down = userspacePattern(count: 1_000_000, seed: 2)
    let start = ContinuousClock.now
    var ends = [
      PumpEnd(stream: client, send: up), PumpEnd(stream: server, send: down),
    ]
    while !ends.allSatisfy(\.done) {
      #expect(ContinuousClock.now - start < .seconds(60))
      if ContinuousClock.now - start >= .seconds(60) { break }
      for index in ends.indices { try ends[index].step() }
    }
    var expectedUp = SHA256()
    expectedUp.update(up)
    var expectedDown = SHA256()
    expectedDown.update(down)
    #expect(ends[1].hash.hexDigest() == expectedUp.hexDigest())
    #expect(ends[0].hash.hexDigest() == expectedDown.hexDigest())
    print("single-thread: 1 MB each way from one thread took \(ContinuousClock.now - start)")
  }

  @Test("a connect to a port nobody listens on is refused (the peer polled by its thread)")
  func connectRefused() throws {
    let pair = try SingleThreadPair()
    let stop = Mutex(false)
    let peer = JoinableThread { () -> Bool in
      while !stop.withLock({ $0 }) {
        guard (try? pair.b.poll(waitingUpTo: .milliseconds(20))) != nil else { return false }
      }
      return true
    }
    defer {
      stop.withLock { $0 = true }
      _ = peer.join(timeout: .seconds(5))
    }
    #expect {
      _ = try SingleThreadTCPStream.connect(
        to: UserspacePair.address(UserspacePair.ipB, 4444), timeout: .seconds(5), on: pair.a)
    } throws: { ($0 as? NetError)?.kind == .connectionRefused }
  }

  @Test("a read timeout throws wouldBlock after about the timeout")
  func readTimeout() throws {
    let pair = try SingleThreadPair()
    let (client, _server) = try pair.connectedStreams(port: 80)
    try client.setReadTimeout(.milliseconds(200))
    let start = ContinuousClock.now
    var buffer = [UInt8](repeating: 0, count: 16)
    #expect {
      _ = try client.read(into: &buffer)
    } throws: { ($0 as? NetError)?.kind == .wouldBlock }
    let elapsed = ContinuousClock.now - start
    #expect(elapsed >= .milliseconds(180))
    #expect(elapsed < .seconds(2))
    _ = _server
  }

  @Test("nonblocking reads and accepts throw wouldBlock at once")
  func nonblocking() throws {
    let pair = try SingleThreadPair()
    let listener = try SingleThreadTCPListener.bind(
      to: UserspacePair.address(.any, 81), on: pair.b)
    try listener.setNonblocking(true)
    #expect { _ = try listener.accept() } throws: { ($0 as? NetError)?.kind == .wouldBlock }
    #expect(listener.description.hasPrefix("SingleThreadTCPListener { addr: 0.0.0.0:81"))
  }

  @Test("shutdown stops the runtime: calls fail with networkDown")
  func shutdownRuntime() throws {
    let pair = try SingleThreadPair()
    pair.a.shutdown()
    #expect {
      _ = try SingleThreadTCPStream.connect(
        to: UserspacePair.address(UserspacePair.ipB, 80), timeout: .seconds(1), on: pair.a)
    } throws: { ($0 as? NetError)?.kind == .networkDown }
  }
}

/// One end of the one-thread transfer: writes `send` then shuts down writing, and hashes
/// what it reads until the end of the stream, each step nonblocking.
private struct PumpEnd {
  let stream: SingleThreadTCPStream
  let send: [UInt8]
  var sent = 0
  var finishedWriting = false
  var finishedReading = false
  var hash = SHA256()
  var buffer = [UInt8](repeating: 0, count: 65536)

  init(stream: SingleThreadTCPStream, send: [UInt8]) {
    self.stream = stream
    self.send = send
  }

  var done: Bool { finishedWriting && finishedReading }

  /// Writes and reads as much as the stack takes now; never blocks.
  mutating func step() throws {
    while !finishedWriting {
      if sent == send.count {
        try stream.shutdown(.write)
        finishedWriting = true
        break
      }
      guard
        let count = try nonblocking({ () throws(NetError) in
          try stream.write(send, range: sent..<send.count)
        })
      else { break }
      sent += count
    }
    while !finishedReading {
      guard
        let count = try nonblocking({ () throws(NetError) in
          try stream.read(into: &buffer)
        })
      else { break }
      if count == 0 {
        finishedReading = true
      } else {
        hash.update(buffer, range: 0..<count)
      }
    }
  }
}

/// The result of `body`, or nil when it threw `wouldBlock`.
private func nonblocking(_ body: () throws(NetError) -> Int) throws(NetError) -> Int? {
  do throws(NetError) {
    return try body()
  } catch {
    if error.kind == .wouldBlock { return nil }
    throw error
  }
}
