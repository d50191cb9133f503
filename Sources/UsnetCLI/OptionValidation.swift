import ArgumentParser

/// The `validate()` of every subcommand with typed settings: parsing the options once up
/// front, so a bad value is reported with the usage, before anything runs.
enum OptionValidation {
  /// Runs `parse`; an option error (a bad value, or two options that conflict) becomes
  /// ArgumentParser's `ValidationError` with the same message.
  static func check(_ parse: () throws -> Void) throws {
    do {
      try parse()
    } catch let error as OptionValueError {
      throw ValidationError(error.description)
    } catch let error as OptionConflictError {
      throw ValidationError(error.description)
    }
  }
}
