import UsnetStack

extension NetError {
  /// The socket error for a rejected configuration: `invalidInput`, with the configuration
  /// error's text (`field: value is not accepted; expected …`) as the message.
  public init(_ error: ConfigurationError) {
    self.init(.invalidInput, message: error.description)
  }
}
