import Synchronization
import UsnetDevice
import UsnetStack
import UsnetWire

/// A TAP (`/dev/net/tun`) as the ``FrameDevice`` of a ``UserspaceRuntime`` or
/// ``SingleThreadRuntime``, with the virtio-net header and offloads when the kernel grants
/// them.
///
/// Opening asks for `IFF_VNET_HDR` and then for each set of offloads in turn
/// (``defaultOffloadPreferences``: checksum plus TSO4, then checksum only), falling back to
/// no offloads, and to no header, when the kernel refuses. With checksum offload the kernel
/// hands over its own packets with partial checksums and, with TSO4, TCP segments of up to
/// 64 KB; each frame's header travels to the stack, which accepts them. In the other
/// direction the stack then leaves TCP checksums partial and, with TSO4, sends super-segments
/// that the kernel cuts into MSS-sized segments (``transmitOffloads``).
///
/// Receiving drains the TAP until `EAGAIN` or the runtime's batch limit, into buffers the
/// runtime reuses (nothing is allocated per frame). Waiting is one `ppoll` on the TAP and an
/// eventfd that ``wake()`` signals.
///
/// **Threading:** thread-safe, as ``FrameDevice`` requires: sends and receives take an
/// internal lock (the runtime already serializes them), ``wait(until:)`` polls without it,
/// ``wake()`` is callable from any thread. **Blocking:** only ``wait(until:)`` blocks. The TAP
/// fd closes when the device is deinitialized (after the runtime using it is gone).
public final class TAPFrameDevice: FrameDevice {
  private struct State {
    var tap: TAPDevice
    var header: [UInt8]
    var statistics = TAPFrameDeviceStatistics()
  }

  /// Offloads to ask for, best first: checksum with TSO4, then checksum alone.
  public static let defaultOffloadPreferences: [TAPOffloads] = [
    [.checksum, .tcpSegmentation4], [.checksum],
  ]

  /// The frame length an Ethernet frame without offloads never exceeds (1500-byte MTU).
  static let plainEthernetFrameLength = 1514

  private let state: Mutex<State>
  private let readiness: DescriptorReadiness
  private let frameCapacity: Int

  /// The TAP's name.
  public let name: String
  /// The length of the virtio-net header on each frame; 0 when the kernel refused it (or it
  /// was not asked for).
  public let virtioNetHeaderLength: Int
  /// The offloads the kernel granted for frames it hands over.
  public let offloads: TAPOffloads
  /// What the stack may leave to the kernel on transmit: TCP checksums with
  /// ``TAPOffloads/checksum``, TSO with ``TAPOffloads/tcpSegmentation4`` as well.
  public let transmitOffloads: TransmitOffloads

  /// Opens the TAP `name` (created if missing, in the calling thread's network namespace)
  /// and negotiates its header and offloads. Blocks only for the open and ioctls.
  ///
  /// - Parameters:
  ///   - virtioNetHeader: ask for `IFF_VNET_HDR`; without it there are no offloads.
  ///   - offloads: the sets to ask for, best first; `[]` keeps offloads off.
  /// - Throws: ``NetError`` from `open(/dev/net/tun)`, `ioctl(TUNSETIFF)` (permission: root
  ///   or CAP_NET_ADMIN), `eventfd`.
  public convenience init(
    name: String, virtioNetHeader: Bool = true,
    offloads: [TAPOffloads] = TAPFrameDevice.defaultOffloadPreferences
  ) throws(NetError) {
    let tap: TAPDevice
    do {
      tap = try TAPDevice.open(name: name, virtioNetHeader: virtioNetHeader)
    } catch {
      throw NetError(error)
    }
    try self.init(device: tap, offloads: offloads)
  }

  /// Takes over an opened TAP (for example one opened on a thread that entered another
  /// network namespace) and negotiates its offloads; closes it when deinitialized.
  ///
  /// - Throws: ``NetError`` from `ioctl(TUNSETOFFLOAD)` when even turning offloads off fails,
  ///   or from `eventfd`.
  public init(device: sending TAPDevice, offloads preferences: [TAPOffloads]) throws(NetError) {
    do {
      offloads = try device.negotiateOffloads(preferences)
      readiness = try DescriptorReadiness(descriptor: device.fileDescriptor)
    } catch {
      throw NetError(error)
    }
    name = device.name
    virtioNetHeaderLength = device.virtioNetHeaderLength
    frameCapacity = TAPDevice.maximumFrameLength + virtioNetHeaderLength
    var transmit: TransmitOffloads = []
    if offloads.contains(.checksum) {
      transmit.insert(.tcpChecksum)
      if offloads.contains(.tcpSegmentation4) { transmit.insert(.tcpSegmentation) }
    }
    transmitOffloads = transmit
    let header = [UInt8](repeating: 0, count: virtioNetHeaderLength)
    state = Mutex(State(tap: device, header: header))
  }

