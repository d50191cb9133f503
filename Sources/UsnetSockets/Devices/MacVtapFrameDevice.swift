import Synchronization
import UsnetDevice
import UsnetStack
import UsnetWire

/// A macvtap as the ``FrameDevice`` of a ``UserspaceRuntime`` or ``SingleThreadRuntime``:
/// either one it creates on a parent link (and deletes again), or an existing one it attaches
/// to (and leaves in place).
///
/// A macvtap's character device is a queue of the kernel's `tap` driver, the same interface
/// as a TAP, so frames go through a ``TAPFrameDevice`` on it: the same virtio-net header and
/// offload negotiation (``TAPFrameDevice/defaultOffloadPreferences``), the same metadata to
/// and from the stack, batch receive into reused buffers and one `ppoll` on the device and an
/// eventfd. The fd is opened with ``TAPDevice/openMacvtap(_:virtioNetHeader:)``: through a
/// private device node, with the device number from a private sysfs of the calling thread's
/// network namespace, so it works on a thread that entered a namespace with `setns` or
/// ``NetworkNamespace/unshareCurrentThread()``.
///
/// Links are created, queried and deleted through rtnetlink in the namespace of the thread
/// that calls the initializer; the facts the runtime needs (``macAddress``, ``mtu``,
/// ``link``) come from there. A created macvtap is deleted by ``close()`` or, failing that,
/// when the device is deinitialized (``LinkCleanup``); a process ended by a signal runs
/// neither (see ``LinkCleanup`` for what a program does about that).
///
/// **Threading:** thread-safe, as ``FrameDevice`` requires (see ``TAPFrameDevice``);
/// ``close()`` may be called from any thread but only once the runtime using the device has
/// shut down. **Blocking:** the initializers and ``close()`` block for netlink requests and
/// ioctls; ``wait(until:)`` blocks in `ppoll`; nothing else blocks.
public final class MacVtapFrameDevice: FrameDevice {
  private let frames: TAPFrameDevice
  /// The cleanup that deletes the created macvtap; nil for an attached one or after close.
  private let ownedLink: Mutex<LinkCleanup?>

  /// The macvtap's facts as they were once it was up and opened: name, index (`ifindex`),
  /// MTU, MAC, parent index and mode.
  public let link: LinkFacts
  /// The macvtap's MAC address: the stack's own address on this device. In passthru mode it
  /// is the parent's.
  public let macAddress: MACAddress
  /// Whether the device created the macvtap and deletes it on ``close()`` or deinit.
  public let ownsLink: Bool

  /// Creates the macvtap `name` on the link `parent` in `mode` and opens it. With
  /// `macAddress` nil the kernel picks a random MAC (bridge, VEPA and private modes) or the
  /// macvtap takes the parent's (passthru mode, which accepts no other). The macvtap is set
  /// up; the parent's state is the caller's (it must be up for frames to flow). Anything
  /// that fails after the macvtap was created deletes it again.
  ///
  /// - Parameters:
  ///   - virtioNetHeader: keep the virtio-net header; without it there are no offloads.
  ///   - offloads: the sets to ask for, best first; `[]` keeps offloads off.
  /// - Throws: ``NetError``: `invalidInput` for a bad name, a multicast MAC or a MAC in
  ///   passthru mode (before any change), and what `RTM_NEWLINK` (EEXIST for a name in use,
  ///   ENODEV for an unknown parent, EBUSY for a parent in use in passthru mode, EPERM
  ///   without CAP_NET_ADMIN), `RTM_SETLINK` and
  ///   ``TAPDevice/openMacvtap(_:virtioNetHeader:)`` report.
  public convenience init(
    creating name: String, on parent: String, mode: MacvtapMode, macAddress: MACAddress? = nil,
    virtioNetHeader: Bool = true,
    offloads: [TAPOffloads] = TAPFrameDevice.defaultOffloadPreferences
  ) throws(NetError) {
    let (link, cleanup): (LinkFacts, LinkCleanup)
    do {
      let socket = try NetlinkSocket.open()
      cleanup = LinkCleanup(socket: socket)
      let created = cleanup.track(
        try socket.createMacvtap(
          named: name, on: .name(parent), mode: mode,
          hardwareAddress: macAddress.map(Self.bytes(of:))))
      try socket.setLink(.index(created.index), up: true)
      link = try socket.link(.index(created.index))
    } catch {
      throw NetError(error)
    }
    try self.init(
      link: link, cleanup: cleanup, virtioNetHeader: virtioNetHeader, offloads: offloads)
  }

  /// Opens the existing macvtap `name`, with the MAC, MTU and mode it has, and leaves it in
  /// place on ``close()`` and deinit. Its state is left alone: it must be up (with its
  /// parent) for frames to flow.
  ///
  /// - Parameters:
  ///   - virtioNetHeader: keep the virtio-net header; without it there are no offloads.
  ///   - offloads: the sets to ask for, best first; `[]` keeps offloads off. They apply to
  ///     every reader of the macvtap (`TUNSETOFFLOAD` sets them for the link).
  /// - Throws: ``NetError``: `invalidInput` for a bad name or a link that is not a macvtap,
  ///   what `RTM_GETLINK` reports (ENODEV for an unknown name) and what
  ///   ``TAPDevice/openMacvtap(_:virtioNetHeader:)`` reports.
  public convenience init(
    attachingTo name: String, virtioNetHeader: Bool = true,
    offloads: [TAPOffloads] = TAPFrameDevice.defaultOffloadPreferences
  ) throws(NetError) {
    let link: LinkFacts
    do {
      let socket = try NetlinkSocket.open()
      defer { try? socket.close() }
      link = try socket.link(.name(name))
    } catch {
      throw NetError(error)
    }
    try self.init(link: link, cleanup: nil, virtioNetHeader: virtioNetHeader, offloads: offloads)
  }

