import Testing
import UsnetSockets

/// A failed check inside a conformance body. Bodies run on their own OS threads, where
/// `#expect` has no test to report to, so they throw this instead; the test rethrows it.
struct ConformanceFailure: Error, CustomStringConvertible {
  let description: String

  init(_ message: String, _ location: SourceLocation) {
    description = "\(message) (\(location.fileID):\(location.line))"
  }
}

/// Fails with `message` unless `condition` holds (Rust's `assert!`).
func check(
  _ condition: Bool, _ message: @autoclosure () -> String,
  sourceLocation: SourceLocation = #_sourceLocation
) throws {
  if !condition { throw ConformanceFailure(message(), sourceLocation) }
}

/// Fails unless `actual == expected` (Rust's `assert_eq!`).
func checkEqual<T: Equatable>(
  _ actual: T, _ expected: T, _ what: String,
  sourceLocation: SourceLocation = #_sourceLocation
) throws {
  if actual != expected {
    throw ConformanceFailure(
      "\(what): expected \(expected), got \(actual)", sourceLocation)
  }
}

/// Runs `body` and captures its error, which must be a ``NetError`` (the socket calls throw
/// nothing else); any other error is rethrown.
func outcome<R>(_ body: () throws -> R) throws -> Result<R, NetError> {
  do {
    return .success(try body())
  } catch let error as NetError {
    return .failure(error)
  }
}

/// Runs `body`, which must fail with one of `kinds`; returns the error.
@discardableResult
func checkError<R>(
  _ kinds: Set<NetError.Kind>, _ what: String,
  sourceLocation: SourceLocation = #_sourceLocation,
  _ body: () throws -> R
) throws -> NetError {
  switch try outcome(body) {
  case .success(let value):
    throw ConformanceFailure(
      "\(what): expected an error of kind \(kindList(kinds)), got success (\(value))",
      sourceLocation)
  case .failure(let error):
    if !kinds.contains(error.kind) {
      throw ConformanceFailure(
        "\(what): expected an error of kind \(kindList(kinds)), got \(error)", sourceLocation)
    }
    return error
  }
}

/// Runs `body`, which must fail (any kind); returns the error.
@discardableResult
func checkFails<R>(
  _ what: String, sourceLocation: SourceLocation = #_sourceLocation,
  _ body: () throws -> R
) throws -> NetError {
  switch try outcome(body) {
  case .success(let value):
    throw ConformanceFailure("\(what): expected an error, got success (\(value))", sourceLocation)
  case .failure(let error):
    return error
  }
}

private func kindList(_ kinds: Set<NetError.Kind>) -> String {
  kinds.map(\.name).sorted().joined(separator: " or ")
}
