import UsnetSim

/// Parsers for the quantities on the `usnet` command line. Each takes the text and the option
/// it was given to, and throws an ``OptionValueError`` naming both and what is accepted.
///
/// Multipliers are decimal (`K` = 1000, `M` = 10^6, `G` = 10^9), as in network rates. Unit
/// letters are case-insensitive; no spaces between the number and the unit.
public enum ValueParsers {
  /// What ``byteCount(_:option:range:)`` accepts.
  public static let byteCountForms =
    "a whole number of bytes with an optional decimal suffix K, M or G (and optional B),"
    + " like 1500, 64K, 100M or 1.5G"

  /// What ``duration(_:option:range:)`` accepts.
  public static let durationForms =
    "a number with a unit ns, us, ms or s, like 20ms, 500us or 1.5s"

  /// What ``fraction(_:option:)`` accepts.
  public static let percentageForms =
    "a percentage from 0% to 100%, like 1%, 0.1% or 0"

  /// What ``bitRate(_:option:)`` accepts.
  public static let bitRateForms =
    "a rate with a unit bit, Kbit, Mbit or Gbit (optionally followed by /s), like 100Mbit"
    + " or 1.5Gbit/s"

  /// What ``gilbertElliott(_:option:)`` accepts.
  public static let gilbertForms =
    "P,R[,BAD[,GOOD]]: percentages for good-to-bad, bad-to-good (above 0), loss in the bad"
    + " state (default 100%) and loss in the good state (default 0%), like 0.5%,25% or"
    + " 1%,30%,80%"

  /// What ``mtuChange(_:option:)`` accepts.
  public static let mtuChangeForms =
    "MTU@TIME with an MTU from 68 to 65535 and a time after the handshake, like 1280@2s"

  /// A byte count like `100M`, `64K`, `1.5G`, `20MB` or `1500`, in `range`.
  public static func byteCount(
    _ text: String, option: String, range: ClosedRange<Int> = 1...Int.max
  ) throws(OptionValueError) -> Int {
    let expected = byteCountForms + rangeNote(range, unit: " bytes")
    let fail = OptionValueError(option: option, value: text, expected: expected)
    guard let (number, unit) = splitNumber(text) else { throw fail }
    var suffix = unit.lowercased()
    if suffix.hasSuffix("b") { suffix.removeLast() }
    let multiplier: Double
    switch suffix {
    case "": multiplier = 1
    case "k": multiplier = 1e3
    case "m": multiplier = 1e6
    case "g": multiplier = 1e9
    default: throw fail
    }
    let value = (number * multiplier).rounded()
    guard abs(value - number * multiplier) < 1e-6, value < 9e18 else { throw fail }
    let bytes = Int(value)
    guard range.contains(bytes) else { throw fail }
    return bytes
  }

  /// A duration like `20ms`, `500us`, `1.5s` or `250ns`, in `range`.
  public static func duration(
    _ text: String, option: String, range: ClosedRange<Duration> = .zero...(.seconds(86_400))
  ) throws(OptionValueError) -> Duration {
    let expected = durationForms + durationRangeNote(range)
    let fail = OptionValueError(option: option, value: text, expected: expected)
    guard let (number, unit) = splitNumber(text) else { throw fail }
    let scale: Double
    switch unit.lowercased() {
    case "ns": scale = 1
    case "us", "µs": scale = 1e3
    case "ms": scale = 1e6
    case "s": scale = 1e9
    default: throw fail
    }
    let nanoseconds = (number * scale).rounded()
    guard nanoseconds < 9e18 else { throw fail }
    let duration = Duration.nanoseconds(Int64(nanoseconds))
    guard range.contains(duration) else { throw fail }
    return duration
  }

  /// A percentage like `1%` or `0.1%` (or a bare `0`), as a fraction from 0 to 1.
  public static func fraction(_ text: String, option: String) throws(OptionValueError) -> Double {
    let fail = OptionValueError(option: option, value: text, expected: percentageForms)
    guard let (number, unit) = splitNumber(text) else { throw fail }
    switch unit {
    case "%":
      guard number <= 100 else { throw fail }
      return number / 100
    case "" where number == 0:
      return 0
    default:
      throw fail
    }
  }

  /// A bit rate like `100Mbit`, `10kbit/s` or `1.5Gbit`, in bits per second (at least 1).
  public static func bitRate(_ text: String, option: String) throws(OptionValueError) -> Int {
    let fail = OptionValueError(option: option, value: text, expected: bitRateForms)
    guard let (number, unit) = splitNumber(text) else { throw fail }
    var name = unit.lowercased()
    if name.hasSuffix("/s") { name.removeLast(2) }
    let multiplier: Double
    switch name {
    case "bit": multiplier = 1
    case "kbit": multiplier = 1e3
    case "mbit": multiplier = 1e6
    case "gbit": multiplier = 1e9
    default: throw fail
    }
    let rate = (number * multiplier).rounded()
    guard rate >= 1, rate < 9e18 else { throw fail }
    return Int(rate)
  }

