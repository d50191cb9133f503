/// The socket filter of a ``PacketSocket``: a classic BPF program that accepts a frame when
/// its destination MAC is the given unicast address or a group address (broadcast or
/// multicast, the low bit of the first byte set), and drops everything else in the kernel,
/// before it costs a copy or a wake-up (lab note G10: a bridge floods unknown unicast).
///
/// The program (8 instructions):
/// ```
/// 0  ldb [0]                    first byte of the destination
/// 1  jset #0x01     jt 6  jf 2  group bit: broadcast or multicast
/// 2  ld  [2]                    destination bytes 2...5
/// 3  jeq #mac[2...5] jt 4 jf 7
/// 4  ldh [0]                    destination bytes 0...1
/// 5  jeq #mac[0...1] jt 6 jf 7
/// 6  ret #0xffffffff            accept the whole frame
/// 7  ret #0                     drop
/// ```
/// A frame shorter than 6 bytes ends at a load past its end, which drops it.
public enum DestinationFilter {
  /// The program accepting frames for `hardwareAddress` (6 bytes), broadcast and multicast.
  ///
  /// - Throws: ``DeviceError`` with EINVAL when the address is not 6 bytes of unicast.
  public static func program(
    accepting hardwareAddress: [UInt8]
  ) throws(DeviceError)
    -> [BPFInstruction]
  {
    guard hardwareAddress.count == 6, hardwareAddress[0] & 1 == 0 else {
      throw DeviceError(
        call: "SO_ATTACH_FILTER", errno: DeviceError.invalidArgument,
        detail: "hardware address \(hardwareAddress) must be 6 bytes of unicast")
    }
    let high = UInt32(hardwareAddress[0]) << 8 | UInt32(hardwareAddress[1])
    let low = hardwareAddress[2...].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    return [
      .load(width: 1, at: 0),
      .jump(ifAnySet: 0x01, skipping: 4, else: 0),
      .load(width: 4, at: 2),
      .jump(ifEqualTo: low, skipping: 0, else: 3),
      .load(width: 2, at: 0),
      .jump(ifEqualTo: high, skipping: 0, else: 1),
      .accept(length: .max),
      .accept(length: 0),
    ]
  }
}
