import Testing
import UsnetSockets

/// Rust std's TCP tests (and a few of our own) written once over ``TCPListenerProtocol``, so
/// every backend runs the same checks. Each check binds a listener at `address` (port 0:
/// any) and connects to the listener's ``TCPListenerProtocol/localAddress``.
enum TCPConformance<Listener: TCPListenerProtocol> {
  typealias Stream = Listener.Stream

  /// A listener and the address clients connect to.
  static func listen(_ address: SocketAddress) throws -> (Listener, SocketAddress) {
    let listener = try Listener.bind(to: address)
    return (listener, try listener.localAddress)
  }

  /// A connected pair: (client, accepted server side).
  static func pair(_ address: SocketAddress) throws -> (client: Stream, server: Stream) {
    let (listener, target) = try listen(address)
    let client = try Stream.connect(to: target)
    let server = try listener.accept().stream
    return (client, server)
  }

  /// smoke_test, socket_and_peer_name: one byte across; the addresses agree on both sides.
  static func checkSmoke(_ address: SocketAddress) throws {
    let (listener, target) = try listen(address)
    let clientLocal = TestBox<SocketAddress>()
    let client = TestThread {
      let stream = try Stream.connect(to: target)
      clientLocal.set(try stream.localAddress)
      #expect(try stream.peerAddress == target)
      try stream.writeAll([99])
    }
    let (server, peer) = try listener.accept()
    var byte = [UInt8](repeating: 0, count: 1)
    try server.readExact(into: &byte)
    try client.join()
    #expect(byte == [99])
    #expect(peer == clientLocal.value)
    #expect(try server.peerAddress == peer)
    #expect(try server.localAddress == target)
    #expect(try listener.localAddress.port != 0)
  }

  /// read_eof: the peer closes at once; reads return 0, and again 0.
  static func checkReadEOF(_ address: SocketAddress) throws {
    let (listener, target) = try listen(address)
    let client = TestThread { try Stream.connect(to: target).close() }
    let server = try listener.accept().stream
    try client.join()
    var buffer = [UInt8](repeating: 0, count: 16)
    #expect(try server.read(into: &buffer) == 0)
    #expect(try server.read(into: &buffer) == 0)
  }

  /// write_close: writing after the peer closed succeeds at first and then fails with
  /// brokenPipe, connectionReset or connectionAborted (never a signal).
  static func checkWriteAfterPeerClose(_ address: SocketAddress) throws {
    let (client, server) = try pair(address)
    client.close()
    var failure: NetError?
    for _ in 0..<1000 {
      do throws(NetError) {
        _ = try server.write([1])
      } catch {
        failure = error
        break
      }
      sleepMilliseconds(1)
    }
    let kinds: [NetError.Kind] = [.brokenPipe, .connectionReset, .connectionAborted]
    #expect(failure.map { kinds.contains($0.kind) } == true, "\(String(describing: failure))")
  }

  /// multiple_connect_serial over `incoming`: ten connections, one byte each.
  static func checkIncoming(_ address: SocketAddress) throws {
    let (listener, target) = try listen(address)
    let clients = TestThread {
      for _ in 0..<10 { try Stream.connect(to: target).writeAll([99]) }
    }
    for result in listener.incoming.prefix(10) {
      let stream = try result.get()
      var byte = [UInt8](repeating: 0, count: 1)
      try stream.readExact(into: &byte)
      #expect(byte == [99])
    }
    try clients.join()
  }

  /// partial_read: a read returns what is there without waiting to fill the buffer.
  static func checkPartialRead(_ address: SocketAddress) throws {
    let (client, server) = try pair(address)
    _ = try server.write([7])
    var buffer = [UInt8](repeating: 0, count: 10)
    #expect(try client.read(into: &buffer) == 1)
    #expect(buffer[0] == 7)
    var ranged = [UInt8](repeating: 0, count: 4)
    _ = try server.write([1, 2, 3, 4, 5, 6], range: 2..<4)
    #expect(try client.read(into: &ranged, range: 1..<4) == 2)
    #expect(ranged == [0, 3, 4, 0])
    expectNetError(.invalidInput) { () throws(NetError) in
      try client.read(into: &ranged, range: 2..<5)
    }
  }

