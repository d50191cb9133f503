import Testing
import UsnetDevice
import UsnetSockets
import UsnetWire

/// Arguments ``MacVtapFrameDevice`` refuses before it changes anything; no privileges needed
/// (a netlink query is all that runs), and nothing is created even as root.
@Suite struct MacVtapFrameDeviceTests {
  /// Whether `error` is a ``NetError`` of `kind` with `errno`.
  private func matches(_ error: any Error, _ kind: NetError.Kind, errno: Int32) -> Bool {
    (error as? NetError).map { $0.kind == kind && $0.errno == errno } ?? false
  }

  /// Passthru mode takes the parent's address; a multicast address is no station's.
  @Test(arguments: [
    (MacvtapMode.passthru, MACAddress(0x02, 0, 0xc6, 0x12, 0, 0x0b)),
    (MacvtapMode.bridge, MACAddress(0x03, 0, 0xc6, 0x12, 0, 0x0b)),
  ])
  func addressesThatCannotBeUsedAreRefused(mode: MacvtapMode, address: MACAddress) {
    #expect {
      try MacVtapFrameDevice(creating: "usnmvt0", on: "lo", mode: mode, macAddress: address)
    } throws: { matches($0, .invalidInput, errno: 22) }
  }

  @Test(arguments: ["", "a-name-of-16-byte", "nul\0name"])
  func badNamesAreRefused(name: String) {
    #expect {
      try MacVtapFrameDevice(creating: name, on: "lo", mode: .bridge)
    } throws: { matches($0, .invalidInput, errno: 22) }
    #expect {
      try MacVtapFrameDevice(attachingTo: name)
    } throws: { matches($0, .invalidInput, errno: 22) }
  }

  @Test func attachingNeedsAnExistingMacvtap() {
    #expect {
      try MacVtapFrameDevice(attachingTo: "lo")
    } throws: { matches($0, .invalidInput, errno: 22) }
    #expect {
      try MacVtapFrameDevice(attachingTo: "usnnone0")
    } throws: { ($0 as? NetError)?.errno == 19 }
  }
}
