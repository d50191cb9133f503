import Foundation
import Testing
import UsnetCLI
import UsnetSockets
import UsnetStack
import UsnetWire

extension InteropTests {
  /// A ``UserspaceRuntime`` in this process, opened from `USNET_SOCKETS` on every ``LabDevice``
  /// of the ``InteropLab``, as the client of the kernel's servers: Python's `http.server`, a
  /// socat echo (with a half-close), a bulk exchange checked with SHA-256 each way, a closed
  /// port (refused) and an abortive close (the kernel sees the reset); and the kernel's ping.
  ///
  /// The runtime is started on a thread inside `usnet-a-<tag>`, so its device and netlink are
  /// that namespace's; the servers run in `usnet-b-<tag>`. Root only; skipped with the reason
  /// otherwise.
  @Suite
  struct UsnetClientInteropTests {
    /// The kernel side's address.
    static let kernel = IPv4Address(198, 18, 0, 2)
    /// `http.server`'s port.
    static let httpPort: UInt16 = 8000
    /// socat's echo port.
    static let echoPort: UInt16 = 7007
    /// The port of the server that waits for a reset.
    static let resetPort: UInt16 = 5300
    /// The file `http.server` serves.
    static let fileSize = 1_000_000

    /// Bytes each way of the bulk exchange on `device`: 200 MB on the TAP, 20 MB on the
    /// others (the same code paths; keeps the suite's time down).
    static func bulkBytes(on device: LabDevice) -> Int {
      device == .tap ? 200_000_000 : 20_000_000
    }

    @Test(.timeLimit(.minutes(5)), arguments: LabDevice.allCases)
    func usnetClientAgainstKernelServers(device: LabDevice) throws {
      let lab = try InteropLab()
      defer { lab.destroy() }
      let name = device.rawValue
      let fileDigest = try startHTTPServer(in: lab.kernelSide)
      try startEchoServer(in: lab.kernelSide)
      let bytes = Self.bulkBytes(on: device)
      let exchange = try KernelExchange.startServer(
        in: lab.kernelSide, address: InteropLab.kernelAddress, download: bytes)
      let python = try #require(NamespaceLab.python)
      let resetServer = try lab.kernelSide.spawn(
        "reset",
        [python, "-c", KernelPeer.resetServer, InteropLab.kernelAddress, "\(Self.resetPort)"])
      try #require(resetServer.waitForOutput("READY", timeout: .seconds(5)))

      // AF_PACKET also records a pcap: the recording device must hand on the ring's flush.
      let capture = lab.usnetSide.directory.appendingPathComponent("stack.pcap").path
      let environment = device.environment.merging(
        device == .packet ? ["USNET_PCAP": capture] : [:]
      ) { $1 }
      let runtime = try lab.usnetSide.runInside {
        try UserspaceRuntime.fromEnvironment(environment)
      }
      defer { runtime.shutdown() }
      #expect(
        UsnetServeProcess.waitForPing(from: lab.kernelSide, to: device.stackAddress, attempts: 10))

      let fetch = try TransferFigure.measure(
        "GET from http.server", device: name, bytes: Self.fileSize
      ) {
        let stream = try connect(to: Self.httpPort, on: runtime)
        defer { stream.close() }
        return try HTTPFetch.get("/blob", host: InteropLab.kernelAddress, on: stream)
      }
      #expect(fetch.head?.status == 200)
      #expect(fetch.bodyBytes == Self.fileSize && fetch.bodyDigest == fileDigest)

      try expectEcho(on: runtime, device: name)

      let (upload, download) = try KernelExchange.run(
        on: runtime, to: Self.kernel, upload: bytes, download: bytes)
      print(
        TransferFigure(name: "usnet -> kernel sink", device: name, bytes: bytes, duration: upload))
      print(
        TransferFigure(name: "kernel -> usnet", device: name, bytes: bytes, duration: download))
      _ = exchange.waitForExit(timeout: .seconds(5))
      let counters = try runtime.counters()
      print(
        "interop stack [\(name)]: \(counters.tcpRetransmissions) retransmissions, "
          + "\(counters.tcpTimeouts) timeouts, drops \(counters.nonZeroDrops)")

      #expect {
        _ = try connect(to: 9, on: runtime)
      } throws: { ($0 as? NetError)?.kind == .connectionRefused }

      let doomed = try connect(to: Self.resetPort, on: runtime)
      try doomed.writeAll(Array("reset me\n".utf8))
      try doomed.setLinger(.zero)
      doomed.close()
      #expect(resetServer.waitForOutput("RESET", timeout: .seconds(5)), "\(resetServer.output)")
      if device == .packet {
        let size = try FileManager.default.attributesOfItem(atPath: capture)[.size] as? Int
        #expect((size ?? 0) > 2 * bytes, "the pcap holds \(size ?? 0) B")
      }
    }

    /// Connects to the kernel side's `port`, with timeouts that keep a stuck test short.
    private func connect(to port: UInt16, on runtime: UserspaceRuntime) throws -> UserspaceTCPStream
    {
      let stream = try UserspaceTCPStream.connect(
        to: .v4(Self.kernel, port: port), timeout: .seconds(10), on: runtime)
      try stream.setReadTimeout(.seconds(20))
      try stream.setWriteTimeout(.seconds(20))
      return stream
    }

    /// Writes random bytes to socat's echo, shuts down the sending side, and reads everything
    /// back to the end of the stream.
    private func expectEcho(on runtime: UserspaceRuntime, device: String) throws {
      var message = [UInt8](repeating: 0, count: 100_000)
      var generator = SystemRandomNumberGenerator()
      for index in message.indices { message[index] = generator.next() }
      let echoed = try TransferFigure.measure(
        "socat echo, half-closed", device: device, bytes: message.count
      ) {
        let stream = try connect(to: Self.echoPort, on: runtime)
        defer { stream.close() }
        try stream.writeAll(message)
        try stream.shutdown(.write)
        var echoed: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
          let count = try stream.read(into: &buffer)
          if count == 0 { return echoed }
          echoed += buffer[0..<count]
        }
      }
      #expect(echoed == message)
    }

    /// Writes a random file and serves its directory with `python3 -m http.server`; returns
    /// the file's SHA-256.
    private func startHTTPServer(in lab: NamespaceLab) throws -> String {
      let site = lab.directory.appendingPathComponent("site").path
      try lab.exec([
        "bash", "-c", "mkdir -p \(site) && head -c \(Self.fileSize) /dev/urandom > \(site)/blob",
      ])
      let digest = String(try lab.exec(["sha256sum", "\(site)/blob"]).prefix(64))
      let python = try #require(NamespaceLab.python)
      let server = try lab.spawn(
        "http",
        [
          python, "-u", "-m", "http.server", "\(Self.httpPort)", "--bind", InteropLab.kernelAddress,
          "--directory", site,
        ])
      try #require(
        server.waitForOutput("Serving HTTP", timeout: .seconds(5)),
        "http.server did not start: \(server.errorOutput)")
      return digest
    }

    /// Starts socat as an echo server (`cat` per connection, so the echo ends after the
    /// client's FIN) and waits until it listens.
    private func startEchoServer(in lab: NamespaceLab) throws {
      let server = try lab.spawn(
        "echo",
        [
          "bash", "-c",
          "exec socat -d -d TCP-LISTEN:\(Self.echoPort),bind=\(InteropLab.kernelAddress),"
            + "reuseaddr,fork EXEC:cat 2>&1",
        ])
      try #require(
        server.waitForOutput("listening on", timeout: .seconds(5)),
        "socat did not start: \(server.output)")
    }
  }
}