  /// read_vectored and write_vectored (empty buffers are skipped; each fills in order).
  static func checkVectored(_ address: SocketAddress) throws {
    let (client, server) = try pair(address)
    #expect(try client.write([[], [10], [11, 12]]) == 3)
    var probe = [UInt8](repeating: 0, count: 3)
    while try server.peek(into: &probe) < 3 {}
    var buffers: [[UInt8]] = [[], [0], [0, 0, 0]]
    #expect(try server.read(into: &buffers) == 3)
    #expect(buffers == [[], [10], [11, 12, 0]])
    var none: [[UInt8]] = [[], []]
    #expect(try server.read(into: &none) == 0)
  }

  /// readExact and writeAll; readExact at the end of the stream is unexpectedEof.
  static func checkExact(_ address: SocketAddress) throws {
    let (client, server) = try pair(address)
    let payload = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
    let writer = TestThread {
      try client.writeAll(payload)
      try client.shutdown(.write)
    }
    var received = [UInt8](repeating: 0, count: payload.count)
    try server.readExact(into: &received)
    #expect(received == payload)
    var more = [UInt8](repeating: 0, count: 4)
    expectNetError(.unexpectedEof) { () throws(NetError) in try server.readExact(into: &more) }
    try writer.join()
  }

  /// peek: twice the same bytes, then read them; nonblocking peek on nothing is wouldBlock.
  static func checkPeek(_ address: SocketAddress) throws {
    let (client, server) = try pair(address)
    try server.writeAll([1, 3, 3, 7])
    var buffer = [UInt8](repeating: 0, count: 4)
    var peeked = 0
    while peeked < 4 { peeked = try client.peek(into: &buffer) }
    #expect(try client.peek(into: &buffer) == 4)
    #expect(buffer == [1, 3, 3, 7])
    buffer = [0, 0, 0, 0]
    #expect(try client.read(into: &buffer) == 4)
    #expect(buffer == [1, 3, 3, 7])
    try client.setNonblocking(true)
    expectNetError(.wouldBlock) { () throws(NetError) in try client.peek(into: &buffer) }
  }

  /// shutdown_smoke: after shutdown(.write) writes fail, the peer reads 0 and can still send.
  static func checkShutdownWrite(_ address: SocketAddress) throws {
    let (client, server) = try pair(address)
    try client.shutdown(.write)
    expectNetError(.brokenPipe) { () throws(NetError) in try client.write([1]) }
    var buffer = [UInt8](repeating: 0, count: 1)
    #expect(try server.read(into: &buffer) == 0)
    try server.writeAll([42])
    try client.readExact(into: &buffer)
    #expect(buffer == [42])
  }

  /// close_readwrite_smoke: shutdown state is shared by clones made before and after.
  static func checkShutdownSharedByClones(_ address: SocketAddress) throws {
    let (client, server) = try pair(address)
    let before = try client.tryClone()
    try client.shutdown(.write)
    expectNetError(.brokenPipe) { () throws(NetError) in try before.write([1]) }
    try client.shutdown(.read)
    var buffer = [UInt8](repeating: 0, count: 1)
    #expect(try client.read(into: &buffer) == 0)
    #expect(try before.read(into: &buffer) == 0)
    let after = try client.tryClone()
    #expect(try after.read(into: &buffer) == 0)
    expectNetError(.brokenPipe) { () throws(NetError) in try after.write([1]) }
    _ = try? before.shutdown(.both)
    _ = try? after.shutdown(.both)
    _ = server
  }

  /// close_read_wakes_up: a reader blocked in another thread returns 0 on shutdown(.read).
  static func checkShutdownReadWakesReader(_ address: SocketAddress) throws {
    let (client, server) = try pair(address)
    let clone = try client.tryClone()
    let result = TestBox<Int>()
    let reader = TestThread {
      var buffer = [UInt8](repeating: 0, count: 8)
      result.set(try clone.read(into: &buffer))
    }
    sleepMilliseconds(300)
    try client.shutdown(.read)
    #expect(reader.finishes(within: 5), "the blocked reader was not woken")
    try reader.join()
    #expect(result.value == 0)
    _ = server
  }

