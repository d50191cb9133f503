import UsnetSockets

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
