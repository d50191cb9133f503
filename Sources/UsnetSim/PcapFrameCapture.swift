import UsnetPcap
import UsnetStack

/// A ``FrameCapture`` that records every frame into pcap files, one file per switch port and
/// direction, with the simulation's virtual time as the timestamp (nanosecond pcap, Ethernet).
///
/// The files are named after a base path: `out.pcap` gives `out-port0-to-switch.pcap`
/// (what port 0's endpoint sent, before the link's impairments), `out-port0-to-endpoint.pcap`
/// (what was delivered to it, after them), and so on per port. A base path without a `.pcap`
/// extension gets the suffix appended (`trace` gives `trace-port0-to-switch.pcap`). A file is
/// created when the first frame for its port and direction arrives, so a port and direction
/// that carries nothing has no file. Timestamps count from the virtual clock's origin, so a
/// seed reproduces the files byte for byte.
///
/// Writing never traps: the first error of each file is kept in ``errors``, and that file takes
/// no more frames. Call ``close()`` at the end to flush every file and collect the errors.
///
/// Threading: not thread-safe; called on the thread that drives the ``Simulation``.
///
/// Blocking: each captured frame is a buffered (stdio) write on that thread.
public final class PcapFrameCapture: FrameCapture {
  /// The base path the file names derive from.
  public let basePath: String
  /// The most bytes kept per frame.
  public let snapLength: Int
  /// Errors so far: at most one per file, in the order they happened.
  public private(set) var errors: [PcapError] = []
  /// Frames written so far, over all files.
  public private(set) var framesWritten = 0

  private struct Key: Hashable {
    var port: Int
    var direction: PortDirection
  }

  private enum Slot {
    case open(PcapWriter)
    case failed
  }

  private var slots: [Key: Slot] = [:]
  private var created: [(key: Key, path: String)] = []
  private var closed = false

  /// A capture writing files named after `basePath`, keeping at most `snapLength` bytes of
  /// each frame.
  public init(basePath: String, snapLength: Int = 262_144) {
    self.basePath = basePath
    self.snapLength = snapLength
  }

  /// The file that holds the frames of `port` in `direction` (whether or not it exists yet).
  public func path(port: Int, direction: PortDirection) -> String {
    Self.path(base: basePath, port: port, direction: direction)
  }

  /// The file name for `port` and `direction` derived from `base`.
  public static func path(base: String, port: Int, direction: PortDirection) -> String {
    let stem = base.hasSuffix(".pcap") ? String(base.dropLast(".pcap".count)) : base
    return "\(stem)-port\(port)-\(direction.fileLabel).pcap"
  }

  /// The files created so far, ordered by port, then direction (to switch first).
  public var files: [String] {
    created.sorted {
      ($0.key.port, $0.key.direction.rawValue) < ($1.key.port, $1.key.direction.rawValue)
    }.map(\.path)
  }

  /// Writes the frame to its port's and direction's file, creating the file on first use.
  public func capture(
    frame: [UInt8], range: Range<Int>, port: Int, direction: PortDirection, at time: Instant
  ) {
    guard !closed else { return }
    let key = Key(port: port, direction: direction)
    let writer: PcapWriter
    switch slots[key] {
    case .open(let existing):
      writer = existing
    case .failed:
      return
    case nil:
      let path = path(port: port, direction: direction)
      do {
        writer = try PcapWriter(path: path, linkType: .ethernet, snapLength: snapLength)
      } catch {
        slots[key] = .failed
        errors.append(error)
        return
      }
      slots[key] = .open(writer)
      created.append((key, path))
    }
    do {
      try writer.write(frame, range: range, timestampNanoseconds: time.nanoseconds)
      framesWritten += 1
    } catch {
      slots[key] = .failed
      errors.append(error)
      try? writer.close()
    }
  }

  /// Flushes and closes every file. Later frames are ignored. Returns ``errors``, which now
  /// include any failure to flush.
  @discardableResult
  public func close() -> [PcapError] {
    guard !closed else { return errors }
    closed = true
    for (key, _) in created {
      guard case .open(let writer) = slots[key] else { continue }
      do {
        try writer.close()
      } catch {
        errors.append(error)
      }
      slots[key] = .failed
    }
    return errors
  }
}

extension PortDirection {
  /// The direction's part of a capture file name: `to-switch` or `to-endpoint`.
  public var fileLabel: String {
    switch self {
    case .toSwitch: "to-switch"
    case .toEndpoint: "to-endpoint"
    }
  }
}