  /// tcp_clone_smoke / two_read / two_write: clones read and write concurrently.
  static func checkCloneConcurrency(_ address: SocketAddress) throws {
    let (client, server) = try pair(address)
    let clone = try client.tryClone()
    let readers = (0..<2).map { index in
      let handle = index == 0 ? client : clone
      return TestThread {
        var byte = [UInt8](repeating: 0, count: 1)
        try handle.readExact(into: &byte)
        #expect(byte == [5])
      }
    }
    let serverClone = try server.tryClone()
    let writers = [server, serverClone].map { handle in
      TestThread { try handle.writeAll([5]) }
    }
    for thread in writers + readers { try thread.join() }
    // A clone keeps working after the original handle is closed.
    client.close()
    client.close()
    try clone.writeAll([9])
    var byte = [UInt8](repeating: 0, count: 1)
    try server.readExact(into: &byte)
    #expect(byte == [9])
    expectNetError(.other) { () throws(NetError) in try client.write([1]) }
  }

  /// clone_accept_concurrent: two listener handles block in accept; both get a connection.
  static func checkCloneAccept(_ address: SocketAddress) throws {
    let (listener, target) = try listen(address)
    let clone = try listener.tryClone()
    let accepters = [listener, clone].map { handle in
      TestThread { _ = try handle.accept() }
    }
    sleepMilliseconds(50)
    let first = try Stream.connect(to: target)
    let second = try Stream.connect(to: target)
    for thread in accepters { try thread.join() }
    _ = (first, second)
  }

  /// timeouts: nil by default, 15410 s round-trips, nil again; zero is invalidInput.
  static func checkTimeoutSettings(_ address: SocketAddress) throws {
    let (client, _) = try pair(address)
    #expect(try client.readTimeout == nil)
    #expect(try client.writeTimeout == nil)
    try client.setReadTimeout(.seconds(15410))
    try client.setWriteTimeout(.seconds(15410))
    #expect(try client.readTimeout == .seconds(15410))
    #expect(try client.writeTimeout == .seconds(15410))
    try client.setReadTimeout(nil)
    try client.setWriteTimeout(nil)
    #expect(try client.readTimeout == nil)
    #expect(try client.writeTimeout == nil)
    let zero = expectNetError(.invalidInput) { () throws(NetError) in
      try client.setReadTimeout(.zero)
    }
    #expect(zero?.message == "cannot set a 0 duration timeout")
    expectNetError(.invalidInput) { () throws(NetError) in try client.setWriteTimeout(.zero) }
  }

  /// test_read_timeout / test_read_with_timeout: an idle read times out with wouldBlock.
  static func checkReadTimeout(_ address: SocketAddress) throws {
    let (client, server) = try pair(address)
    try server.writeAll(Array("hello world".utf8))
    var buffer = [UInt8](repeating: 0, count: 11)
    try client.readExact(into: &buffer)
    try client.setReadTimeout(.milliseconds(300))
    let start = monotonicSeconds()
    expectNetError(.wouldBlock) { () throws(NetError) in try client.readExact(into: &buffer) }
    #expect(monotonicSeconds() - start > 0.2)
  }

  /// A write that cannot proceed times out with wouldBlock, and in nonblocking mode throws it
  /// at once, once the peer stops reading and the buffers are full.
  static func checkWriteTimeout(_ address: SocketAddress) throws {
    let (client, server) = try pair(address)
    try client.setWriteTimeout(.milliseconds(200))
    let chunk = [UInt8](repeating: 0xAB, count: 65536)
    var failure: NetError?
    for _ in 0..<20_000 where failure == nil {
      do throws(NetError) {
        _ = try client.write(chunk)
      } catch {
        failure = error
      }
    }
    #expect(failure?.kind == .wouldBlock, "\(String(describing: failure))")
    try client.setWriteTimeout(nil)
    try client.setNonblocking(true)
    expectNetError(.wouldBlock) { () throws(NetError) in try client.write(chunk) }
    _ = server
  }

