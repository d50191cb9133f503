/// Which way a frame crosses a ``StackPairLink``.
public enum LinkDirection: Sendable, Hashable {
  /// From the first stack to the second.
  case aToB
  /// From the second stack to the first.
  case bToA
}
