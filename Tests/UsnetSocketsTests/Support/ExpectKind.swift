import Testing
import UsnetSockets

/// Runs `body`, expects it to throw a ``NetError`` whose kind is one of `kinds`, and returns
/// the error.
@discardableResult
func expectNetError<Result>(
  _ kinds: NetError.Kind..., sourceLocation: SourceLocation = #_sourceLocation,
  _ body: () throws(NetError) -> Result
) -> NetError? {
  do throws(NetError) {
    let result = try body()
    Issue.record("expected \(kinds), got \(result)", sourceLocation: sourceLocation)
    return nil
  } catch {
    #expect(kinds.contains(error.kind), "\(error)", sourceLocation: sourceLocation)
    return error
  }
}