  /// An integer in `range`, like an MTU.
  public static func integer(
    _ text: String, option: String, range: ClosedRange<Int>
  ) throws(OptionValueError) -> Int {
    let expected = "an integer from \(range.lowerBound) to \(range.upperBound)"
    guard text.allSatisfy(\.isASCII), let value = Int(text), range.contains(value) else {
      throw OptionValueError(option: option, value: text, expected: expected)
    }
    return value
  }

  /// A seed: a decimal or `0x` hexadecimal unsigned 64-bit integer.
  public static func seed(_ text: String, option: String) throws(OptionValueError) -> UInt64 {
    let parsed: UInt64? =
      text.lowercased().hasPrefix("0x")
      ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text, radix: 10)
    guard let parsed else {
      throw OptionValueError(
        option: option, value: text,
        expected: "an unsigned 64-bit integer, decimal or 0x hexadecimal, like 7 or 0x2a")
    }
    return parsed
  }

  /// Gilbert–Elliott parameters `P,R[,BAD[,GOOD]]`, the order of netem's
  /// `loss gemodel p r 1-h 1-k`: P and R are the per-frame transition probabilities good to
  /// bad and bad to good, BAD and GOOD the loss probabilities in each state.
  public static func gilbertElliott(
    _ text: String, option: String
  ) throws(OptionValueError) -> GilbertElliott {
    let fail = OptionValueError(option: option, value: text, expected: gilbertForms)
    let parts = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    guard (2...4).contains(parts.count) else { throw fail }
    var values: [Double] = []
    for part in parts {
      do {
        values.append(try fraction(part, option: option))
      } catch {
        throw fail
      }
    }
    guard values[1] > 0 else { throw fail }
    return GilbertElliott(
      goodToBad: values[0], badToGood: values[1],
      lossInGood: values.count > 3 ? values[3] : 0, lossInBad: values.count > 2 ? values[2] : 1)
  }

  /// An MTU change `MTU@TIME`, like `1280@2s`.
  public static func mtuChange(
    _ text: String, option: String
  ) throws(OptionValueError) -> MTUChange {
    let fail = OptionValueError(option: option, value: text, expected: mtuChangeForms)
    let parts = text.split(separator: "@", omittingEmptySubsequences: false).map(String.init)
    guard parts.count == 2 else { throw fail }
    do {
      let mtu = try integer(parts[0], option: option, range: 68...65535)
      let after = try duration(parts[1], option: option)
      return MTUChange(mtu: mtu, after: after)
    } catch {
      throw fail
    }
  }

  /// An MTU policy: `drop` or `icmp`.
  public static func mtuPolicy(_ text: String, option: String) throws(OptionValueError) -> MTUPolicy
  {
    switch text.lowercased() {
    case "drop": return .drop
    case "icmp": return .fragmentationNeeded
    default:
      throw OptionValueError(
        option: option, value: text,
        expected: "drop (silently, a PMTUD black hole) or icmp (answer fragmentation needed)")
    }
  }

  /// Splits `12.5ms` into 12.5 and `ms`: a plain decimal number (digits, at most one point,
  /// no sign or exponent) and whatever follows it.
  static func splitNumber(_ text: String) -> (Double, String)? {
    let scalars = Array(text.unicodeScalars)
    var index = 0
    var digits = 0
    var points = 0
    while index < scalars.count {
      let scalar = scalars[index]
      if ("0"..."9").contains(scalar) {
        digits += 1
      } else if scalar == "." && points == 0 {
        points += 1
      } else {
        break
      }
      index += 1
    }
    guard digits > 0 else { return nil }
    var numberText = String(String.UnicodeScalarView(scalars[0..<index]))
    if numberText.hasSuffix(".") { numberText.removeLast() }
    guard let number = Double(numberText), number.isFinite else { return nil }
    return (number, String(String.UnicodeScalarView(scalars[index...])))
  }

  private static func rangeNote(_ range: ClosedRange<Int>, unit: String) -> String {
    switch (range.lowerBound, range.upperBound) {
    case (1, Int.max): " (at least 1 byte)"
    case (_, Int.max): " (at least \(range.lowerBound)\(unit))"
    default: " (from \(range.lowerBound) to \(range.upperBound)\(unit))"
    }
  }

  private static func durationRangeNote(_ range: ClosedRange<Duration>) -> String {
    let lower = Formatting.duration(range.lowerBound)
    let upper = Formatting.duration(range.upperBound)
    return " (from \(lower) to \(upper))"
  }
}

/// A change of the receiver port's MTU at a virtual time after the handshake.
public struct MTUChange: Sendable, Hashable {
  /// The new MTU.
  public var mtu: Int
  /// When, after the start of the data transfer.
  public var after: Duration

  /// Creates a change to `mtu` at `after`.
  public init(mtu: Int, after: Duration) {
    self.mtu = mtu
    self.after = after
  }
}
