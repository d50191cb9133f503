import Foundation
import Testing
import UsnetSockets
import UsnetStack
import UsnetWire

extension InteropTests {
  /// The classic write-write-read request pattern against a Linux server, Nagle on: each
  /// request is two small writes, then the client reads the reply. With Nagle the second write
  /// waits for the ACK of the first; a server that delays that ACK stalls each request by its
  /// delayed-ACK timeout (40 ms). Linux's server quick-ACKs the first segments of a connection
  /// and then, once interactive, delays, so kernel clients stall too; that is the reference.
  ///
  /// The kernel client runs in the kernel namespace, over loopback, against the same server
  /// (the server's ACK policy is the same on either interface); the stack runs on the TAP.
  /// Both do `iterations` requests, with nodelay off and on. The test passes when the stack
  /// with Nagle is no worse than the kernel client with Nagle (median per request at most
  /// the kernel's plus 5 ms, and no more stalled requests (≥ 35 ms) than the kernel's plus 5 %
  /// of the iterations), and with nodelay has a median far below the delayed-ACK timeout and
  /// at most 5 % stalled requests, so a systematic stall fails either way. Prints the
  /// figures. Root only; skipped with the reason otherwise.
  @Suite
  struct WriteWriteReadInteropTests {
    static let port: UInt16 = 5400
    static let iterations = 200
    /// Bytes per write; a request is two of them, the reply `replyBytes`.
    static let writeBytes = 40
    static let replyBytes = 64

    /// The kernel's server, `<host> <port> <request bytes> <reply bytes>`: accepts
    /// connections one after the other and answers every whole request with a reply.
    static let server = """
      import signal, socket, sys
      signal.alarm(250)
      host, port, request, reply = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
      listener = socket.socket()
      listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
      listener.bind((host, port))
      listener.listen(4)
      print("READY", flush=True)
      while True:
          connection, peer = listener.accept()
          pending = 0
          while True:
              chunk = connection.recv(4096)
              if not chunk:
                  break
              pending += len(chunk)
              while pending >= request:
                  pending -= request
                  connection.sendall(b"r" * reply)
          connection.close()
      """

    /// The kernel's client, `<host> <port> <iterations> <write bytes> <reply bytes> <nodelay>`:
    /// prints the per-request times in milliseconds, one line.
    static let client = """
      import signal, socket, sys, time
      signal.alarm(120)
      host, port, count, size, reply, nodelay = sys.argv[1], int(sys.argv[2]), *map(int, sys.argv[3:7])
      connection = socket.create_connection((host, port), timeout=10)
      connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, nodelay)
      times = []
      for _ in range(count):
          start = time.monotonic()
          connection.send(b"a" * size)
          connection.send(b"b" * size)
          got = 0
          while got < reply:
              got += len(connection.recv(reply - got))
          times.append((time.monotonic() - start) * 1000)
      connection.close()
      print(" ".join("%.3f" % t for t in times))
      """

    /// Median and stalls (requests of 35 ms or more) of per-request times in milliseconds.
    struct Figure: CustomStringConvertible {
      var name: String
      var times: [Double]
      var median: Double { times.sorted()[times.count / 2] }
      var stalls: Int { times.filter { $0 >= 35 }.count }
      var description: String {
        let total = times.reduce(0, +)
        return "write-write-read \(name): \(times.count) requests, median "
          + String(format: "%.2f ms, %d stalled (>= 35 ms), total %.0f ms", median, stalls, total)
      }
    }

    @Test(.timeLimit(.minutes(4)))
    func writeWriteReadAgainstLinux() throws {
      let lab = try InteropLab()
      defer { lab.destroy() }
      let python = try #require(NamespaceLab.python)
      let server = try lab.kernelSide.spawn(
        "wwr-server",
        [
          python, "-c", Self.server, InteropLab.kernelAddress, "\(Self.port)",
          "\(2 * Self.writeBytes)", "\(Self.replyBytes)",
        ])
      try #require(server.waitForOutput("READY", timeout: .seconds(5)), "\(server.errorOutput)")

      var kernel: [Bool: Figure] = [:]
      for noDelay in [false, true] {
        let output = try lab.kernelSide.exec([
          python, "-c", Self.client, InteropLab.kernelAddress, "\(Self.port)",
          "\(Self.iterations)", "\(Self.writeBytes)", "\(Self.replyBytes)", noDelay ? "1" : "0",
        ])
        let times = output.split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
        try #require(times.count == Self.iterations, "kernel client: \(output)")
        kernel[noDelay] = Figure(name: "kernel -> kernel, nodelay \(noDelay)", times: times)
      }

      let device = LabDevice.tap
      let runtime = try lab.usnetSide.runInside {
        try UserspaceRuntime.fromEnvironment(device.environment)
      }
      defer { runtime.shutdown() }
      var usnet: [Bool: Figure] = [:]
      let request = [UInt8](repeating: 0x61, count: Self.writeBytes)
      var reply = [UInt8](repeating: 0, count: Self.replyBytes)
      for noDelay in [false, true] {
        let stream = try UserspaceTCPStream.connect(
          to: .v4(IPv4Address(198, 18, 0, 2), port: Self.port), timeout: .seconds(15),
          on: runtime)
        defer { stream.close() }
        try stream.setReadTimeout(.seconds(10))
        try stream.setNoDelay(noDelay)
        var times: [Double] = []
        for _ in 0..<Self.iterations {
          let start = ContinuousClock.now
          #expect(try stream.write(request) == request.count)
          #expect(try stream.write(request) == request.count)
          var got = 0
          while got < Self.replyBytes {
            let count = try stream.read(into: &reply, range: 0..<(Self.replyBytes - got))
            try #require(count > 0, "the server closed")
            got += count
          }
          let elapsed = ContinuousClock.now - start
          times.append(
            Double(elapsed.components.attoseconds) / 1e15
              + Double(elapsed.components.seconds) * 1000)
        }
        usnet[noDelay] = Figure(name: "usnet -> kernel, nodelay \(noDelay)", times: times)
      }
      for figure in [kernel[false], kernel[true], usnet[false], usnet[true]] {
        if let figure { print(figure) }
      }
      let kernelNagle = try #require(kernel[false])
      let usnetNagle = try #require(usnet[false])
      let usnetNoDelay = try #require(usnet[true])
      let slack = Self.iterations / 20
      #expect(usnetNagle.median <= kernelNagle.median + 5, "\(usnetNagle) vs \(kernelNagle)")
      #expect(usnetNagle.stalls <= kernelNagle.stalls + slack, "\(usnetNagle) vs \(kernelNagle)")
      #expect(usnetNoDelay.median < 10, "\(usnetNoDelay)")
      #expect(usnetNoDelay.stalls <= slack, "\(usnetNoDelay)")
    }
  }
}
