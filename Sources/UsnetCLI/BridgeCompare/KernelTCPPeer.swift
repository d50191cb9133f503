import Foundation
import UsnetWire

/// The kernel-side programs of `usnet bridge-compare`: a python3 sender and sink on plain
/// kernel sockets with the kernel's defaults (its congestion control, SACK, timestamps,
/// RACK, buffer autotuning), run inside a lab namespace.
enum KernelTCPPeer {
  /// `<host> <port> <alarm seconds>`: accept one connection, read to EOF while hashing,
  /// close, and print `RECEIVED <bytes> <sha256> <seconds from accept to EOF>`.
  static let sink = """
    import hashlib, signal, socket, sys, time
    host, port, alarm = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    signal.alarm(alarm)
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, port))
    listener.listen(1)
    connection, peer = listener.accept()
    start = time.monotonic()
    digest, count = hashlib.sha256(), 0
    while True:
        chunk = connection.recv(1 << 20)
        if not chunk:
            break
        digest.update(chunk)
        count += len(chunk)
    elapsed = time.monotonic() - start
    connection.close()
    print("RECEIVED %d %s %.6f" % (count, digest.hexdigest(), elapsed), flush=True)
    """

  /// `<host> <port> <bytes> <seed> <alarm seconds> <congestion control or "default">`:
  /// connect (retrying while refused, for up to 20 s), send `bytes` of a seeded block of
  /// 1,000,003 bytes, shut down writing, wait for the peer's FIN and print `SENT <bytes> <sha256> <seconds> <total_retrans> <algorithm>`
  /// (the last two from TCP_INFO and TCP_CONGESTION).
  static let sender = """
    import hashlib, random, signal, socket, struct, sys, time
    host, port, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    seed, alarm, algorithm = int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
    signal.alarm(alarm)
    block = memoryview(random.Random(seed).randbytes(1000003))
    deadline = time.monotonic() + 20
    while True:
        connection = socket.socket()
        connection.settimeout(10)
        if algorithm != "default":
            connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, algorithm.encode())
        try:
            connection.connect((host, port))
            break
        except OSError:
            connection.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    connection.settimeout(None)
    start = time.monotonic()
    digest, left = hashlib.sha256(), size
    while left > 0:
        chunk = block[:min(left, len(block))]
        connection.sendall(chunk)
        digest.update(chunk)
        left -= len(chunk)
    connection.shutdown(socket.SHUT_WR)
    while connection.recv(1 << 16):
        pass
    elapsed = time.monotonic() - start
    info = connection.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 104)
    total_retrans = struct.unpack_from("=I", info, 100)[0]
    algorithm = connection.getsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, 16)
    algorithm = algorithm.split(b"\\0")[0].decode()
    connection.close()
    print("SENT %d %s %.6f %d %s" % (size, digest.hexdigest(), elapsed, total_retrans,
                                     algorithm), flush=True)
    """

  /// What the sink printed.
  struct Received {
    /// Bytes read.
    var bytes: Int
    /// Their SHA-256, hex.
    var digest: String
    /// From accept to EOF.
    var duration: Duration
  }

  /// What the sender printed.
  struct Sent {
    /// Bytes sent.
    var bytes: Int
    /// Their SHA-256, hex.
    var digest: String
    /// TCP_INFO's `tcpi_total_retrans`.
    var retransmissions: Int
    /// TCP_CONGESTION.
    var algorithm: String
  }

  /// Starts the sink in `namespace` on `address`:`port` on a thread of its own; the thread
  /// gives what the program printed (or why it could not run).
  static func startSink(
    in namespace: DemoNamespace, python: String, address: IPv4Address, port: UInt16,
    alarm: Int
  ) -> ServiceThread<Result<ProgramRun, ProgramFailure>> {
    start(namespace, [python, "-c", sink, "\(address)", "\(port)", "\(alarm)"])
  }

  /// Starts the sender in `namespace`, to `address`:`port`, with `congestionControl` (`nil`:
  /// the kernel's default), on a thread of its own.
  static func startSender(
    in namespace: DemoNamespace, python: String, address: IPv4Address, port: UInt16,
    bytes: Int, seed: UInt64, alarm: Int, congestionControl: String?
  ) -> ServiceThread<Result<ProgramRun, ProgramFailure>> {
    start(
      namespace,
      [
        python, "-c", sender, "\(address)", "\(port)", "\(bytes)", "\(seed)", "\(alarm)",
        congestionControl ?? "default",
      ])
  }

  /// Waits up to `timeout` until something listens on TCP `port` in `namespace` (`ss`).
  static func waitListening(in namespace: DemoNamespace, port: UInt16, timeout: Duration) -> Bool {
    let end = ContinuousClock.now + timeout
    while ContinuousClock.now < end {
      let listed = try? namespace.run(["ss", "-Hltn", "sport = :\(port)"])
      if let listed, listed.succeeded, !listed.standardOutput.isEmpty { return true }
      usleep(20_000)
    }
    return false
  }

  /// The sink's line, or `nil`.
  static func parseReceived(_ output: String) -> Received? {
    guard let fields = line(output, "RECEIVED"), fields.count == 4,
      let bytes = Int(fields[1]), let seconds = Double(fields[3])
    else { return nil }
    return Received(
      bytes: bytes, digest: String(fields[2]), duration: .nanoseconds(Int64(seconds * 1e9)))
  }

  /// The sender's line, or `nil`.
  static func parseSent(_ output: String) -> Sent? {
    guard let fields = line(output, "SENT"), fields.count == 6,
      let bytes = Int(fields[1]), let retransmissions = Int(fields[4])
    else { return nil }
    return Sent(
      bytes: bytes, digest: String(fields[2]), retransmissions: retransmissions,
      algorithm: String(fields[5]))
  }

  private static func line(_ output: String, _ tag: String) -> [Substring]? {
    output.split(separator: "\n").map { $0.split(separator: " ") }.last { $0.first == "\(tag)" }
  }

  private static func start(
    _ namespace: DemoNamespace, _ command: [String]
  ) -> ServiceThread<Result<ProgramRun, ProgramFailure>> {
    ServiceThread(name: "usnet-bridge-peer") {
      do {
        return .success(try namespace.run(command))
      } catch {
        return .failure(ProgramFailure(description: "cannot run \(command[0]): \(error)"))
      }
    }
  }
}

/// A kernel-side program that could not be started.
struct ProgramFailure: Error, CustomStringConvertible {
  /// What went wrong.
  var description: String
}
