/// A character device's number, `major:minor`, as sysfs spells it in a device's `dev` file
/// (for a macvtap `/sys/class/net/<name>/macvtap/tap<index>/dev`, like `"246:1\n"`). A plain
/// value; `Sendable`.
public struct CharacterDeviceNumber: Hashable, Sendable, CustomStringConvertible {
  /// The major number: the driver (macvtap's is dynamic, see `/proc/devices`).
  public var major: UInt32
  /// The minor number: the device within the driver.
  public var minor: UInt32

  /// Creates a device number.
  public init(major: UInt32, minor: UInt32) {
    self.major = major
    self.minor = minor
  }

  /// Reads sysfs's `major:minor` text: two decimal numbers of at most 32 bits joined by a
  /// colon, optionally followed by one newline. Nil for anything else.
  public init?(sysfsText text: String) {
    var line = Substring(text)
    if line.hasSuffix("\n") { line = line.dropLast() }
    let parts = line.split(separator: ":", omittingEmptySubsequences: false)
    let isDecimal = { (part: Substring) in part.utf8.allSatisfy { (0x30...0x39).contains($0) } }
    guard parts.count == 2, parts.allSatisfy(isDecimal), let major = UInt32(parts[0]),
      let minor = UInt32(parts[1])
    else { return nil }
    self.init(major: major, minor: minor)
  }

  /// `"246:1"`.
  public var description: String { "\(major):\(minor)" }
}
