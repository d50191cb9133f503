import Synchronization
import UsnetDevice
import UsnetStack
import UsnetWire

/// An `AF_PACKET` socket on an existing interface (the configuration's `RawConfig`) as the
/// ``FrameDevice`` of a ``UserspaceRuntime`` or ``SingleThreadRuntime``: PACKET_MMAP rings,
/// a kernel filter that lets through only frames for the stack's MAC, broadcast and
/// multicast, and the virtio-net header when the kernel grants it.
///
/// Opening looks the interface up over rtnetlink (index, MAC, MTU) and opens a
/// ``PacketSocket`` on it (`PACKET_VNET_HDR`, the ``DestinationFilter``, a TPACKET_V3 receive
/// ring and a transmit ring by default). The stack may use the interface's own MAC or another
/// one (``hardwareAddress``); with another one the interface's kernel sees the stack's frames
/// as addressed to another host and leaves them alone (lab note G9), as long as it has no
/// address of the stack's. With the header, frames from a kernel peer arrive as they were
/// queued: GSO super-frames and partial checksums (lab note G4) whose metadata goes to the
/// stack, and the stack may send TSO super-segments with partial checksums
/// (``transmitOffloads``).
///
/// Receiving copies up to the runtime's batch limit out of the ring into buffers the runtime
/// reuses; sending fills transmit slots that ``flush()`` hands to the kernel with one system
/// call per round. Waiting is one `ppoll` on the socket and an eventfd that ``wake()``
/// signals. A TPACKET_V3 block reaches the reader when it is full or its retire timeout
/// passes, so under light load a frame can wait for that timeout (see
/// ``PacketRingLayout/retireTimeoutMilliseconds``).
///
/// **Threading:** thread-safe, as ``FrameDevice`` requires: sends, receives, flushes and
/// statistics take an internal lock (the runtime already serializes them), ``wait(until:)``
/// polls without it, ``wake()`` is callable from any thread. **Blocking:** only
/// ``wait(until:)`` blocks (and the initializer, for netlink). The socket closes when the
/// device is deinitialized (after the runtime using it is gone).
public final class PacketFrameDevice: FrameDevice {
  private struct State {
    var socket: PacketSocket
    var header: [UInt8]
    var frames = TAPFrameDeviceStatistics()
  }

  private let state: Mutex<State>
  private let readiness: DescriptorReadiness
  private let frameCapacity: Int

  /// The interface's name.
  public let interfaceName: String
  /// The interface's index in the namespace the device was opened in.
  public let interfaceIndex: UInt32
  /// The interface's MTU, for the stack's configuration.
  public let mtu: Int
  /// The MAC address the filter accepts: the stack's.
  public let hardwareAddress: MACAddress
  /// The length of the virtio-net header on each frame; 0 when the kernel refused it (or it
  /// was not asked for).
  public let virtioNetHeaderLength: Int
  /// The rings in use, or nil for plain reads and writes.
  public let rings: PacketRingLayout?
  /// What the stack may leave to the kernel on transmit: TCP checksums and TSO with the
  /// virtio-net header (TSO only when a transmit slot holds a 64 KB frame), nothing without.
  public let transmitOffloads: TransmitOffloads

  /// Opens an `AF_PACKET` socket on `interface`, in the calling thread's network namespace.
  /// Blocks for the netlink lookup and the socket's set-up.
  ///
  /// - Parameters:
  ///   - interface: the interface, by name or index.
  ///   - hardwareAddress: the stack's MAC; nil takes the interface's.
  ///   - virtioNetHeader: ask for `PACKET_VNET_HDR` (falling back to none when refused).
  ///   - rings: the PACKET_MMAP rings; nil for plain reads (with an 8 MB receive buffer) and
  ///     `writev`.
  /// - Throws: ``NetError`` from netlink (ENODEV for an unknown interface), `socket` (EPERM
  ///   without CAP_NET_RAW), the socket options, `mmap` or `bind`, `eventfd`, or
  ///   `invalidInput` for an interface without a 6-byte MAC when none is given.
  public init(
    interface: LinkReference, hardwareAddress chosenAddress: MACAddress? = nil,
    virtioNetHeader: Bool = true,
    rings: PacketRingLayout? = .standard
  ) throws(NetError) {
    let link: LinkFacts
    let socket: PacketSocket
    let address: MACAddress
    do throws(DeviceError) {
      let netlink = try NetlinkSocket.open()
      defer { try? netlink.close() }
      link = try netlink.link(interface)
      if let chosenAddress {
        address = chosenAddress
      } else if let bytes = link.hardwareAddress, bytes.count == 6 {
        address = MACAddress(reading: bytes, at: 0)
      } else {
        throw DeviceError(
          call: "PacketFrameDevice", errno: 22, detail: "\(interface) has no 6-byte MAC address")
      }
      var bytes = [UInt8](repeating: 0, count: 6)
      address.write(to: &bytes, at: 0)
      socket = try PacketSocket.open(
        interfaceIndex: link.index, acceptingDestination: bytes,
        virtioNetHeader: virtioNetHeader, rings: rings)
      readiness = try DescriptorReadiness(descriptor: socket.fileDescriptor)
    } catch {
      throw NetError(error)
    }
    interfaceName = link.name
    interfaceIndex = link.index
    mtu = link.mtu
    hardwareAddress = address
    virtioNetHeaderLength = socket.virtioNetHeaderLength
    self.rings = socket.rings
    frameCapacity = TAPDevice.maximumFrameLength + virtioNetHeaderLength
    var transmit: TransmitOffloads = []
    if virtioNetHeaderLength > 0 {
      transmit.insert(.tcpChecksum)
      let slot = socket.hasTransmitRing ? socket.rings?.largestTransmittedFrame ?? 0 : .max
      if slot >= frameCapacity { transmit.insert(.tcpSegmentation) }
    }
    transmitOffloads = transmit
    let header = [UInt8](repeating: 0, count: virtioNetHeaderLength)
    state = Mutex(State(socket: socket, header: header))
  }

