// Unsafe sites in this file: 3 (9 `unsafe` marks: a site that hands a buffer pointer to C
// needs one on the `withUnsafe…BufferPointer` call, one on the C call and one on the pointer
// offset; site 1 has no offset and site 3 a second `withUnsafeBufferPointer`, for the header). Ring memory is reached only through `PacketRingMemory`, which lists its own.
//   1. `open`: usnet_packet_attach_filter reads the program's instructions (a local array,
//      passed with its exact count).
//   2. `readFrame(into:range:)` without rings: usnet_fd_read writes at most `range.count`
//      bytes at `range.lowerBound` of the caller's array (range checked against it first).
//   3. `sendFrame(header:_:range:)` without a transmit ring: usnet_fd_write_with_header reads
//      all of `header` and `range.count` bytes at `range.lowerBound` of the frame (checked).
// Everything else calls C functions that take and return integers only.

import CUsnetDevice

/// An `AF_PACKET` socket on one interface: every Ethernet frame for our MAC address,
/// broadcast or multicast (a ``DestinationFilter`` in the kernel), in and out, with the
/// virtio-net header when the kernel grants `PACKET_VNET_HDR`, through PACKET_MMAP rings.
///
/// ``open(interfaceIndex:acceptingDestination:virtioNetHeader:rings:receiveBufferSize:)``
/// creates the socket with no protocol (it receives nothing yet), asks for the header (lab
/// note G4: without it a veth peer's partial-checksum and GSO frames look corrupt), for
/// `PACKET_IGNORE_OUTGOING` (G5), attaches the filter, sets up and maps the rings, and only
/// then binds to the interface for every protocol, so no unfiltered frame is ever queued.
///
/// Receiving walks the TPACKET_V3 ring block by block: a block the kernel handed over
/// (`TP_STATUS_USER`) is parsed with every offset checked (``PacketRingError``), its frames
/// are copied out one per ``readFrame(into:range:)``, frames the host sent (`PACKET_OUTGOING`)
/// are skipped, and the block goes back to the kernel once read. Sending copies each frame
/// into the next free slot of the TPACKET_V3 transmit ring; ``flush()`` hands all queued
/// slots to the kernel with one `send`. Without rings (``rings`` nil) frames are read one per
/// `read` from a receive buffer of `receiveBufferSize` bytes and written with `writev`.
///
/// **Threading:** not thread-safe and not `Sendable`; one owner provides exclusion (a
/// ``close()`` must not race another call). **Blocking:** no call blocks except
/// ``waitReadable(timeout:)``; a device that wants to wait on several fds polls
/// ``fileDescriptor``. Needs root (CAP_NET_RAW; CAP_NET_ADMIN for a receive buffer above
/// `rmem_max`). The socket and its mapping are released by ``close()`` or on deinit.
public final class PacketSocket {
  /// The index of the interface the socket is bound to.
  public let interfaceIndex: UInt32
  /// The length of the virtio-net header in front of every frame read and sent: 10 with
  /// `PACKET_VNET_HDR`, 0 when it was not asked for or the kernel refused it.
  public let virtioNetHeaderLength: Int
  /// The rings in use, or nil for plain reads and writes.
  public let rings: PacketRingLayout?
  /// Counters of the socket; the kernel's part is refreshed by ``readStatistics()``.
  public private(set) var statistics = PacketSocketStatistics()

  /// Whether the socket is still open.
  public var isOpen: Bool { descriptor >= 0 }
  /// The file descriptor, for polling; -1 after ``close()``. Do not read, write or close it.
  public var fileDescriptor: Int32 { descriptor }
  /// Whether frames go out through a transmit ring (else with `writev`).
  public var hasTransmitRing: Bool { (rings?.transmitBlockCount ?? 0) > 0 }

  private var descriptor: Int32
  private var memory: PacketRingMemory?
  /// The receive block being read, whether the socket holds it, and its packets.
  private var block = 0
  private var holdsBlock = false
  private var packets: [ReceiveBlock.Packet] = []
  private var nextPacket = 0
  /// The next transmit slot to fill, and how many were filled since the last flush.
  private var slot = 0
  private var queued = 0

