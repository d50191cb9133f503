import Testing
import UsnetDevice

@Suite struct PacketRingLayoutTests {
  @Test func theStandardLayoutHoldsSixtyFourKilobyteFramesBothWays() throws {
    let layout = PacketRingLayout.standard
    try layout.validate()
    #expect(layout.largestReceivedFrame >= 65_535 + 14 + 10)
    #expect(layout.largestTransmittedFrame >= 65_535 + 14 + 10)
  }

  @Test func sizesTheKernelWouldRefuseAreRejected() {
    let bad = [
      PacketRingLayout(
        receiveBlockSize: 1000, receiveBlockCount: 4, transmitBlockSize: 4096,
        transmitBlockCount: 1, transmitFrameSize: 2048),
      PacketRingLayout(
        receiveBlockSize: 4096, receiveBlockCount: 0, transmitBlockSize: 4096,
        transmitBlockCount: 1, transmitFrameSize: 2048),
      PacketRingLayout(
        receiveBlockSize: 4096, receiveBlockCount: 4, retireTimeoutMilliseconds: 0,
        transmitBlockSize: 4096, transmitBlockCount: 1, transmitFrameSize: 2048),
      PacketRingLayout(
        receiveBlockSize: 4096, receiveBlockCount: 4, transmitBlockSize: 4096,
        transmitBlockCount: 1, transmitFrameSize: 8192),
      PacketRingLayout(
        receiveBlockSize: 4096, receiveBlockCount: 4, transmitBlockSize: 4096,
        transmitBlockCount: 1, transmitFrameSize: 40),
      PacketRingLayout(
        receiveBlockSize: 1 << 30, receiveBlockCount: 2, transmitBlockSize: 4096,
        transmitBlockCount: 0, transmitFrameSize: 0),
    ]
    for layout in bad {
      #expect(throws: DeviceError.self) { try layout.validate() }
    }
  }

  @Test func aLayoutWithoutATransmitRingIsValid() throws {
    try PacketRingLayout(
      receiveBlockSize: 1 << 17, receiveBlockCount: 2, transmitBlockSize: 0,
      transmitBlockCount: 0, transmitFrameSize: 0
    ).validate()
  }
}
