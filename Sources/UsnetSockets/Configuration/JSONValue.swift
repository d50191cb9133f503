/// A JSON value as read from configuration text, keeping what a strict configuration reader
/// needs: object members in document order (duplicates included, so the reader can reject
/// them) and numbers as their literal text (so `24`, `24.0` and `2.4e1` stay distinguishable).
enum JSONValue: Hashable, Sendable {
  /// An object's members in document order.
  case object([JSONMember])
  /// An array's elements.
  case array([JSONValue])
  /// A string, escapes decoded.
  case string(String)
  /// A number, as written in the text.
  case number(String)
  /// `true` or `false`.
  case bool(Bool)
  /// `null`.
  case null

  /// The value as compact JSON text, for messages and for writing configuration back out.
  var jsonText: String {
    switch self {
    case .object(let members):
      let inner = members.map { "\(JSONValue.quoted($0.key)):\($0.value.jsonText)" }
      return "{" + inner.joined(separator: ",") + "}"
    case .array(let elements):
      return "[" + elements.map(\.jsonText).joined(separator: ",") + "]"
    case .string(let string): return JSONValue.quoted(string)
    case .number(let literal): return literal
    case .bool(let value): return value ? "true" : "false"
    case .null: return "null"
    }
  }

  /// The value's JSON text, cut to `limit` characters with `...` appended when longer.
  func excerpt(limit: Int = 60) -> String {
    let text = jsonText
    guard text.count > limit else { return text }
    return String(text.prefix(limit)) + "..."
  }

  /// `string` as a JSON string literal, with the escapes JSON requires.
  static func quoted(_ string: String) -> String {
    var result = "\""
    for scalar in string.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      case "\t": result += "\\t"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          result.unicodeScalars.append(scalar)
        }
      }
    }
    return result + "\""
  }
}

/// One member of a JSON object.
struct JSONMember: Hashable, Sendable {
  /// The member's key, escapes decoded.
  var key: String
  /// The member's value.
  var value: JSONValue
}