  private init(
    descriptor: Int32, interfaceIndex: UInt32, virtioNetHeaderLength: Int,
    rings: PacketRingLayout?
  ) {
    self.descriptor = descriptor
    self.interfaceIndex = interfaceIndex
    self.virtioNetHeaderLength = virtioNetHeaderLength
    self.rings = rings
  }

  deinit {
    memory = nil
    if descriptor >= 0 { _ = usnet_fd_close(descriptor) }
  }

  /// Opens an `AF_PACKET` socket on the interface `interfaceIndex` (of the calling thread's
  /// network namespace) that receives frames for `hardwareAddress`, broadcast and multicast.
  ///
  /// - Parameters:
  ///   - virtioNetHeader: ask for `PACKET_VNET_HDR`; when the kernel refuses it (ENOPROTOOPT,
  ///     EINVAL) the socket works without one (``virtioNetHeaderLength`` 0).
  ///   - rings: the PACKET_MMAP rings, or nil for plain reads and writes.
  ///   - receiveBufferSize: the receive buffer without rings (`SO_RCVBUFFORCE`, falling back
  ///     to `SO_RCVBUF` without CAP_NET_ADMIN); 8 MB by default (lab note G5).
  /// - Throws: ``DeviceError`` for `socket` (EPERM without CAP_NET_RAW), `setsockopt`
  ///   (`SO_ATTACH_FILTER`, `PACKET_VERSION`, `PACKET_RX_RING`, `PACKET_TX_RING`), `mmap` or
  ///   `bind` (ENODEV for an unknown index), and EINVAL for index 0, a hardware address that is
  ///   not 6 bytes of unicast or a bad ring layout (before any call).
  public static func open(
    interfaceIndex: UInt32, acceptingDestination hardwareAddress: [UInt8],
    virtioNetHeader: Bool = true, rings: PacketRingLayout? = .standard,
    receiveBufferSize: Int = 8 << 20
  ) throws(DeviceError) -> PacketSocket {
    guard interfaceIndex > 0, interfaceIndex <= Int32.max else {
      throw DeviceError(
        call: "bind(AF_PACKET)", errno: DeviceError.invalidArgument,
        detail: "interface index \(interfaceIndex)")
    }
    try rings?.validate()
    let program = try DestinationFilter.program(accepting: hardwareAddress).map {
      usnet_bpf_instruction(code: $0.code, jt: $0.jumpIfTrue, jf: $0.jumpIfFalse, k: $0.constant)
    }
    let opened = usnet_packet_open()
    guard opened >= 0 else { throw DeviceError(call: "socket(AF_PACKET)", errno: -opened) }
    var headerLength = 0
    if virtioNetHeader {
      let result = usnet_packet_set_option(opened, Int32(USNET_PACKET_OPT_VNET_HDR), 1)
      if result == 0 {
        headerLength = Int(USNET_PACKET_VNET_HDR_LEN)
      } else if -result != Self.noProtocolOption && -result != DeviceError.invalidArgument {
        _ = usnet_fd_close(opened)
        throw DeviceError(call: "setsockopt(PACKET_VNET_HDR)", errno: -result)
      }
    }
    // The socket owns the fd from here on, so every later failure closes it.
    let socket = PacketSocket(
      descriptor: opened, interfaceIndex: interfaceIndex, virtioNetHeaderLength: headerLength,
      rings: rings)
    // Kernels before 4.20 lack it; the ring walk skips outgoing frames anyway.
    _ = usnet_packet_set_option(opened, Int32(USNET_PACKET_OPT_IGNORE_OUTGOING), 1)
    let attached = unsafe program.withUnsafeBufferPointer { instructions in
      unsafe usnet_packet_attach_filter(
        opened, instructions.baseAddress, Int32(instructions.count))
    }
    try check(attached, "setsockopt(SO_ATTACH_FILTER)")
    if let rings {
      try socket.setUpRings(rings)
    } else {
      let size = Int32(clamping: receiveBufferSize)
      var result = usnet_packet_set_option(opened, Int32(USNET_PACKET_OPT_RCVBUFFORCE), size)
      if result != 0 {
        result = usnet_packet_set_option(opened, Int32(USNET_PACKET_OPT_RCVBUF), size)
      }
      try check(result, "setsockopt(SO_RCVBUF)")
    }
    try check(usnet_packet_bind(opened, Int32(interfaceIndex)), "bind(AF_PACKET)")
    return socket
  }

