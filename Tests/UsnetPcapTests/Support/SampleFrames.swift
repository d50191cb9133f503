/// Well-formed Ethernet frames (ARP requests and replies) that tshark dissects without complaint,
/// with distinct sizes and nanosecond timestamps that exercise every digit.
enum SampleFrames {
  /// An ARP request from 02:00:00:00:00:<host> (10.0.0.<host>) for 10.0.0.<target>.
  static func arpRequest(host: UInt8, target: UInt8, padding: Int = 0) -> [UInt8] {
    let sender: [UInt8] = [0x02, 0, 0, 0, 0, host]
    var frame: [UInt8] = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff] + sender + [0x08, 0x06]
    frame += [0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01]
    frame += sender + [10, 0, 0, host]
    frame += [0, 0, 0, 0, 0, 0] + [10, 0, 0, target]
    frame += [UInt8](repeating: 0, count: padding)
    return frame
  }

  /// An ARP reply from 10.0.0.<host> to 10.0.0.<target>.
  static func arpReply(host: UInt8, target: UInt8) -> [UInt8] {
    let sender: [UInt8] = [0x02, 0, 0, 0, 0, host]
    let receiver: [UInt8] = [0x02, 0, 0, 0, 0, target]
    var frame: [UInt8] = receiver + sender + [0x08, 0x06]
    frame += [0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x02]
    frame += sender + [10, 0, 0, host]
    frame += receiver + [10, 0, 0, target]
    return frame
  }

  /// Frames with their timestamps in nanoseconds.
  static let timed: [(frame: [UInt8], nanoseconds: Int64)] = [
    (arpRequest(host: 1, target: 2), 0),
    (arpReply(host: 2, target: 1), 1),
    (arpRequest(host: 1, target: 3, padding: 18), 999_999_999),
    (arpRequest(host: 4, target: 1), 1_000_000_000),
    (arpReply(host: 1, target: 4), 120_000_123_456),
    (arpRequest(host: 5, target: 6, padding: 1400), 1_700_000_000_987_654_321),
  ]
}
