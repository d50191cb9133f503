import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The Linux kernel's TCP over 127.0.0.1 moving the same bytes between two threads of this
/// process: the reference the userspace figures are printed next to.
enum KernelLoopback {
  static func run(bytes: Int) throws -> BenchmarkResult {
    let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard listener >= 0 else { throw BenchmarkError("socket: errno \(errno)") }
    defer { close(listener) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    let length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) }
    }
    guard bound == 0, Glibc.listen(listener, 1) == 0 else {
      throw BenchmarkError("bind/listen: errno \(errno)")
    }
    var boundLength = length
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        getsockname(listener, $0, &boundLength)
      }
    }

    let received = ReceiveCounter()
    let receiver = Thread {
      let connection = accept(listener, nil, nil)
      guard connection >= 0 else { return }
      var buffer = [UInt8](repeating: 0, count: 1 << 20)
      var total = 0
      while total < bytes {
        let count = buffer.withUnsafeMutableBytes { read(connection, $0.baseAddress, $0.count) }
        if count <= 0 { break }
        total += count
      }
      close(connection)
      received.finish(total)
    }

    let wallStart = wallSeconds()
    let cpuStart = processCPUSeconds()
    receiver.start()
    let sender = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(sender) }
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(sender, $0, length) }
    }
    guard connected == 0 else { throw BenchmarkError("connect: errno \(errno)") }
    let chunk = [UInt8](repeating: 0x5a, count: 1 << 20)
    var sent = 0
    while sent < bytes {
      let want = Swift.min(chunk.count, bytes - sent)
      let count = chunk.withUnsafeBytes { write(sender, $0.baseAddress, want) }
      guard count > 0 else { throw BenchmarkError("write: errno \(errno)") }
      sent += count
    }
    let total = received.wait()
    let wall = wallSeconds() - wallStart
    let cpu = processCPUSeconds() - cpuStart
    guard total == bytes else { throw BenchmarkError("kernel receiver got \(total) bytes") }
    return BenchmarkResult(bytes: bytes, wall: wall, cpu: cpu, segments: nil, allocations: nil)
  }
}

/// Hands the receiver thread's byte count to the main thread.
final class ReceiveCounter: @unchecked Sendable {
  private let condition = NSCondition()
  private var total: Int?

  func finish(_ value: Int) {
    condition.lock()
    total = value
    condition.signal()
    condition.unlock()
  }

  func wait() -> Int {
    condition.lock()
    defer { condition.unlock() }
    while total == nil { condition.wait() }
    return total ?? 0
  }
}
