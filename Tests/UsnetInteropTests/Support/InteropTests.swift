import Testing

/// The root-only interop suites, nested here so that they run one test at a time: they build
/// network namespaces, move hundreds of megabytes and time them, and synchronous tests hold
/// one of the test runner's few threads each (two on a 2-core machine), so running them side by
/// side made time limits fire and figures meaningless. Skipped with the reason when not root
/// or a kernel-side program is missing (``interopSkipReason``).
@Suite(
  .serialized, .enabled(if: interopSkipReason == nil, Comment(rawValue: interopSkipReason ?? "")))
enum InteropTests {}
