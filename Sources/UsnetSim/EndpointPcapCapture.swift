import Synchronization
import UsnetPcap
import UsnetStack

/// A ``FrameCapture`` that writes one switch port's traffic into one pcap file, both directions,
/// as the endpoint's own interface sees it (like `tcpdump` on that host): the frames it sent
/// before the link's impairments and the frames delivered to it after them. Timestamps are the
/// simulation's instants in nanoseconds (Ethernet, nanosecond pcap).
///
/// The file is created by ``init(path:port:snapLength:)``, so a bad path fails at once. Writing
/// never traps: the first write error is kept in ``error`` and later frames are ignored. Call
/// ``close()`` at the end to flush the file.
///
/// Threading: thread-safe (a lock guards the writer), so a simulation thread can capture while
/// another thread reads ``framesWritten`` or closes the file once that thread is done.
///
/// Blocking: each captured frame is a buffered (stdio) write on the calling thread.
public final class EndpointPcapCapture: FrameCapture, Sendable {
  private struct State {
    var writer: PcapWriter?
    var error: PcapError?
    var framesWritten = 0
  }

  /// The file written.
  public let path: String
  /// The switch port whose frames are written.
  public let port: Int
  private let state: Mutex<State>

  /// Creates (or truncates) the pcap file at `path` for the frames of switch port `port`,
  /// keeping at most `snapLength` bytes of each frame. Blocks for the file creation.
  ///
  /// - Throws: `PcapError` when the file cannot be created.
  public init(path: String, port: Int, snapLength: Int = 262_144) throws(PcapError) {
    self.path = path
    self.port = port
    let writer = try PcapWriter(path: path, linkType: .ethernet, snapLength: snapLength)
    state = Mutex(State(writer: writer))
  }

  /// Frames written so far.
  public var framesWritten: Int { state.withLock { $0.framesWritten } }

  /// The first error writing or closing the file, if any.
  public var error: PcapError? { state.withLock { $0.error } }

  /// Writes the frame when it crossed this capture's port, in either direction.
  public func capture(
    frame: [UInt8], range: Range<Int>, port: Int, direction: PortDirection, at time: Instant
  ) {
    guard port == self.port else { return }
    state.withLock { state in
      guard let writer = state.writer else { return }
      do throws(PcapError) {
        try writer.write(frame, range: range, timestampNanoseconds: time.nanoseconds)
        state.framesWritten += 1
      } catch {
        state.error = error
        state.writer = nil
        try? writer.close()
      }
    }
  }

  /// Flushes and closes the file; later frames are ignored. Idempotent. Returns ``error``,
  /// which now includes a failure to flush.
  @discardableResult
  public func close() -> PcapError? {
    state.withLock { state in
      if let writer = state.writer {
        state.writer = nil
        do throws(PcapError) {
          try writer.close()
        } catch {
          state.error = state.error ?? error
        }
      }
      return state.error
    }
  }
}
