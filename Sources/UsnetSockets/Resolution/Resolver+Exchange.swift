import UsnetWire

extension Resolver {
  /// The largest DNS answer read over UDP (a plain query without EDNS gets at most 512).
  static var receiveBufferSize: Int { 4096 }

  /// Sends `question` to the servers and returns the first acceptable answer: NOERROR or
  /// NXDOMAIN, not truncated (unless it already carries records).
  ///
  /// Each round (``ResolverConfiguration/attempts``) tries every server in turn (from a random
  /// start with `rotate`), waiting up to ``ResolverConfiguration/timeout`` for each. An answer
  /// from a server asked earlier in the exchange is taken too. SERVFAIL, REFUSED and the like
  /// move on to the next server at once.
  func exchange(_ question: DNSQuestion) throws(NetError) -> DNSMessage {
    let servers = configuration.servers
    guard !servers.isEmpty else {
      throw NetError(.other, message: "no DNS servers configured")
    }
    let id = UInt16.random(in: .min ... .max)
    let query: [UInt8]
    do {
      query = try DNSMessage.query(id: id, name: question.name, type: question.type).bytes()
    } catch {
      throw NetError(.invalidInput, message: "cannot build a DNS query: \(error)")
    }
    var sockets = ExchangeSockets<Socket>(bind: bindSocket)
    defer { sockets.closeAll() }
    var asked: Set<SocketAddress> = []
    var serverFailure: NetError?
    let start = configuration.rotate ? Int.random(in: 0..<servers.count) : 0
    var buffer = [UInt8](repeating: 0, count: Self.receiveBufferSize)
    for _ in 0..<max(configuration.attempts, 1) {
      for step in 0..<servers.count {
        let server = servers[(start + step) % servers.count]
        let socket: Socket
        do {
          socket = try sockets.socket(for: server)
          _ = try socket.send(query, to: server)
        } catch {
          serverFailure = error
          continue
        }
        asked.insert(server)
        let deadline = ContinuousClock.now + configuration.timeout
        while let (count, peer) = try receive(on: socket, into: &buffer, until: deadline) {
          guard asked.contains(peer),
            let answer = try? DNSMessage.parse(buffer, in: 0..<count),
            answer.header.isResponse, answer.header.id == id, answer.header.opcode == .query,
            answer.questions == [question]
          else { continue }  // stray, spoofed or mangled: keep waiting
          if let failure = failure(of: answer, from: peer, for: question) {
            serverFailure = failure
            break
          }
          return answer
        }
      }
    }
    if let serverFailure { throw serverFailure }
    throw NetError(
      .timedOut,
      message:
        "no DNS answer for \(question.name) \(question.type) from "
        + servers.map(\.description).joined(separator: ", ")
        + " (\(configuration.attempts) attempts, \(configuration.timeout) each)")
  }

  /// Why `answer` cannot be used, or nil when it can.
  private func failure(
    of answer: DNSMessage, from server: SocketAddress, for question: DNSQuestion
  ) -> NetError? {
    let code = answer.header.responseCode
    if code != .noError && code != .nameError {
      return NetError(
        .other, message: "DNS server \(server) answered \(code) for \(question.name)")
    }
    if answer.header.isTruncated && answer.answers.isEmpty {
      return NetError(
        .other,
        message:
          "DNS server \(server) sent a truncated answer for \(question.name) "
          + "(DNS over TCP is not supported yet)")
    }
    return nil
  }

  /// One datagram, or nil once `deadline` has passed.
  private func receive(
    on socket: Socket, into buffer: inout [UInt8], until deadline: ContinuousClock.Instant
  ) throws(NetError) -> (count: Int, peer: SocketAddress)? {
    let remaining = deadline - ContinuousClock.now
    guard remaining > .zero else { return nil }
    do {
      try socket.setReadTimeout(max(remaining, .milliseconds(1)))
      return try socket.receiveFrom(into: &buffer)
    } catch let error where error.kind == .wouldBlock || error.kind == .timedOut {
      return nil
    } catch {
      // An ICMP error reported on the socket (connection refused ...): this server is out.
      return nil
    }
  }
}

/// The sockets of one exchange: one per address family, opened when first needed.
struct ExchangeSockets<Socket: UDPSocketProtocol> {
  let bind: @Sendable (SocketAddress) throws(NetError) -> Socket
  private var v4: Socket?
  private var v6: Socket?

  init(bind: @escaping @Sendable (SocketAddress) throws(NetError) -> Socket) {
    self.bind = bind
  }

  /// The socket for talking to `server`, bound to the wildcard address and a free port.
  mutating func socket(for server: SocketAddress) throws(NetError) -> Socket {
    switch server {
    case .v4:
      if let v4 { return v4 }
      let socket = try bind(.v4(.any, port: 0))
      v4 = socket
      return socket
    case .v6:
      if let v6 { return v6 }
      let socket = try bind(.v6(.unspecified, port: 0))
      v6 = socket
      return socket
    }
  }

  /// Closes the sockets opened.
  mutating func closeAll() {
    v4?.close()
    v6?.close()
    v4 = nil
    v6 = nil
  }
}