  /// Opens `link`'s character device and negotiates offloads; `cleanup` (which then owns the
  /// link) deletes it when this fails or the device is closed or deinitialized.
  private init(
    link: LinkFacts, cleanup: sending LinkCleanup?, virtioNetHeader: Bool,
    offloads: [TAPOffloads]
  ) throws(NetError) {
    guard let address = link.hardwareAddress, address.count == 6 else {
      throw NetError(
        .invalidInput, errno: 22,
        message: "link \(link.name) has no Ethernet address (kind \(link.kind ?? "none"))")
    }
    let device: TAPDevice
    do {
      device = try TAPDevice.openMacvtap(link, virtioNetHeader: virtioNetHeader)
    } catch {
      throw NetError(error)
    }
    frames = try TAPFrameDevice(device: device, offloads: offloads)
    self.link = link
    macAddress = MACAddress(reading: address, at: 0)
    ownsLink = cleanup != nil
    ownedLink = Mutex(cleanup)
  }

  /// The macvtap's name.
  public var name: String { link.name }
  /// The macvtap's MTU: the largest IP packet, without the Ethernet header.
  public var mtu: Int { link.mtu }
  /// The length of the virtio-net header on each frame; 0 without one.
  public var virtioNetHeaderLength: Int { frames.virtioNetHeaderLength }
  /// The offloads the kernel granted for frames it hands over.
  public var offloads: TAPOffloads { frames.offloads }
  /// What the stack may leave to the kernel on transmit (see
  /// ``TAPFrameDevice/transmitOffloads``).
  public var transmitOffloads: TransmitOffloads { frames.transmitOffloads }
  /// A snapshot of the frame counters. Blocks only for an internal lock.
  public var statistics: TAPFrameDeviceStatistics { frames.statistics }

  /// Deletes the macvtap now if this device created it (a no-op for an attached one, and the
  /// second time). Call it only after the runtime using the device has shut down: frames
  /// then fail to send and none arrive. The fd itself closes when the device is
  /// deinitialized. Blocks for two netlink requests.
  ///
  /// - Throws: ``NetError`` from `RTM_GETLINK` or `RTM_DELLINK` (the link is forgotten
  ///   anyway; one that is already gone is no error).
  public func close() throws(NetError) {
    try ownedLink.withLock { cleanup throws(NetError) in
      defer { cleanup = nil }
      do throws(DeviceError) {
        try cleanup?.deleteAll()
      } catch {
        throw NetError(error)
      }
    }
  }

  /// Deletes the macvtap if this device created it (``close()``, errors ignored: the link is
  /// forgotten either way).
  public func runtimeDidShutDown() {
    try? close()
  }

  /// Writes `frame` without offloads. Does not block; see ``TAPFrameDevice/send(_:)``.
  ///
  /// - Throws: ``NetError`` from `write` (EAGAIN when the kernel's queue is full).
  public func send(_ frame: [UInt8]) throws(NetError) {
    try frames.send(frame)
  }

  /// Writes `frame` with `metadata` as its virtio-net header. Does not block; see
  /// ``TAPFrameDevice/send(_:metadata:)``.
  ///
  /// - Throws: ``NetError`` from `writev`/`write`, or `invalidInput` for offload metadata
  ///   without a header.
  public func send(_ frame: [UInt8], metadata: VirtioNetHeader) throws(NetError) {
    try frames.send(frame, metadata: metadata)
  }

  /// Reads up to `limit` frames, with their metadata, into reused buffers of `batch`. Never
  /// blocks.
  ///
  /// - Throws: ``NetError`` from `read`.
  public func receive(into batch: inout FrameBatch, limit: Int) throws(NetError) -> Int {
    try frames.receive(into: &batch, limit: limit)
  }

  /// Appends up to `limit` frames as separate arrays (copies), without their metadata: a
  /// frame with a partial checksum then looks corrupt. Never blocks.
  ///
  /// - Throws: ``NetError`` from `read`.
  public func receive(into frames: inout [[UInt8]], limit: Int) throws(NetError) -> Int {
    try self.frames.receive(into: &frames, limit: limit)
  }

  /// Blocks in `ppoll` until a frame is waiting, ``wake()`` was called since the last wait,
  /// or `deadline` passes (nil: no deadline). May return early.
  ///
  /// - Throws: ``NetError`` from `ppoll` or the eventfd.
  public func wait(until deadline: ContinuousClock.Instant?) throws(NetError) {
    try frames.wait(until: deadline)
  }

  /// Makes the current or next ``wait(until:)`` return. Never blocks; any thread.
  public func wake() {
    frames.wake()
  }

  /// The six bytes of `address`, first byte first.
  private static func bytes(of address: MACAddress) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: 6)
    address.write(to: &bytes, at: 0)
    return bytes
  }
}
