import Foundation
import Synchronization
import UsnetPcap
import UsnetStack
import UsnetWire

/// A ``FrameDevice`` that records every frame another device sends and receives to a pcap
/// file (`USNET_PCAP`), with wall-clock timestamps, then passes it on unchanged.
///
/// Frames are recorded as they cross the device: super-segments (TSO) and GRO'd segments
/// appear as the one large frame they are, and partial checksums as partial (tshark marks
/// them unverified). A write error stops the recording, is counted, and never fails the
/// traffic.
///
/// **Threading:** thread-safe, as ``FrameDevice`` requires; recording takes an internal lock.
/// **Blocking:** only ``wait(until:)`` blocks (in the wrapped device); recording may block
/// briefly on the file. The file is complete once the device is deinitialized or
/// ``finish()`` returns.
public final class PcapRecordingDevice: FrameDevice {
  private struct Recorder {
    var writer: PcapWriter?
    var framesRecorded = 0
    var failure: PcapError?
  }

  /// The wrapped device.
  public let device: any FrameDevice
  /// The pcap file's path.
  public let path: String
  private let recorder: Mutex<Recorder>

  /// Wraps `device`, creating (or truncating) the pcap file at `path`.
  ///
  /// - Throws: `invalidInput` naming `USNET_PCAP` when the file cannot be created.
  public init(recording device: any FrameDevice, to path: String) throws(NetError) {
    let writer: PcapWriter
    do throws(PcapError) {
      writer = try PcapWriter(path: path, linkType: .ethernet)
    } catch {
      throw NetError(.invalidInput, message: "USNET_PCAP: cannot create \(path): \(error)")
    }
    self.device = device
    self.path = path
    recorder = Mutex(Recorder(writer: writer))
  }

  /// Frames written to the file so far.
  public var framesRecorded: Int { recorder.withLock { $0.framesRecorded } }

  /// The write error that stopped the recording, if any.
  public var recordingFailure: PcapError? { recorder.withLock { $0.failure } }

  /// Flushes and closes the file; later frames pass without being recorded. Idempotent.
  public func finish() {
    recorder.withLock { recorder in
      if let writer = recorder.writer {
        do throws(PcapError) {
          try writer.close()
        } catch {
          recorder.failure = recorder.failure ?? error
        }
      }
      recorder.writer = nil
    }
  }

  /// What the wrapped device offloads.
  public var transmitOffloads: TransmitOffloads { device.transmitOffloads }

  /// Records `frame` and sends it through the wrapped device.
  public func send(_ frame: [UInt8]) throws(NetError) {
    record(frame, 0..<frame.count)
    try device.send(frame)
  }

  /// Records `frame` and sends it with `metadata` through the wrapped device.
  public func send(_ frame: [UInt8], metadata: VirtioNetHeader) throws(NetError) {
    record(frame, 0..<frame.count)
    try device.send(frame, metadata: metadata)
  }

  /// Hands the wrapped device's queued frames to the kernel (an AF_PACKET transmit ring sends
  /// nothing until then).
  public func flush() throws(NetError) {
    try device.flush()
  }

  /// Receives through the wrapped device and records what arrived.
  public func receive(into frames: inout [[UInt8]], limit: Int) throws(NetError) -> Int {
    let start = frames.count
    let count = try device.receive(into: &frames, limit: limit)
    for frame in frames[start...] { record(frame, 0..<frame.count) }
    return count
  }

  /// Receives through the wrapped device into `batch` and records what arrived.
  public func receive(into batch: inout FrameBatch, limit: Int) throws(NetError) -> Int {
    let start = batch.count
    let count = try device.receive(into: &batch, limit: limit)
    for index in start..<batch.count {
      let (buffer, range, _) = batch.frame(at: index)
      record(buffer, range)
    }
    return count
  }

  /// Completes the file (``finish()``) and passes the shutdown on to the wrapped device.
  public func runtimeDidShutDown() {
    finish()
    device.runtimeDidShutDown()
  }

  /// Waits in the wrapped device.
  public func wait(until deadline: ContinuousClock.Instant?) throws(NetError) {
    try device.wait(until: deadline)
  }

  /// Wakes the wrapped device.
  public func wake() {
    device.wake()
  }

  private func record(_ frame: [UInt8], _ range: Range<Int>) {
    let nanoseconds = Int64(Date().timeIntervalSince1970 * 1e9)
    recorder.withLock { recorder in
      guard let writer = recorder.writer else { return }
      do throws(PcapError) {
        try writer.write(frame, range: range, timestampNanoseconds: nanoseconds)
        recorder.framesRecorded += 1
      } catch {
        recorder.failure = error
        recorder.writer = nil
      }
    }
  }
}
