import Foundation
import Testing
import UsnetDevice

#if canImport(Glibc)
  import Glibc
#endif

/// Why TAP device tests cannot run here (they need root and /dev/net/tun), or `nil`.
private let tapSkipReason: String? = {
  if getuid() != 0 { return "TAPDevice tests skipped: not running as root (uid \(getuid()))" }
  if !FileManager.default.fileExists(atPath: "/dev/net/tun") {
    return "TAPDevice tests skipped: /dev/net/tun is missing"
  }
  return nil
}()

/// A real TAP: open, nothing to read while the interface is down, close. Root only.
@Suite(.enabled(if: tapSkipReason == nil, Comment(rawValue: tapSkipReason ?? "")))
struct TAPDeviceTests {
  @Test func openReadNothingAndClose() throws {
    let name = "usnettd" + String(UInt32.random(in: 0...0xff_ffff), radix: 16)
    let device = try TAPDevice.open(name: name)
    #expect(device.name == name)
    #expect(device.isOpen)
    var frame: [UInt8] = [1, 2, 3]
    #expect(try device.readFrame(into: &frame) == false)
    #expect(frame.isEmpty)
    #expect(try device.waitReadable(timeout: .milliseconds(5)) == false)
    try device.close()
    #expect(!device.isOpen)
    #expect(throws: DeviceError(call: "read", errno: 9, detail: "device closed")) {
      try device.readFrame(into: &frame)
    }
  }

  @Test func virtioNetHeaderAndOffloadNegotiation() throws {
    let name = "usnettd" + String(UInt32.random(in: 0...0xff_ffff), radix: 16)
    let device = try TAPDevice.open(name: name, virtioNetHeader: true)
    defer { try? device.close() }
    #expect(device.virtioNetHeaderLength == 10)
    // TSO without checksum offload is refused; the next preference is taken.
    let granted = try device.negotiateOffloads([
      [.tcpSegmentation4], [.checksum, .tcpSegmentation4],
    ])
    #expect(granted == [.checksum, .tcpSegmentation4])
    #expect(device.offloads == granted)
    #expect(throws: DeviceError.self) { try device.setOffloads([.tcpSegmentation4]) }
    #expect(device.offloads == granted)
    #expect(try device.negotiateOffloads([]) == [])
    // The header must be exactly as long as the device's.
    #expect(throws: DeviceError.self) {
      try device.writeFrame(header: [0], [UInt8](repeating: 0, count: 60), range: 0..<60)
    }
  }

  @Test func withoutAHeaderNothingIsNegotiated() throws {
    let name = "usnettd" + String(UInt32.random(in: 0...0xff_ffff), radix: 16)
    let device = try TAPDevice.open(name: name, virtioNetHeader: false)
    defer { try? device.close() }
    #expect(device.virtioNetHeaderLength == 0)
    #expect(try device.negotiateOffloads([[.checksum]]) == [])
  }

  @Test func kernelNumbersAPattern() throws {
    let device = try TAPDevice.open(name: "usnettd%d")
    defer { try? device.close() }
    #expect(device.name.hasPrefix("usnettd") && !device.name.contains("%"))
  }
}
