import Foundation
import Testing
import UsnetDevice

/// ``DeviceError`` names the call and the errno.
@Suite struct DeviceErrorTests {
  @Test func descriptionNamesCallErrnoAndDetail() {
    let error = DeviceError(call: "ioctl(TUNSETIFF)", errno: 1, detail: "tap name usnet0")
    #expect(error.message == "Operation not permitted")
    #expect(
      error.description
        == "ioctl(TUNSETIFF): Operation not permitted (errno 1) [tap name usnet0]")
    #expect(DeviceError(call: "read", errno: 11).isWouldBlock)
  }

  /// Empty, longer than 15 bytes, or with a NUL inside (written as "\\0" in the test name).
  @Test(arguments: ["", "a-name-of-16-byte", "nul\\0inside"])
  func badNamesAreRejectedBeforeAnyCall(name: String) {
    let name = name.replacingOccurrences(of: "\\0", with: "\u{0}")
    #expect {
      _ = try TAPDevice.open(name: name)
    } throws: { error in
      (error as? DeviceError).map { $0.errno == 22 && $0.call == "TAPDevice.open(name:)" }
        ?? false
    }
  }
}