  /// TPACKET_V3, PACKET_LOSS (a rejected transmit slot is skipped, not a stalled ring), the
  /// rings, and their mapping.
  private func setUpRings(_ rings: PacketRingLayout) throws(DeviceError) {
    let version = Int32(USNET_TPACKET_V3)
    try Self.check(
      usnet_packet_set_option(descriptor, Int32(USNET_PACKET_OPT_VERSION), version),
      "setsockopt(PACKET_VERSION)")
    // The kernel takes PACKET_LOSS only before any ring exists.
    if rings.transmitBlockCount > 0 {
      try Self.check(
        usnet_packet_set_option(descriptor, Int32(USNET_PACKET_OPT_LOSS), 1),
        "setsockopt(PACKET_LOSS)")
    }
    try Self.check(
      usnet_packet_set_ring(
        descriptor, 0, UInt32(rings.receiveBlockSize), UInt32(rings.receiveBlockCount),
        UInt32(rings.receiveFrameSize), UInt32(rings.retireTimeoutMilliseconds)),
      "setsockopt(PACKET_RX_RING)")
    if rings.transmitBlockCount > 0 {
      try Self.check(
        usnet_packet_set_ring(
          descriptor, 1, UInt32(rings.transmitBlockSize), UInt32(rings.transmitBlockCount),
          UInt32(rings.transmitFrameSize), 0),
        "setsockopt(PACKET_TX_RING)")
    }
    memory = try PacketRingMemory(
      descriptor: descriptor, length: rings.receiveLength + rings.transmitLength)
  }

  /// Copies the next received frame, with its virtio-net header in front when the socket has
  /// one, into `buffer[range]` and returns its length (header included), or nil when no frame
  /// is waiting. A frame longer than the range is cut to it. Never blocks.
  ///
  /// - Throws: ``DeviceError``: EBADMSG for a corrupt receive block (the block goes back to
  ///   the kernel unread and ``PacketSocketStatistics/corruptBlocks`` counts it; the next
  ///   call reads the next block), `read` errors without rings, EINVAL for a range outside
  ///   `buffer`, EBADF after ``close()``.
  public func readFrame(
    into buffer: inout [UInt8], range: Range<Int>
  ) throws(DeviceError)
    -> Int?
  {
    guard range.lowerBound >= 0, range.upperBound <= buffer.count else {
      throw DeviceError(
        call: "read(AF_PACKET)", errno: DeviceError.invalidArgument,
        detail: "range \(range) outside a buffer of \(buffer.count) bytes")
    }
    try checkOpen("read(AF_PACKET)")
    guard let memory, let rings else {
      let descriptor = descriptor
      let count = unsafe buffer.withUnsafeMutableBufferPointer { bytes in
        unsafe usnet_fd_read(
          descriptor, bytes.baseAddress.map { unsafe $0 + range.lowerBound }, Int64(range.count))
      }
      return try Self.countOrNil(count, "read(AF_PACKET)")
    }
    while true {
      let start = block * rings.receiveBlockSize
      if nextPacket < packets.count {
        let packet = packets[nextPacket]
        nextPacket += 1
        if packet.isOutgoing {
          statistics.outgoingSkipped += 1
          continue
        }
        let length = min(packet.bytes.count, range.count)
        let source = (start + packet.bytes.lowerBound)..<(start + packet.bytes.lowerBound + length)
        return memory.copy(source, into: &buffer, at: range.lowerBound)
      }
      if holdsBlock { releaseBlock(rings) }
      guard
        memory.status(at: start + ReceiveBlock.statusOffset) & UInt32(USNET_TP_STATUS_USER)
          != 0
      else { return nil }
      holdsBlock = true
      do throws(PacketRingError) {
        try ReceiveBlock.parse(
          RingRegion(memory: memory, start: start, count: rings.receiveBlockSize),
          virtioNetHeaderLength: virtioNetHeaderLength, into: &packets)
      } catch {
        statistics.corruptBlocks += 1
        let index = block
        releaseBlock(rings)
        throw DeviceError(
          call: "PACKET_RX_RING", errno: Self.badMessage, detail: "block \(index): \(error)")
      }
    }
  }

