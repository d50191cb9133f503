import Testing
import UsnetSim
import UsnetSockets
import UsnetStack
import UsnetWire

/// One exchange with ``KernelExchange/server`` over a userspace TCP stream: upload seeded
/// bytes, half-close, read the reply to EOF, and check both directions' content.
enum KernelExchange {
  /// The kernel side: accept one connection, read to EOF, answer "<bytes> <sha256>\n" and
  /// `reply_size` bytes of the pattern i % 251, then close.
  static let server = """
    import hashlib, signal, socket, sys
    signal.alarm(50)
    host, port, reply_size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, port))
    listener.listen(1)
    print("READY", flush=True)
    connection, peer = listener.accept()
    connection.settimeout(40)
    digest, count = hashlib.sha256(), 0
    while True:
        chunk = connection.recv(1 << 16)
        if not chunk:
            break
        digest.update(chunk)
        count += len(chunk)
    reply = (bytes(range(251)) * (reply_size // 251 + 1))[:reply_size]
    connection.sendall(("%d %s\\n" % (count, digest.hexdigest())).encode() + reply)
    connection.shutdown(socket.SHUT_WR)
    while connection.recv(1 << 16):
        pass
    connection.close()
    print("DONE %d" % count, flush=True)
    """

  /// Connects to `server` through `runtime`, uploads `upload` bytes (seeded), shuts down the
  /// write side and returns the reply read to EOF with the upload's SHA-256 (hex).
  static func run(
    on runtime: UserspaceRuntime, server: SocketAddress, upload: Int
  ) throws -> (response: [UInt8], uploadDigest: String) {
    // ARP and the SYN may be lost while the link comes up: they are retried.
    let stream = try UserspaceTCPStream.connect(to: server, timeout: .seconds(15), on: runtime)
    defer { stream.close() }
    try stream.setReadTimeout(.seconds(20))
    try stream.setWriteTimeout(.seconds(20))
    var payload = [UInt8](repeating: 0, count: upload)
    var generator = SeededRandom(seed: 11)
    for index in payload.indices { payload[index] = UInt8(truncatingIfNeeded: generator.next()) }
    var digest = SHA256()
    digest.update(payload)
    var sent = 0
    while sent < payload.count {
      sent += try stream.write(payload, range: sent..<payload.count)
    }
    try stream.shutdown(.write)
    var response: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = try stream.read(into: &buffer)
      if count == 0 { break }
      response.append(contentsOf: buffer[0..<count])
    }
    return (response, digest.hexDigest())
  }

  /// Checks the server's report ("<bytes> <sha256>\n": `upload` bytes with `uploadDigest`)
  /// and that `download` bytes of the pattern follow it.
  static func check(
    _ response: [UInt8], upload: Int, uploadDigest: String, download: Int
  ) throws {
    let newline = try #require(response.firstIndex(of: 0x0a), "no report from the server")
    let fields = String(decoding: response[0..<newline], as: UTF8.self).split(separator: " ")
    try #require(fields.count == 2, "bad report: \(fields)")
    #expect(Int(fields[0]) == upload)
    #expect(String(fields[1]) == uploadDigest)
    let reply = response[(newline + 1)...]
    #expect(reply.count == download)
    let patternHolds = reply.indices.allSatisfy {
      reply[$0] == UInt8(($0 - newline - 1) % 251)
    }
    #expect(patternHolds, "the reply differs from the pattern")
  }
}