  /// A snapshot of the frame counters. Blocks only for the internal lock.
  public var statistics: TAPFrameDeviceStatistics { state.withLock { $0.statistics } }

  /// Sends `frame` without offloads (``send(_:metadata:)`` with an all-zero header).
  public func send(_ frame: [UInt8]) throws(NetError) {
    try send(frame, metadata: VirtioNetHeader())
  }

  /// Writes `frame` with `metadata` in front (one `writev`) when the TAP has a virtio-net
  /// header, else the bare frame. Does not block: when the kernel's queue is full the frame
  /// is dropped and the error says so.
  ///
  /// - Throws: ``NetError`` from `writev`/`write` (EAGAIN, EINVAL for metadata the kernel
  ///   rejects), or `invalidInput` for offload metadata on a TAP without a header.
  public func send(_ frame: [UInt8], metadata: VirtioNetHeader) throws(NetError) {
    try state.withLock { state throws(NetError) in
      if state.header.isEmpty && metadata != VirtioNetHeader() {
        throw NetError(
          .invalidInput, message: "offload metadata for a TAP without a virtio-net header")
      }
      do throws(DeviceError) {
        if state.header.isEmpty {
          try state.tap.writeFrame(frame, range: 0..<frame.count)
        } else {
          metadata.emit(into: &state.header, at: 0, length: state.header.count)
          try state.tap.writeFrame(header: state.header, frame, range: 0..<frame.count)
        }
      } catch {
        throw NetError(error)
      }
      state.statistics.recordSent(frame, metadata: metadata)
    }
  }

  /// Reads up to `limit` frames (until `EAGAIN`) into reused buffers of `batch`, each with
  /// the metadata of its virtio-net header. Never blocks.
  ///
  /// - Throws: ``NetError`` from `read`.
  public func receive(into batch: inout FrameBatch, limit: Int) throws(NetError) -> Int {
    let capacity = frameCapacity
    return try state.withLock { state throws(NetError) in
      let headerLength = state.header.count
      var received = 0
      while received < limit {
        let filled: Bool
        do throws(DeviceError) {
          filled = try batch.fillNext(capacity: capacity) { buffer throws(DeviceError) in
            guard let count = try state.tap.readFrame(into: &buffer, range: 0..<capacity) else {
              return nil
            }
            let start = Swift.min(headerLength, count)
            let metadata =
              (try? VirtioNetHeader.parse(buffer, at: 0, length: headerLength))
              ?? VirtioNetHeader()
            return (start..<count, headerLength == 0 ? VirtioNetHeader() : metadata)
          }
        } catch {
          throw NetError(error)
        }
        guard filled else { break }
        received += 1
        state.statistics.recordReceived(batch.frame(at: batch.count - 1))
      }
      return received
    }
  }

  /// Appends up to `limit` frames as separate arrays (copies), without their metadata: a
  /// frame with a partial checksum then looks corrupt. The runtime uses
  /// the batch form of `receive(into:limit:)` instead.
  ///
  /// - Throws: ``NetError`` from `read`.
  public func receive(into frames: inout [[UInt8]], limit: Int) throws(NetError) -> Int {
    var batch = FrameBatch()
    let count = try receive(into: &batch, limit: limit)
    batch.appendCopies(to: &frames)
    return count
  }

  /// Blocks in `ppoll` until the TAP is readable, ``wake()`` was called since the last wait,
  /// or `deadline` passes (nil: no deadline). May return early (a signal handler).
  ///
  /// - Throws: ``NetError`` from `ppoll` or the eventfd.
  public func wait(until deadline: ContinuousClock.Instant?) throws(NetError) {
    try readiness.wait(until: deadline)
  }

  /// Signals the eventfd, so the current or next ``wait(until:)`` returns. Never blocks.
  public func wake() {
    readiness.wake()
  }
}