  /// Gives the current receive block back to the kernel and moves to the next.
  private func releaseBlock(_ rings: PacketRingLayout) {
    let start = block * rings.receiveBlockSize
    memory?.setStatus(UInt32(USNET_TP_STATUS_KERNEL), at: start + ReceiveBlock.statusOffset)
    block = (block + 1) % rings.receiveBlockCount
    holdsBlock = false
    packets.removeAll(keepingCapacity: true)
    nextPacket = 0
  }

  /// Sends `header` (exactly ``virtioNetHeaderLength`` bytes: the frame's virtio-net header,
  /// or nothing) followed by `frame[range]` as one frame. With a transmit ring the frame is
  /// copied into the next free slot and leaves at the next ``flush()`` (or when the ring
  /// fills); without one it leaves at once through `writev`. Never blocks.
  ///
  /// - Throws: ``DeviceError``: EAGAIN when every transmit slot is still the kernel's (the
  ///   frame is dropped and counted), EMSGSIZE for a frame larger than a slot, `writev` or
  ///   `send` errors, EINVAL for a range outside `frame` or a header of the wrong length,
  ///   EBADF after ``close()``.
  public func sendFrame(header: [UInt8], _ frame: [UInt8], range: Range<Int>) throws(DeviceError) {
    guard range.lowerBound >= 0, range.upperBound <= frame.count,
      header.count == virtioNetHeaderLength
    else {
      throw DeviceError(
        call: "send(AF_PACKET)", errno: DeviceError.invalidArgument,
        detail: "range \(range) of a frame of \(frame.count) bytes, header of \(header.count)"
          + " bytes (expected \(virtioNetHeaderLength))")
    }
    try checkOpen("send(AF_PACKET)")
    guard let memory, let rings, rings.transmitBlockCount > 0 else {
      let descriptor = descriptor
      let count = unsafe header.withUnsafeBufferPointer { headerBytes in
        unsafe frame.withUnsafeBufferPointer { bytes in
          unsafe usnet_fd_write_with_header(
            descriptor, headerBytes.baseAddress, Int64(headerBytes.count),
            bytes.baseAddress.map { unsafe $0 + range.lowerBound }, Int64(range.count))
        }
      }
      guard count >= 0 else {
        throw DeviceError(call: "writev(AF_PACKET)", errno: Int32(truncatingIfNeeded: -count))
      }
      return
    }
    let length = header.count + range.count
    guard length <= rings.largestTransmittedFrame else {
      throw DeviceError(
        call: "PACKET_TX_RING", errno: Self.messageTooLong,
        detail: "frame of \(length) bytes, slots hold \(rings.largestTransmittedFrame)")
    }
    let offset = rings.transmitSlotOffset(slot)
    if !slotIsFree(at: offset, memory) {
      try flush()
      guard slotIsFree(at: offset, memory) else {
        statistics.transmitRingFull += 1
        throw DeviceError(
          call: "PACKET_TX_RING", errno: Self.wouldBlock, detail: "every transmit slot is in use")
      }
    }
    let data = offset + TransmitSlot.dataOffset
    _ = memory.write(header, range: 0..<header.count, at: data)
    _ = memory.write(frame, range: range, at: data + header.count)
    memory.setUInt32(0, at: offset + TransmitSlot.nextOffset)
    memory.setUInt32(UInt32(length), at: offset + TransmitSlot.lengthOffset)
    memory.setStatus(UInt32(USNET_TP_STATUS_USER), at: offset + TransmitSlot.statusOffset)
    slot = (slot + 1) % rings.transmitSlotCount
    queued += 1
  }

