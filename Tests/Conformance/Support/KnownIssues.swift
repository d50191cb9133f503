/// The suites of this target, for ``KnownIssues`` keys.
enum ConformanceSuite: String, Sendable {
  /// Rust std's `net/tcp/tests.rs`.
  case tcp
  /// Rust std's `net/udp/tests.rs`.
  case udp
  /// Our own tests of what std does not cover.
  case beyond
}

/// Ported tests that fail on a backend because of a bug in that backend, each with what was
/// expected and what happened. They stay in the suite and show as known issues in the output;
/// remove an entry when its bug is fixed (a known issue that no longer fails fails the run).
enum KnownIssues {
  /// Keyed by "suite/test@backend" or "suite/test@backend@family" (test: the std name).
  static let entries: [String: String] = [:]

  static func issue(
    suite: ConformanceSuite, test: String, backend: BackendID, family: IPFamily
  ) -> String? {
    let key = "\(suite.rawValue)/\(test)@\(backend.rawValue)"
    return entries["\(key)@\(family.rawValue)"] ?? entries[key]
  }
}
