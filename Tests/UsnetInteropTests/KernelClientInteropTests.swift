import Foundation
import Testing
import UsnetCLI

extension InteropTests {
  /// The kernel's programs as clients of `usnet serve` over every ``LabDevice`` of the
  /// ``InteropLab``: ping, curl against `--http`, nc against `--echo` (a half-close, and a bulk
  /// transfer each way checked with SHA-256), nc against `--source` and `--sink`, a refused
  /// connection, an abortive close, and (on the TAP) 1,000 sequential and 100 concurrent
  /// connections.
  ///
  /// `usnet serve` runs as a process in `usnet-a-<tag>`, with `USNET_SOCKETS` naming the
  /// device; the clients run in `usnet-b-<tag>`. Every case prints its figures. Root only;
  /// skipped with the reason otherwise.
  @Suite
  struct KernelClientInteropTests {
    /// Bytes each way through echo, from source and into sink.
    static let bulkBytes = 200_000_000

    /// The first case may build the release `usnet` (minutes on a busy machine).
    @Test(.timeLimit(.minutes(10)), arguments: LabDevice.allCases)
    func kernelClientsAgainstUsnetServe(device: LabDevice) throws {
      let lab = try InteropLab()
      defer { lab.destroy() }
      let serve = try UsnetServeProcess(on: device, in: lab)
      let client = lab.kernelSide
      let address = device.stackAddress
      let name = device.rawValue

      let ping = try TransferFigure.measure("ping x5", device: name, bytes: 5 * 64) {
        try client.exec(["ping", "-c", "5", "-i", "0.2", "-W", "2", address])
      }
      #expect(ping.contains("5 received"), "\(ping)")

      let page = try TransferFigure.measure(
        "curl --http", device: name, bytes: HTTPService.defaultBody.count
      ) {
        try client.exec(["curl", "-sS", "--max-time", "10", "http://\(address)/"])
      }
      #expect(Array(page.utf8) == HTTPService.defaultBody)

      // nc -N shuts its sending side down at the end of its input; the echo still comes back.
      let echoed = try client.exec([
        "bash", "-c",
        "printf 'hello usnet\\n' | nc -N -w 10 \(address) \(UsnetServeProcess.echoPort)",
      ])
      #expect(echoed == "hello usnet\n")

      let bytes = Self.bulkBytes
      try expectEcho(
        bytes: bytes, to: address, from: client, directory: lab.kernelSide.directory, device: name)
      try expectSource(bytes: bytes, from: address, client: client, device: name)
      let counted = try TransferFigure.measure("nc -> sink", device: name, bytes: bytes) {
        try client.exec([
          "bash", "-c",
          "head -c \(bytes) /dev/zero | nc -N -w 30 \(address) \(UsnetServeProcess.sinkPort)",
        ])
      }
      #expect(counted == "\(bytes)\n")

      // A closed port answers with a reset: refused at once, not timed out.
      let refused = try client.exec([
        "bash", "-c", "nc -z -v -w 5 \(address) 81 2>&1; echo \"exit $?\"",
      ])
      #expect(refused.contains("Connection refused") && refused.contains("exit 1"), "\(refused)")

      // The kernel closes abortively (SO_LINGER 0): the echo service sees the reset.
      let python = try #require(NamespaceLab.python)
      try client.exec([
        python, "-c", KernelPeer.abortiveClient, address, "\(UsnetServeProcess.echoPort)",
      ])
      #expect(
        serve.process.waitForOutput("connectionReset", timeout: .seconds(5)),
        "usnet serve did not report the reset: \(serve.process.output)")
    }

    @Test(.timeLimit(.minutes(10)))
    func sequentialAndConcurrentConnections() throws {
      let lab = try InteropLab()
      defer { lab.destroy() }
      let device = LabDevice.tap
      _ = try UsnetServeProcess(on: device, in: lab)
      let python = try #require(NamespaceLab.python)
      for (mode, count) in [("sequential", 1000), ("concurrent", 100)] {
        let report = try TransferFigure.measure(
          "\(count) \(mode) connections", device: device.rawValue, bytes: count * 2 * 64
        ) {
          try lab.kernelSide.exec([
            python, "-c", KernelPeer.connectionChurn, device.stackAddress,
            "\(UsnetServeProcess.echoPort)", mode, "\(count)",
          ])
        }
        #expect(report.hasPrefix("OK \(count) "), "\(report)")
        print("interop \(mode) [\(device.rawValue)]: \(report)", terminator: "")
      }
    }

    /// nc sends `bytes` random bytes to echo and reads them back; the SHA-256 of what came back
    /// is that of what went out.
    private func expectEcho(
      bytes: Int, to address: String, from client: NamespaceLab, directory: URL, device: String
    ) throws {
      let data = directory.appendingPathComponent("echo.bin").path
      defer { try? FileManager.default.removeItem(atPath: data) }
      try client.exec(["bash", "-c", "head -c \(bytes) /dev/urandom > \(data)"])
      let sent = try client.exec(["sha256sum", data])
      let received = try TransferFigure.measure("nc <-> echo", device: device, bytes: bytes) {
        try client.exec([
          "bash", "-c",
          "set -o pipefail; nc -N -w 30 \(address) \(UsnetServeProcess.echoPort) < \(data) "
            + "| sha256sum",
        ])
      }
      #expect(received.prefix(64) == sent.prefix(64), "echo changed the data")
    }

    /// nc reads `bytes` from source and hangs up; their SHA-256 is that of the pattern (as
    /// Python computes it).
    private func expectSource(
      bytes: Int, from address: String, client: NamespaceLab, device: String
    ) throws {
      let python = try #require(NamespaceLab.python)
      let expected = try NamespaceLab.run([python, "-c", KernelPeer.sourceDigest, "\(bytes)"])
      let received = try TransferFigure.measure("source -> nc", device: device, bytes: bytes) {
        try client.exec([
          "bash", "-c",
          // nc dies of SIGPIPE when head has enough, which resets the connection.
          "nc -d -w 10 \(address) \(UsnetServeProcess.sourcePort) | head -c \(bytes) | sha256sum",
        ])
      }
      #expect(received.prefix(64) == expected.prefix(64))
    }
  }
}