  /// Whether the transmit slot at `offset` is free: available, or rejected by the kernel.
  private func slotIsFree(at offset: Int, _ memory: PacketRingMemory) -> Bool {
    let status = memory.status(at: offset + TransmitSlot.statusOffset)
    return status == UInt32(USNET_TP_STATUS_KERNEL)
      || status == UInt32(USNET_TP_STATUS_WRONG_FORMAT)
  }

  /// Hands every frame queued in the transmit ring since the last flush to the kernel with one
  /// `send(fd, NULL, 0, MSG_DONTWAIT)`; does nothing without queued frames or a transmit
  /// ring. Never blocks.
  ///
  /// - Throws: ``DeviceError`` for `send` (ENOBUFS, ENETDOWN...), EBADF after ``close()``.
  public func flush() throws(DeviceError) {
    guard queued > 0 else { return }
    try checkOpen("send(PACKET_TX_RING)")
    queued = 0
    _ = try Self.countOrNil(usnet_packet_flush(descriptor), "send(PACKET_TX_RING)")
  }

  /// Reads the kernel's counters (`PACKET_STATISTICS`, which resets them), adds them to
  /// ``statistics`` and returns the totals. Does not block.
  ///
  /// - Throws: ``DeviceError`` for `getsockopt`, EBADF after ``close()``.
  public func readStatistics() throws(DeviceError) -> PacketSocketStatistics {
    try checkOpen("getsockopt(PACKET_STATISTICS)")
    let counters = usnet_packet_read_statistics(descriptor)
    guard counters.error == 0 else {
      throw DeviceError(call: "getsockopt(PACKET_STATISTICS)", errno: counters.error)
    }
    statistics.packets += Int(counters.packets)
    statistics.drops += Int(counters.drops)
    statistics.ringFreezes += Int(counters.freeze_count)
    return statistics
  }

  /// Waits until a frame (or a retired receive block) can be read or `timeout` passes (a
  /// negative timeout waits forever) and returns whether the socket is readable; may return
  /// `false` early (a signal).
  ///
  /// - Throws: ``DeviceError`` for `ppoll`, EBADF after ``close()``.
  public func waitReadable(timeout: Duration) throws(DeviceError) -> Bool {
    try checkOpen("ppoll")
    return try PollTimeout.waitReadable(descriptor, timeout: timeout)
  }

  /// Unmaps the rings and closes the socket; later calls throw EBADF. Closing twice does
  /// nothing. Frames still queued in the transmit ring are not sent.
  ///
  /// - Throws: ``DeviceError`` for `close` (the fd is released anyway).
  public func close() throws(DeviceError) {
    guard descriptor >= 0 else { return }
    memory = nil
    let result = usnet_fd_close(descriptor)
    descriptor = -1
    guard result == 0 else { throw DeviceError(call: "close", errno: -result) }
  }

  private func checkOpen(_ call: String) throws(DeviceError) {
    guard descriptor >= 0 else {
      throw DeviceError(call: call, errno: DeviceError.badDescriptor, detail: "socket closed")
    }
  }

  /// Throws for a negative `result` (-errno) of `call`.
  private static func check(_ result: Int32, _ call: String) throws(DeviceError) {
    guard result >= 0 else { throw DeviceError(call: call, errno: -result) }
  }

  /// The count of a read or write, nil for EAGAIN; throws for other errors.
  private static func countOrNil(_ result: Int64, _ call: String) throws(DeviceError) -> Int? {
    if result >= 0 { return Int(result) }
    let error = DeviceError(call: call, errno: Int32(truncatingIfNeeded: -result))
    if error.isWouldBlock { return nil }
    throw error
  }

  /// `ENOPROTOOPT`.
  private static let noProtocolOption: Int32 = 92
  /// `EBADMSG`.
  private static let badMessage: Int32 = 74
  /// `EMSGSIZE`.
  private static let messageTooLong: Int32 = 90
  /// `EAGAIN`.
  private static let wouldBlock: Int32 = 11
}