  /// set_nonblocking: an idle read and an idle accept throw wouldBlock; turning it off works.
  static func checkNonblocking(_ address: SocketAddress) throws {
    let (listener, target) = try listen(address)
    try listener.setNonblocking(true)
    expectNetError(.wouldBlock) { () throws(NetError) in try listener.accept() }
    try listener.setNonblocking(false)
    let client = try Stream.connect(to: target)
    let server = try listener.accept().stream
    try client.setNonblocking(true)
    var buffer = [UInt8](repeating: 0, count: 4)
    expectNetError(.wouldBlock) { () throws(NetError) in try client.read(into: &buffer) }
    try client.setNonblocking(false)
    try server.writeAll([1])
    #expect(try client.read(into: &buffer) == 1)
  }

  /// nodelay, ttl, linger, keepalive: defaults and round trips; takeError is nil.
  static func checkOptions(_ address: SocketAddress) throws {
    let (listener, target) = try listen(address)
    try listener.setTTL(100)
    #expect(try listener.ttl == 100)
    #expect(try listener.takeError() == nil)
    let stream = try Stream.connect(to: target)
    #expect(try stream.isNoDelayEnabled == false)
    try stream.setNoDelay(true)
    #expect(try stream.isNoDelayEnabled == true)
    try stream.setNoDelay(false)
    #expect(try stream.isNoDelayEnabled == false)
    try stream.setTTL(100)
    #expect(try stream.ttl == 100)
    #expect(try stream.linger == nil)
    try stream.setLinger(.seconds(1))
    #expect(try stream.linger == .seconds(1))
    try stream.setLinger(nil)
    #expect(try stream.linger == nil)
    #expect(try stream.isKeepAliveEnabled == false)
    try stream.setKeepAlive(true)
    #expect(try stream.isKeepAliveEnabled == true)
    try stream.setKeepAlive(false)
    #expect(try stream.isKeepAliveEnabled == false)
    #expect(try stream.takeError() == nil)
  }

  /// double_bind: a second listener on a live listener's address is addrInUse; once the
  /// first is closed the address can be bound again at once (SO_REUSEADDR as std).
  static func checkDoubleBind(_ address: SocketAddress) throws {
    let (listener, target) = try listen(address)
    expectNetError(.addrInUse) { () throws(NetError) in try Listener.bind(to: target) }
    let (client, server) = (try Stream.connect(to: target), try listener.accept().stream)
    server.close()
    client.close()
    listener.close()
    let again = try Listener.bind(to: target)
    #expect(try again.localAddress == target)
  }

  /// A connect to a closed port is connectionRefused, also with a huge timeout (which must
  /// not overflow, connect_timeout_error); a zero timeout is invalidInput.
  static func checkRefused(_ address: SocketAddress) throws {
    let (listener, target) = try listen(address)
    listener.close()
    expectNetError(.connectionRefused) { () throws(NetError) in
      try Stream.connect(to: target)
    }
    expectNetError(.connectionRefused) { () throws(NetError) in
      try Stream.connect(to: target, timeout: .seconds(Int64.max))
    }
    expectNetError(.invalidInput) { () throws(NetError) in
      try Stream.connect(to: target, timeout: .zero)
    }
    let relisten = try Listener.bind(to: target)
    let stream = try Stream.connect(to: target, timeout: .seconds(2))
    #expect(try stream.peerAddress == target)
    _ = relisten
  }

  /// Calls on a closed handle fail; close is idempotent.
  static func checkClosedHandle(_ address: SocketAddress) throws {
    let (listener, _) = try listen(address)
    listener.close()
    listener.close()
    expectNetError(.other) { () throws(NetError) in try listener.localAddress }
    expectNetError(.other) { () throws(NetError) in try listener.accept() }
  }
}
