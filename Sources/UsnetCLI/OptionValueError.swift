/// A command-line value that does not parse or is out of range: names the option, quotes the
/// value and says what is accepted.
public struct OptionValueError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The option as written on the command line, like `--loss`.
  public var option: String
  /// The value as given.
  public var value: String
  /// What the option accepts, like "a percentage from 0% to 100%, like 1% or 0.5%".
  public var expected: String

  /// Creates an error for `value` given to `option`, which accepts `expected`.
  public init(option: String, value: String, expected: String) {
    self.option = option
    self.value = value
    self.expected = expected
  }

  /// `invalid value "<value>" for <option>: expected <expected>`.
  public var description: String {
    "invalid value \"\(value)\" for \(option): expected \(expected)"
  }
}

/// Two options that cannot be combined, or one that needs another.
public struct OptionConflictError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The explanation, naming the options.
  public var message: String

  /// Creates an error with `message`.
  public init(_ message: String) {
    self.message = message
  }

  /// The message.
  public var description: String { message }
}
