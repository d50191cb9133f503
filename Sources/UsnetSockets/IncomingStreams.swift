/// The connections a listener accepts, as a sequence (Rust's `Incoming`).
///
/// Every element is the result of one ``TCPListenerProtocol/accept()``: the stream, or the
/// error. The sequence never ends (`next()` never returns nil), also not after an error, so a
/// `for` loop over it runs until you `break`. Each `next()` blocks as `accept` does.
public struct IncomingStreams<Listener: TCPListenerProtocol>: Sequence, IteratorProtocol,
  Sendable
{
  /// The listener whose connections are accepted.
  public let listener: Listener

  /// Creates the sequence for `listener`.
  public init(listener: Listener) {
    self.listener = listener
  }

  /// Accepts the next connection; never nil.
  public mutating func next() -> Result<Listener.Stream, NetError>? {
    do throws(NetError) {
      return .success(try listener.accept().stream)
    } catch {
      return .failure(error)
    }
  }
}
