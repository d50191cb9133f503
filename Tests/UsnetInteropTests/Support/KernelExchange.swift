import Foundation
import Testing
import UsnetSim
import UsnetSockets
import UsnetStack
import UsnetWire

/// A bulk TCP exchange between a ``UserspaceRuntime`` and the kernel's TCP in a lab
/// namespace: the stack connects, uploads `upload` bytes (a seeded block of a prime length,
/// repeated) and shuts down its sending side; the kernel answers
/// `"<bytes> <sha256 of them> <sha256 of the reply>\n"`, then `download` random bytes, and
/// closes. Both directions are checked with SHA-256, computed by `sha256sum` and Python.
enum KernelExchange {
  /// The kernel's usual port.
  static let port: UInt16 = 5201
  /// The usual bytes each way: enough for offloads and congestion control to show.
  static let size = 3 * 1024 * 1024

  /// The kernel side, `<host> <port> <reply bytes>`: accept one connection, read to EOF,
  /// answer the report and the reply, wait for the peer's FIN, then exit.
  static let server = """
    import hashlib, os, signal, socket, sys
    signal.alarm(280)
    host, port, reply_size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, port))
    listener.listen(1)
    print("READY", flush=True)
    connection, peer = listener.accept()
    connection.settimeout(60)
    digest, count = hashlib.sha256(), 0
    while True:
        chunk = connection.recv(1 << 20)
        if not chunk:
            break
        digest.update(chunk)
        count += len(chunk)
    block = os.urandom(1000003)
    reply_digest, left = hashlib.sha256(), reply_size
    while left > 0:
        reply_digest.update(block[:left])
        left -= len(block)
    connection.sendall(
        ("%d %s %s\\n" % (count, digest.hexdigest(), reply_digest.hexdigest())).encode())
    left = reply_size
    while left > 0:
        connection.sendall(block[:left])
        left -= len(block)
    connection.shutdown(socket.SHUT_WR)
    while connection.recv(1 << 16):
        pass
    connection.close()
    print("DONE %d" % count, flush=True)
    """

  /// Starts the kernel side in `lab` on `address`:`port`, replying with `download` bytes, and
  /// waits until it listens.
  static func startServer(
    in lab: NamespaceLab, address: String, port: UInt16 = port, download: Int = size
  ) throws -> BackgroundProcess {
    let python = try #require(NamespaceLab.python)
    let server = try lab.spawn(
      "exchange-\(port)", [python, "-c", server, address, "\(port)", "\(download)"])
    try #require(
      server.waitForOutput("READY", timeout: .seconds(5)),
      "server did not start: \(server.errorOutput)")
    return server
  }

  /// Connects from `runtime` to the server at `kernel`:`port`, uploads `upload` bytes, reads
  /// the answer to EOF and checks it: the kernel got every byte unchanged, and the reply
  /// (`download` bytes) has the digest the kernel announced. Returns the time each way.
  @discardableResult
  static func run(
    on runtime: UserspaceRuntime, to kernel: IPv4Address, port: UInt16 = port,
    upload: Int = size, download: Int = size
  ) throws -> (upload: Duration, download: Duration) {
    // ARP and the SYN may be lost while a bridge port comes up (G3): they are retried.
    let stream = try UserspaceTCPStream.connect(
      to: .v4(kernel, port: port), timeout: .seconds(15), on: runtime)
    defer { stream.close() }
    try stream.setReadTimeout(.seconds(30))
    try stream.setWriteTimeout(.seconds(30))
    var block = [UInt8](repeating: 0, count: 65_521)
    var generator = SeededRandom(seed: 11)
    for index in block.indices { block[index] = UInt8(truncatingIfNeeded: generator.next()) }
    let sent = try DigestPipe()
    let start = ContinuousClock.now
    var left = upload
    while left > 0 {
      let count = try stream.write(block, range: 0..<min(left, block.count))
      try sent.update(block, range: 0..<count)
      left -= count
    }
    try stream.shutdown(.write)
    var report: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    var received: DigestPipe?
    var uploaded = start
    while true {
      let count = try stream.read(into: &buffer)
      if count == 0 { break }
      if let received {
        try received.update(buffer, range: 0..<count)
        continue
      }
      report += buffer[0..<count]
      if let newline = report.firstIndex(of: 0x0a) {
        uploaded = .now
        let pipe = try DigestPipe()
        try pipe.update(report, range: (newline + 1)..<report.count)
        report.removeSubrange(newline...)
        received = pipe
      }
    }
    let downloaded = ContinuousClock.now
    let fields = String(decoding: report, as: UTF8.self).split(separator: " ")
    try #require(fields.count == 3 && received != nil, "bad report: \(fields)")
    #expect(Int(fields[0]) == upload)
    #expect(String(fields[1]) == (try sent.finish()), "the kernel received other bytes")
    #expect(received?.count == download)
    #expect(String(fields[2]) == (try received?.finish()), "the stack received other bytes")
    return (uploaded - start, downloaded - uploaded)
  }
}
