/// The page `usnet demo` serves: numbered lines of text, cut to an exact size, so the body is
/// readable in a capture and any lost or misplaced byte changes its SHA-256.
public enum DemoPage {
  /// A body of exactly `bytes` bytes (none for 0 or less). Pure.
  public static func body(bytes: Int) -> [UInt8] {
    guard bytes > 0 else { return [] }
    var body: [UInt8] = []
    body.reserveCapacity(bytes + 80)
    var line = 1
    while body.count < bytes {
      let number = String(line)
      let padded = String(repeating: "0", count: Swift.max(0, 7 - number.count)) + number
      body += Array("usnet demo page, line \(padded): served over a real-time UsnetSim link\n".utf8)
      line += 1
    }
    body.removeSubrange(bytes...)
    return body
  }
}
