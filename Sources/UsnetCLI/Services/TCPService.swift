import UsnetSockets

/// A test service of `usnet serve`: what it does with one accepted TCP connection.
///
/// Services work on any ``TCPStreamProtocol`` (userspace, single-thread or kernel sockets).
/// Threading: a service value is immutable and `Sendable`; ``serve(_:)`` may run on many
/// threads at once, one connection each.
public protocol TCPService: Sendable {
  /// The service's name in logs, like `echo`.
  var name: String { get }

  /// Serves one accepted connection until the service is done with it, then closes it.
  /// Blocks the calling thread for the whole conversation.
  ///
  /// - Returns: the bytes read from and written to the peer.
  /// - Throws: the first socket error that ended the conversation early (the stream is closed
  ///   all the same).
  func serve<Stream: TCPStreamProtocol>(_ stream: Stream) throws(NetError) -> ConnectionTally
}

/// The bytes one connection carried, as a service saw them. A plain value.
public struct ConnectionTally: Sendable, Hashable {
  /// Bytes read from the peer.
  public var bytesReceived = 0
  /// Bytes written to the peer.
  public var bytesSent = 0

  /// A tally of `bytesReceived` and `bytesSent`.
  public init(bytesReceived: Int = 0, bytesSent: Int = 0) {
    self.bytesReceived = bytesReceived
    self.bytesSent = bytesSent
  }
}

extension TCPStreamProtocol {
  /// Reads into `buffer`, retrying when interrupted; 0 at the end of the stream. Blocks as
  /// ``TCPStreamProtocol/read(into:)``.
  func readRetrying(into buffer: inout [UInt8]) throws(NetError) -> Int {
    while true {
      do throws(NetError) {
        return try read(into: &buffer)
      } catch {
        if error.kind != .interrupted { throw error }
      }
    }
  }

  /// Writes `buffer[range]` completely. Blocks as ``TCPStreamProtocol/writeAll(_:)``.
  func writeAll(_ buffer: [UInt8], range: Range<Int>) throws(NetError) {
    var offset = range.lowerBound
    while offset < range.upperBound {
      let count: Int
      do throws(NetError) {
        count = try write(buffer, range: offset..<range.upperBound)
      } catch {
        if error.kind == .interrupted { continue }
        throw error
      }
      guard count > 0 else {
        throw NetError(.writeZero, message: "failed to write whole buffer")
      }
      offset += count
    }
  }
}
