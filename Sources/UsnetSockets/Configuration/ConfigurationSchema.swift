import UsnetStack
import UsnetWire

/// Helpers that walk a ``JSONValue`` against the `USNET_SOCKETS` schema, throwing a
/// ``ConfigurationError`` that names the field path (like `MacVtapConfig.Create.ipv4.Static.sub`),
/// the value given and what is accepted.
enum ConfigurationSchema {
  /// The field name used for the whole `USNET_SOCKETS` value (the empty path).
  static let rootName = "USNET_SOCKETS"

  /// A misspelling from the original README that is read as the key it meant.
  static let aliases = ["Interface:": "Interface"]

  /// The path `key` inside `path`; the root path is empty.
  static func child(_ path: String, _ key: String) -> String {
    path.isEmpty ? key : path + "." + key
  }

  /// The path as a field name in an error.
  static func field(_ path: String) -> String {
    path.isEmpty ? rootName : path
  }

  /// An error for the value at `path`.
  static func error(
    _ path: String, _ value: JSONValue, _ accepted: String
  ) -> ConfigurationError {
    ConfigurationError(field: field(path), value: value.excerpt(), accepted: accepted)
  }

  /// `"a", "b" and "c"` (or `or`) for messages.
  static func list(_ items: [String], _ conjunction: String = "and") -> String {
    let quoted = items.map(quoted)
    guard quoted.count > 1, let last = quoted.last else { return quoted.first ?? "" }
    return quoted.dropLast().joined(separator: ", ") + " \(conjunction) " + last
  }

  /// `string` as a JSON string literal.
  static func quoted(_ string: String) -> String { JSONValue.quoted(string) }

  /// The members of the object at `path`, which must have exactly the keys in `fields` (each
  /// once); each key comes with what its value accepts, for the error when it is missing.
  static func members(
    _ value: JSONValue, at path: String, fields: [(key: String, accepted: String)]
  ) throws(ConfigurationError) -> [String: JSONValue] {
    let keys = fields.map(\.key)
    let shape = "an object with the keys " + list(keys)
    guard case .object(let members) = value else { throw error(path, value, shape) }
    var result: [String: JSONValue] = [:]
    for member in members {
      guard keys.contains(member.key) else {
        throw ConfigurationError(
          field: field(path), value: "the key \(JSONValue.quoted(member.key))",
          accepted: "only the keys " + list(keys))
      }
      guard result[member.key] == nil else {
        throw ConfigurationError(
          field: child(path, member.key), value: "a second \(quoted(member.key)) key",
          accepted: "each key once")
      }
      result[member.key] = member.value
    }
    for field in fields where result[field.key] == nil {
      throw ConfigurationError(
        field: child(path, field.key), value: "(missing)", accepted: field.accepted)
    }
    return result
  }

  /// Reads an externally tagged enum (serde's default): a bare string for a variant without
  /// data, or an object with exactly one key for a variant with data. Returns the variant's name
  /// and, for a tagged variant, its value and path.
  static func variant(
    _ value: JSONValue, at path: String, units: [String], tagged: [String], accepted: String
  ) throws(ConfigurationError) -> (name: String, payload: JSONValue, path: String) {
    switch value {
    case .string(let name) where units.contains(name):
      return (name, .null, path)
    case .object(let members) where members.count == 1:
      let key = members[0].key
      let name = aliases[key].flatMap { tagged.contains($0) ? $0 : nil } ?? key
      guard tagged.contains(name) else {
        throw ConfigurationError(
          field: field(path), value: "the key \(JSONValue.quoted(key))", accepted: accepted)
      }
      return (name, members[0].value, child(path, name))
    case .object(let members) where members.count > 1:
      throw ConfigurationError(
        field: field(path), value: "an object with the keys " + list(members.map(\.key)),
        accepted: accepted)
    default:
      throw error(path, value, accepted)
    }
  }

  /// The string at `path`.
  static func string(
    _ value: JSONValue, at path: String, accepted: String
  ) throws(ConfigurationError) -> String {
    guard case .string(let string) = value else { throw error(path, value, accepted) }
    return string
  }

  /// The integer at `path`, which must be written without fraction or exponent and lie in
  /// `range`.
  static func integer(
    _ value: JSONValue, at path: String, in range: ClosedRange<Int>, accepted: String
  ) throws(ConfigurationError) -> Int {
    guard case .number(let literal) = value, let number = Int(literal), range.contains(number)
    else { throw error(path, value, accepted) }
    return number
  }

  /// The IPv4 address at `path`, a strict dotted quad in a string.
  static func ipv4Address(
    _ value: JSONValue, at path: String, accepted: String
  ) throws(ConfigurationError) -> IPv4Address {
    guard case .string(let text) = value, let address = IPv4Address(text) else {
      throw error(path, value, accepted)
    }
    return address
  }
}
