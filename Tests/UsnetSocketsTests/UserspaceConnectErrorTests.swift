import Foundation
import Testing
import UsnetSockets
import UsnetStack
import UsnetWire

#if canImport(Glibc)
  import Glibc
#endif

@Suite("Userspace connect errors and blocking writes", .serialized)
struct UserspaceConnectErrorTests {
  @Test("a connect timeout to a silent host throws timedOut after about the timeout")
  func connectTimeout() throws {
    let pair = try UserspacePair()
    let silent = UserspacePair.address(IPv4Address(198, 18, 0, 3), 80)
    let start = ContinuousClock.now
    #expect {
      _ = try UserspaceTCPStream.connect(to: silent, timeout: .milliseconds(300), on: pair.a)
    } throws: {
      ($0 as? NetError)?.kind == .timedOut && ($0 as? NetError)?.errno == ETIMEDOUT
    }
    let elapsed = ContinuousClock.now - start
    #expect(elapsed >= .milliseconds(290))
    #expect(elapsed < .seconds(2))
  }

  @Test("a huge connect timeout neither overflows nor delays a refusal or a success")
  func hugeTimeout() throws {
    let pair = try UserspacePair()
    let target = UserspacePair.address(UserspacePair.ipB, 102)
    let huge = Duration.seconds(Int64.max)
    let start = ContinuousClock.now
    #expect {
      _ = try UserspaceTCPStream.connect(to: target, timeout: huge, on: pair.a)
    } throws: { ($0 as? NetError)?.kind == .connectionRefused }
    #expect(ContinuousClock.now - start < .seconds(1))
    let listener = try UserspaceTCPListener.bind(to: target, backlog: nil, on: pair.b)
    let client = try UserspaceTCPStream.connect(to: target, timeout: huge, on: pair.a)
    try client.setReadTimeout(huge)
    #expect(try client.readTimeout == huge)
    _ = listener
  }

  @Test("a host that never answers ARP makes the connect hostUnreachable (EHOSTUNREACH)")
  func hostUnreachable() throws {
    let pair = try UserspacePair { configuration in
      configuration.neighbors.requestInterval = .milliseconds(50)
    }
    let silent = UserspacePair.address(IPv4Address(198, 18, 0, 3), 80)
    #expect {
      _ = try UserspaceTCPStream.connect(to: silent, timeout: .seconds(10), on: pair.a)
    } throws: {
      ($0 as? NetError)?.kind == .hostUnreachable && ($0 as? NetError)?.errno == EHOSTUNREACH
    }
  }

  @Test("a destination without a route is networkUnreachable (ENETUNREACH) at once")
  func networkUnreachable() throws {
    let pair = try UserspacePair()
    #expect {
      _ = try UserspaceTCPStream.connect(
        to: UserspacePair.address(IPv4Address(10, 1, 2, 3), 80), timeout: nil, on: pair.a)
    } throws: {
      ($0 as? NetError)?.kind == .networkUnreachable && ($0 as? NetError)?.errno == ENETUNREACH
    }
  }

  @Test("binding an address twice is addrInUse; a foreign address is addrNotAvailable")
  func bindErrors() throws {
    let pair = try UserspacePair()
    let listener = try UserspaceTCPListener.bind(
      to: UserspacePair.address(UserspacePair.ipB, 99), backlog: nil, on: pair.b)
    #expect {
      _ = try UserspaceTCPListener.bind(
        to: UserspacePair.address(.any, 99), backlog: nil, on: pair.b)
    } throws: { ($0 as? NetError)?.kind == .addrInUse }
    #expect {
      _ = try UserspaceTCPListener.bind(
        to: UserspacePair.address(IPv4Address(1, 1, 1, 1), 9999), backlog: nil, on: pair.b)
    } throws: { ($0 as? NetError)?.kind == .addrNotAvailable }
    #expect {
      _ = try UserspaceTCPListener.bind(
        to: .v6(IPv6Address("2001:db8::1")!, port: 99), backlog: nil, on: pair.b)
    } throws: { ($0 as? NetError)?.kind == .unsupported }
    listener.close()
    // The port is free again as soon as the last handle is closed.
    _ = try UserspaceTCPListener.bind(
      to: UserspacePair.address(UserspacePair.ipB, 99), backlog: nil, on: pair.b)
  }

  @Test("a write blocked on a full window times out with wouldBlock after taking what fit")
  func writeTimeout() throws {
    let pair = try UserspacePair()
    let (client, _server) = try pair.connectedStreams(port: 100)
    try client.setWriteTimeout(.milliseconds(200))
    let chunk = [UInt8](repeating: 1, count: 65536)
    var written = 0
    let start = ContinuousClock.now
    #expect {
      while true { written += try client.write(chunk) }
    } throws: { ($0 as? NetError)?.kind == .wouldBlock }
    // The peer's receive buffer plus our send buffer (256 KB each by default).
    #expect(written >= 256 * 1024)
    #expect(ContinuousClock.now - start < .seconds(3))
    _ = _server
  }

  @Test("two threads accept on a listener and its clone; each gets one connection")
  func concurrentAccept() throws {
    let pair = try UserspacePair()
    let listener = try UserspaceTCPListener.bind(
      to: UserspacePair.address(.any, 101), backlog: nil, on: pair.b)
    let clone = try listener.tryClone()
    let first = JoinableThread { (try? listener.accept().peer) != nil }
    let second = JoinableThread { (try? clone.accept().peer) != nil }
    Thread.sleep(forTimeInterval: 0.05)
    let target = UserspacePair.address(UserspacePair.ipB, 101)
    let c1 = try UserspaceTCPStream.connect(to: target, timeout: nil, on: pair.a)
    let c2 = try UserspaceTCPStream.connect(to: target, timeout: nil, on: pair.a)
    #expect(first.join(timeout: .seconds(5)) == true)
    #expect(second.join(timeout: .seconds(5)) == true)
    _ = (c1, c2)
  }
}
