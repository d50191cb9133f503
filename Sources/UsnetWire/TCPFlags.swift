/// The eight TCP control bits (byte 13 of the header).
public struct TCPFlags: OptionSet, Hashable, Sendable, CustomStringConvertible {
  /// The flag byte as on the wire.
  public var rawValue: UInt8

  /// Wraps a flag byte.
  @inlinable
  public init(rawValue: UInt8) {
    self.rawValue = rawValue
  }

  /// No more data from sender.
  public static let fin = TCPFlags(rawValue: 0x01)
  /// Synchronize sequence numbers.
  public static let syn = TCPFlags(rawValue: 0x02)
  /// Reset the connection.
  public static let rst = TCPFlags(rawValue: 0x04)
  /// Push function.
  public static let psh = TCPFlags(rawValue: 0x08)
  /// The acknowledgment field is significant.
  public static let ack = TCPFlags(rawValue: 0x10)
  /// The urgent pointer field is significant.
  public static let urg = TCPFlags(rawValue: 0x20)
  /// ECN echo (RFC 3168).
  public static let ece = TCPFlags(rawValue: 0x40)
  /// Congestion window reduced (RFC 3168).
  public static let cwr = TCPFlags(rawValue: 0x80)

  /// tcpdump's notation: F S R P, then `.` for ACK, then U E W; `none` when empty.
  /// For example `S`, `S.`, `P.`, `F.`, `R.` and `.`.
  public var description: String {
    if rawValue == 0 { return "none" }
    var result = ""
    for (flag, letter) in [
      (TCPFlags.fin, "F"), (.syn, "S"), (.rst, "R"), (.psh, "P"),
      (.ack, "."), (.urg, "U"), (.ece, "E"), (.cwr, "W"),
    ] where contains(flag) {
      result += letter
    }
    return result
  }
}
