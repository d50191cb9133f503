/// A strict RFC 8259 JSON reader for configuration text.
///
/// It accepts exactly one value surrounded by optional whitespace, rejects everything RFC 8259
/// does not allow (comments, trailing commas, single quotes, leading zeros, control characters in
/// strings, lone surrogates) and limits nesting to ``maximumDepth`` so hostile input cannot
/// exhaust the stack. Errors name the character position (1-based, in Unicode scalars), what was
/// found there and what was expected.
struct JSONParser {
  /// The deepest nesting of objects and arrays accepted.
  static let maximumDepth = 32

  private let scalars: [Unicode.Scalar]
  private var index = 0

  /// Parses `text` as one JSON value.
  static func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
    var parser = JSONParser(scalars: Array(text.unicodeScalars))
    parser.skipWhitespace()
    let value = try parser.parseValue(depth: 0)
    parser.skipWhitespace()
    if parser.index < parser.scalars.count {
      throw parser.error("the end of the text after the JSON value")
    }
    return value
  }

  private init(scalars: [Unicode.Scalar]) {
    self.scalars = scalars
  }

  private var current: Unicode.Scalar? {
    index < scalars.count ? scalars[index] : nil
  }

  private mutating func skipWhitespace() {
    while let scalar = current, scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r"
    {
      index += 1
    }
  }

  /// An error at the current position.
  private func error(_ expected: String) -> JSONSyntaxError {
    JSONSyntaxError(position: index + 1, found: current.map(describe) ?? "", expected: expected)
  }

  private func describe(_ scalar: Unicode.Scalar) -> String {
    scalar.value < 0x20 || scalar.value == 0x7F
      ? "U+" + String(scalar.value, radix: 16, uppercase: true)
      : JSONValue.quoted(String(scalar))
  }

  private mutating func parseValue(depth: Int) throws(JSONSyntaxError) -> JSONValue {
    let anyValue = "a JSON value: an object, array, \"string\", number, true, false or null"
    guard let scalar = current else { throw error(anyValue) }
    switch scalar {
    case "{": return try parseObject(depth: depth + 1)
    case "[": return try parseArray(depth: depth + 1)
    case "\"": return .string(try parseString())
    case "-", "0"..."9": return .number(try parseNumber())
    case "t": return try parseLiteral("true", .bool(true))
    case "f": return try parseLiteral("false", .bool(false))
    case "n": return try parseLiteral("null", .null)
    default: throw error(anyValue)
    }
  }

  private mutating func parseLiteral(
    _ word: String, _ value: JSONValue
  ) throws(JSONSyntaxError) -> JSONValue {
    for expected in word.unicodeScalars {
      guard current == expected else { throw error("the literal \(word)") }
      index += 1
    }
    return value
  }

  private mutating func parseObject(depth: Int) throws(JSONSyntaxError) -> JSONValue {
    guard depth <= JSONParser.maximumDepth else {
      throw error("at most \(JSONParser.maximumDepth) levels of nesting")
    }
    index += 1
    skipWhitespace()
    var members: [JSONMember] = []
    if current == "}" {
      index += 1
      return .object(members)
    }
    while true {
      guard current == "\"" else {
        throw error(
          members.isEmpty ? "a quoted key or \"}\"" : "a quoted key (JSON has no trailing commas)")
      }
      let key = try parseString()
      skipWhitespace()
      guard current == ":" else { throw error("\":\" after the key \(JSONValue.quoted(key))") }
      index += 1
      skipWhitespace()
      let value = try parseValue(depth: depth)
      members.append(JSONMember(key: key, value: value))
      skipWhitespace()
      if current == "," {
        index += 1
        skipWhitespace()
      } else if current == "}" {
        index += 1
        return .object(members)
      } else {
        throw error("\",\" or \"}\" after the value of \(JSONValue.quoted(key))")
      }
    }
  }

  private mutating func parseArray(depth: Int) throws(JSONSyntaxError) -> JSONValue {
    guard depth <= JSONParser.maximumDepth else {
      throw error("at most \(JSONParser.maximumDepth) levels of nesting")
    }
    index += 1
    skipWhitespace()
    var elements: [JSONValue] = []
    if current == "]" {
      index += 1
      return .array(elements)
    }
    while true {
      elements.append(try parseValue(depth: depth))
      skipWhitespace()
      if current == "," {
        index += 1
        skipWhitespace()
      } else if current == "]" {
        index += 1
        return .array(elements)
      } else {
        throw error("\",\" or \"]\" in an array")
      }
    }
  }

  private mutating func parseString() throws(JSONSyntaxError) -> String {
    index += 1
    var result = String.UnicodeScalarView()
    while true {
      guard let scalar = current else { throw error("the closing quote of a string") }
      switch scalar {
      case "\"":
        index += 1
        return String(result)
      case "\\":
        index += 1
        result.append(try parseEscape())
      default:
        guard scalar.value >= 0x20 else {
          throw error("a character other than a control character in a string (escape it)")
        }
        result.append(scalar)
        index += 1
      }
    }
  }

  /// Parses the escape after a backslash.
  private mutating func parseEscape() throws(JSONSyntaxError) -> Unicode.Scalar {
    let accepted = "an escape: \\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\u and four hex digits"
    guard let scalar = current else { throw error(accepted) }
    index += 1
    switch scalar {
    case "\"": return "\""
    case "\\": return "\\"
    case "/": return "/"
    case "b": return "\u{8}"
    case "f": return "\u{C}"
    case "n": return "\n"
    case "r": return "\r"
    case "t": return "\t"
    case "u":
      let high = try parseHex4()
      if (0xD800...0xDBFF).contains(high) {
        guard current == "\\", index + 1 < scalars.count, scalars[index + 1] == "u" else {
          throw error("\\u and the low surrogate completing \\u" + String(high, radix: 16))
        }
        index += 2
        let low = try parseHex4()
        guard (0xDC00...0xDFFF).contains(low) else {
          index -= 4
          throw error("a low surrogate (\\udc00 to \\udfff) after a high surrogate")
        }
        let value = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
        if let combined = Unicode.Scalar(value) { return combined }
      } else if let plain = Unicode.Scalar(high) {
        return plain
      }
      index -= 4
      throw error("a Unicode scalar (a lone low surrogate is not one)")
    default:
      index -= 1
      throw error(accepted)
    }
  }

  private mutating func parseHex4() throws(JSONSyntaxError) -> UInt32 {
    var value: UInt32 = 0
    for _ in 0..<4 {
      guard let scalar = current, let digit = hexDigitValue(scalar) ?? hexLetterValue(scalar)
      else { throw error("four hex digits after \\u") }
      value = value << 4 | digit
      index += 1
    }
    return value
  }

  private func hexDigitValue(_ scalar: Unicode.Scalar) -> UInt32? {
    ("0"..."9").contains(scalar) ? scalar.value - 0x30 : nil
  }

  private func hexLetterValue(_ scalar: Unicode.Scalar) -> UInt32? {
    if ("a"..."f").contains(scalar) { return scalar.value - 0x61 + 10 }
    if ("A"..."F").contains(scalar) { return scalar.value - 0x41 + 10 }
    return nil
  }

  private mutating func parseNumber() throws(JSONSyntaxError) -> String {
    let start = index
    if current == "-" { index += 1 }
    if current == "0" {
      index += 1
      if let next = current, ("0"..."9").contains(next) {
        throw error("a number without leading zeros")
      }
    } else {
      try digits()
    }
    if current == "." {
      index += 1
      try digits()
    }
    if current == "e" || current == "E" {
      index += 1
      if current == "+" || current == "-" { index += 1 }
      try digits()
    }
    var literal = String.UnicodeScalarView()
    literal.append(contentsOf: scalars[start..<index])
    return String(literal)
  }

  /// Consumes one or more decimal digits.
  private mutating func digits() throws(JSONSyntaxError) {
    guard let first = current, ("0"..."9").contains(first) else { throw error("a digit") }
    while let scalar = current, ("0"..."9").contains(scalar) { index += 1 }
  }
}

/// Configuration text that is not valid JSON: where, what was found and what was expected.
struct JSONSyntaxError: Error, Hashable, Sendable {
  /// The 1-based position in Unicode scalars.
  var position: Int
  /// What was found there, quoted, or empty at the end of the text.
  var found: String
  /// What would have been accepted there.
  var expected: String
}
