/// Number and duration formats of the `usnet` reports.
public enum Formatting {
  /// A duration in the largest unit that keeps it readable: `20ms`, `1.5s`, `250us`, `0s`.
  public static func duration(_ duration: Duration) -> String {
    let nanoseconds =
      duration.components.seconds * 1_000_000_000
      + duration.components.attoseconds / 1_000_000_000
    let magnitude = nanoseconds.magnitude
    let sign = nanoseconds < 0 ? "-" : ""
    if magnitude == 0 { return "0s" }
    if magnitude >= 1_000_000_000 {
      return sign + trimmed(Double(magnitude) / 1e9, places: 3) + "s"
    }
    if magnitude >= 1_000_000 {
      return sign + trimmed(Double(magnitude) / 1e6, places: 3) + "ms"
    }
    if magnitude >= 1_000 {
      return sign + trimmed(Double(magnitude) / 1e3, places: 3) + "us"
    }
    return sign + "\(magnitude)ns"
  }

  /// Seconds with exactly `places` decimals: `12.345`.
  public static func seconds(_ duration: Duration, places: Int = 3) -> String {
    let nanoseconds =
      Double(duration.components.seconds) * 1e9
      + Double(duration.components.attoseconds / 1_000_000_000)
    return fixed(nanoseconds / 1e9, places: places)
  }

  /// Bits per second as Mbit/s with two decimals: `93.21`.
  public static func megabits(_ bitsPerSecond: Double) -> String {
    fixed(bitsPerSecond / 1e6, places: 2)
  }

  /// A fraction as a percentage without trailing zeros: 0.001 gives `0.1%`.
  public static func percent(_ fraction: Double) -> String {
    trimmed(fraction * 100, places: 4) + "%"
  }

  /// A byte count with a decimal suffix when it is a whole multiple: `20M`, `1500`, `64K`.
  public static func bytes(_ count: Int) -> String {
    for (suffix, unit) in [("G", 1_000_000_000), ("M", 1_000_000), ("K", 1_000)]
    where count >= unit && count % unit == 0 {
      return "\(count / unit)\(suffix)"
    }
    return "\(count)"
  }

  /// A bit rate in the largest unit that divides it: `100Mbit`, `1500bit`.
  public static func bitRate(_ bitsPerSecond: Int) -> String {
    for (suffix, unit) in [("Gbit", 1_000_000_000), ("Mbit", 1_000_000), ("Kbit", 1_000)]
    where bitsPerSecond >= unit && bitsPerSecond % unit == 0 {
      return "\(bitsPerSecond / unit)\(suffix)"
    }
    return "\(bitsPerSecond)bit"
  }

  /// `text` broken into lines of at most `width` characters at spaces (a longer word stays on
  /// its own line).
  public static func wrap(_ text: String, width: Int = 100) -> [String] {
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ") {
      if !line.isEmpty && line.count + 1 + word.count > width {
        lines.append(line)
        line = ""
      }
      line += (line.isEmpty ? "" : " ") + word
    }
    if !line.isEmpty { lines.append(line) }
    return lines
  }

  /// `value` rounded to `places` decimals, always showing them: `fixed(1.5, places: 2)` is
  /// `1.50`.
  public static func fixed(_ value: Double, places: Int) -> String {
    guard value.isFinite else { return "\(value)" }
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    guard scaled < 9e18 else { return "\(value)" }
    let whole = Int64(scaled)
    let integer = whole / Int64(scale)
    let sign = value < 0 && whole != 0 ? "-" : ""
    guard places > 0 else { return "\(sign)\(integer)" }
    let fraction = String(whole % Int64(scale))
    let padding = String(repeating: "0", count: places - fraction.count)
    return "\(sign)\(integer).\(padding)\(fraction)"
  }

  /// `value` rounded to at most `places` decimals, without trailing zeros: `0.1`, `5`.
  public static func trimmed(_ value: Double, places: Int) -> String {
    var text = fixed(value, places: places)
    if text.contains(".") {
      while text.hasSuffix("0") { text.removeLast() }
      if text.hasSuffix(".") { text.removeLast() }
    }
    return text
  }
}