  /// A snapshot of the counters, with the kernel's read now (`PACKET_STATISTICS`). Blocks
  /// only for the internal lock and one `getsockopt`.
  ///
  /// - Throws: ``NetError`` from `getsockopt`.
  public func readStatistics() throws(NetError) -> PacketFrameDeviceStatistics {
    try state.withLock { state throws(NetError) in
      var statistics = PacketFrameDeviceStatistics()
      statistics.frames = state.frames
      do throws(DeviceError) {
        statistics.socket = try state.socket.readStatistics()
      } catch {
        throw NetError(error)
      }
      return statistics
    }
  }

  /// Sends `frame` without offloads (``send(_:metadata:)`` with an all-zero header).
  public func send(_ frame: [UInt8]) throws(NetError) {
    try send(frame, metadata: VirtioNetHeader())
  }

  /// Queues `frame` with `metadata` in front (when the socket has a virtio-net header) in the
  /// transmit ring, or writes it at once without one. Does not block: when every transmit
  /// slot is still the kernel's, the frame is dropped and the error says so.
  ///
  /// - Throws: ``NetError`` from the socket (EAGAIN, EMSGSIZE, `writev` or `send` errors), or
  ///   `invalidInput` for offload metadata on a socket without a header.
  public func send(_ frame: [UInt8], metadata: VirtioNetHeader) throws(NetError) {
    try state.withLock { state throws(NetError) in
      if state.header.isEmpty && metadata != VirtioNetHeader() {
        throw NetError(
          .invalidInput, message: "offload metadata for a packet socket without a header")
      }
      if !state.header.isEmpty {
        metadata.emit(into: &state.header, at: 0, length: state.header.count)
      }
      do throws(DeviceError) {
        try state.socket.sendFrame(header: state.header, frame, range: 0..<frame.count)
      } catch {
        throw NetError(error)
      }
      state.frames.recordSent(frame, metadata: metadata)
    }
  }

  /// Hands the queued transmit slots to the kernel with one `send`. Does not block.
  ///
  /// - Throws: ``NetError`` from `send`.
  public func flush() throws(NetError) {
    try state.withLock { state throws(NetError) in
      do throws(DeviceError) {
        try state.socket.flush()
      } catch {
        throw NetError(error)
      }
    }
  }

  /// Copies up to `limit` received frames into reused buffers of `batch`, each with the
  /// metadata of its virtio-net header. Never blocks.
  ///
  /// - Throws: ``NetError`` from the socket: EBADMSG for a corrupt receive block (skipped;
  ///   the next call goes on with the next block), `read` errors without rings.
  public func receive(into batch: inout FrameBatch, limit: Int) throws(NetError) -> Int {
    let capacity = frameCapacity
    return try state.withLock { state throws(NetError) in
      let headerLength = state.header.count
      var received = 0
      do throws(DeviceError) {
        while received < limit,
          try batch.fillNext(
            capacity: capacity,
            { buffer throws(DeviceError) in
              try state.socket.readFrame(into: &buffer, range: 0..<capacity).map { count in
                let metadata =
                  headerLength == 0
                  ? VirtioNetHeader()
                  : (try? VirtioNetHeader.parse(buffer, at: 0, length: headerLength))
                    ?? VirtioNetHeader()
                return (Swift.min(headerLength, count)..<count, metadata)
              }
            })
        {
          received += 1
          state.frames.recordReceived(batch.frame(at: batch.count - 1))
        }
      } catch {
        throw NetError(error)
      }
      return received
    }
  }

  /// Appends up to `limit` frames as separate arrays (copies), without their metadata; the
  /// runtime uses the batch form of `receive(into:limit:)` instead.
  ///
  /// - Throws: what the batch form throws.
  public func receive(into frames: inout [[UInt8]], limit: Int) throws(NetError) -> Int {
    var batch = FrameBatch()
    let count = try receive(into: &batch, limit: limit)
    batch.appendCopies(to: &frames)
    return count
  }

  /// Blocks in `ppoll` until the socket is readable (a receive block was handed over),
  /// ``wake()`` was called since the last wait, or `deadline` passes (nil: no deadline). May
  /// return early (a signal handler).
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
