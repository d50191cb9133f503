import Testing
import UsnetSockets
import UsnetWire

/// The TCP conformance checks on the Host backend, over 127.0.0.1.
@Suite("Host TCP")
struct HostTCPTests {
  typealias Check = TCPConformance<HostTCPListener>
  let loopback = SocketAddress.v4(IPv4Address(127, 0, 0, 1), port: 0)

  @Test("smoke: one byte, peer and local addresses agree")
  func smoke() throws { try Check.checkSmoke(loopback) }

  @Test("read_eof: 0, and 0 again")
  func readEOF() throws { try Check.checkReadEOF(loopback) }

  @Test("write_close: a write after the peer closed fails with brokenPipe or reset")
  func writeAfterPeerClose() throws { try Check.checkWriteAfterPeerClose(loopback) }

  @Test("incoming: ten serial connections")
  func incoming() throws { try Check.checkIncoming(loopback) }

  @Test("partial_read and ranged read/write")
  func partialRead() throws { try Check.checkPartialRead(loopback) }

  @Test("read_vectored and write_vectored")
  func vectored() throws { try Check.checkVectored(loopback) }

  @Test("readExact and writeAll; unexpectedEof at the end")
  func exact() throws { try Check.checkExact(loopback) }

  @Test("peek twice, then read; nonblocking peek is wouldBlock")
  func peek() throws { try Check.checkPeek(loopback) }

  @Test("shutdown(.write): writes fail, the peer reads 0 and can still send")
  func shutdownWrite() throws { try Check.checkShutdownWrite(loopback) }

  @Test("close_readwrite_smoke: clones share the shutdown state")
  func shutdownSharedByClones() throws { try Check.checkShutdownSharedByClones(loopback) }

  @Test("close_read_wakes_up: shutdown(.read) wakes a blocked reader with 0")
  func shutdownReadWakesReader() throws { try Check.checkShutdownReadWakesReader(loopback) }

  @Test("clones read and write concurrently; a clone outlives the original's close")
  func cloneConcurrency() throws { try Check.checkCloneConcurrency(loopback) }

  @Test("clone_accept_concurrent: two listener handles accept at once")
  func cloneAccept() throws { try Check.checkCloneAccept(loopback) }

  @Test("timeouts: defaults, round trip, zero is invalidInput")
  func timeoutSettings() throws { try Check.checkTimeoutSettings(loopback) }

  @Test("an idle read times out with wouldBlock")
  func readTimeout() throws { try Check.checkReadTimeout(loopback) }

  @Test("a blocked write times out with wouldBlock; nonblocking write is wouldBlock")
  func writeTimeout() throws { try Check.checkWriteTimeout(loopback) }

  @Test("set_nonblocking: idle read and accept are wouldBlock")
  func nonblocking() throws { try Check.checkNonblocking(loopback) }

  @Test("nodelay, ttl, linger, keepalive round trips; takeError is nil")
  func options() throws { try Check.checkOptions(loopback) }

  @Test("double_bind is addrInUse; rebinding after close works")
  func doubleBind() throws { try Check.checkDoubleBind(loopback) }

  @Test("connect to a closed port: connectionRefused, also with a huge timeout")
  func refused() throws { try Check.checkRefused(loopback) }

  @Test("calls on a closed handle fail; close is idempotent")
  func closedHandle() throws { try Check.checkClosedHandle(loopback) }

  @Test("binding an address that is not local is addrNotAvailable (bind_error)")
  func bindError() {
    let foreign = SocketAddress.v4(IPv4Address(1, 1, 1, 1), port: 9999)
    expectNetError(.addrNotAvailable) { () throws(NetError) in
      try HostTCPListener.bind(to: foreign)
    }
  }

  @Test("connect to 0.0.0.0:1 fails with one of std's accepted kinds (connect_error)")
  func connectError() {
    let unspecified = SocketAddress.v4(.any, port: 1)
    expectNetError(
      .connectionRefused, .invalidInput, .addrInUse, .addrNotAvailable, .networkUnreachable
    ) { () throws(NetError) in try HostTCPStream.connect(to: unspecified) }
  }

  @Test("errors carry the errno and the failing call")
  func errorDetails() throws {
    let listener = try HostTCPListener.bind(to: loopback)
    let target = try listener.localAddress
    listener.close()
    let error = expectNetError(.connectionRefused) { () throws(NetError) in
      try HostTCPStream.connect(to: target)
    }
    #expect(error?.errno == 111)
    #expect(error?.message.hasPrefix("connect: ") == true)
  }

  @Test("descriptions follow Rust's Debug form")
  func descriptions() throws {
    let listener = try HostTCPListener.bind(to: loopback)
    let target = try listener.localAddress
    #expect(listener.description.hasPrefix("HostTCPListener { addr: \(target), fd: "))
    let stream = try HostTCPStream.connect(to: target)
    let local = try stream.localAddress
    #expect(stream.description.hasPrefix("HostTCPStream { addr: \(local), peer: \(target), fd: "))
    let udp = try HostUDPSocket.bind(to: loopback)
    #expect(udp.description.hasPrefix("HostUDPSocket { addr: \(try udp.localAddress), fd: "))
    stream.close()
    #expect(stream.description == "HostTCPStream { closed }")
  }
}
