import Testing
import UsnetSim
import UsnetSockets
import UsnetStack
import UsnetWire

/// A TCP exchange between a ``UserspaceRuntime`` and the kernel's TCP in a lab namespace:
/// the stack connects and uploads ``upload`` bytes of seeded random data and shuts down its
/// sending side; the kernel answers `"<bytes> <sha256>\n"` for what it received, then
/// ``download`` bytes of the pattern `i % 251`, and closes.
enum KernelTCPExchange {
  /// Bytes the stack sends to the kernel.
  static let upload = 3 * 1024 * 1024
  /// Bytes the kernel sends back.
  static let download = 3 * 1024 * 1024
  /// The kernel's port.
  static let port: UInt16 = 5201

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

  /// Starts the kernel side in `lab`, listening on `address`, and waits until it listens.
  static func startServer(in lab: NamespaceLab, address: String) throws -> BackgroundProcess {
    let python = try #require(NamespaceLab.python)
    let server = try lab.spawn(
      "server", [python, "-c", server, address, "\(port)", "\(download)"])
    try #require(
      server.waitForOutput("READY", timeout: .seconds(5)),
      "server did not start: \(server.errorOutput)")
    return server
  }

  /// Connects from `runtime` to the server at `kernel`, uploads, reads the answer to EOF and
  /// checks it: the kernel got every byte unchanged, and the reply is the pattern.
  static func run(on runtime: UserspaceRuntime, to kernel: IPv4Address) throws {
    // ARP and the SYN may be lost while a bridge port comes up (G3): they are retried.
    let stream = try UserspaceTCPStream.connect(
      to: .v4(kernel, port: port), timeout: .seconds(15), on: runtime)
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
    response.reserveCapacity(download + 128)
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = try stream.read(into: &buffer)
      if count == 0 { break }
      response.append(contentsOf: buffer[0..<count])
    }
    try check(response, uploadDigest: digest.hexDigest())
  }

  /// Checks the server's "<bytes> <sha256>\n" and the pattern after it.
  private static func check(_ response: [UInt8], uploadDigest: String) throws {
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
