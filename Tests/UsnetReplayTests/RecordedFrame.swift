import UsnetPcap
import UsnetStack
import UsnetWire

/// One frame of a fixture capture: its number (from 1, as tshark counts), when it was
/// captured on the virtual clock (the first frame at zero) and whether our stack sent it.
struct RecordedFrame {
  var number: Int
  var time: Instant
  var bytes: [UInt8]
  /// Whether the frame's Ethernet source is the stack's MAC (else the kernel peer sent it).
  var isFromStack: Bool

  /// The frames of `path`, classified by the Ethernet source against `stackMAC`.
  static func read(path: String, stackMAC: MACAddress) throws -> [RecordedFrame] {
    let records = try PcapReader(path: path).readAll()
    let start = records.first?.timestampNanoseconds ?? 0
    return records.enumerated().map { index, record in
      let source = record.bytes.count >= 12 ? MACAddress(reading: record.bytes, at: 6) : nil
      return RecordedFrame(
        number: index + 1, time: Instant(nanoseconds: record.timestampNanoseconds - start),
        bytes: record.bytes, isFromStack: source == stackMAC)
    }
  }
}
