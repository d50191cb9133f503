// Unsafe sites in this file: 4 (11 `unsafe` marks: a site that hands a buffer pointer to C needs
// one on the `withUnsafe…BufferPointer` call, one on the C call and one on the pointer offset;
// site 4 has a second `withUnsafeBufferPointer`, for the header).
// Each passes a Swift buffer to C together with its exact, bounds-checked length; C keeps no
// pointer after it returns.
//   1. `attach`: usnet_tun_set_iff gets the name (a NUL-terminated copy of a String checked to
//      be at most 15 bytes) and a 16-byte [CChar] for the kernel's name of the device.
//   2. `readFrame(into:range:)`: usnet_fd_read writes at most `range.count` bytes at
//      `range.lowerBound` of the caller's array (range checked against the array first).
//   3. `writeFrame(_:range:)`: usnet_fd_write reads `range.count` bytes at `range.lowerBound`
//      of the caller's array (range checked against the array first).
//   4. `writeFrame(header:_:range:)`: usnet_fd_write_with_header reads all of `header` and
//      `range.count` bytes at `range.lowerBound` of the frame (range checked first).
// Everything else calls C functions that take and return integers only.

import CUsnetDevice

/// A TAP device opened through `/dev/net/tun`: Ethernet frames in and out of the kernel, one
/// frame per read or write, on a nonblocking file descriptor.
///
/// ``open(name:)`` attaches to the TAP `name` in the caller's network namespace, creating it if
/// it does not exist (a device created this way disappears when the last fd closes, unless it
/// was made persistent). The device is opened with `IFF_TAP | IFF_NO_PI`: frames carry no
/// packet-information prefix. ``open(name:virtioNetHeader:)`` can add `IFF_VNET_HDR`: every
/// frame read then starts with a virtio-net header of ``virtioNetHeaderLength`` bytes, every
/// frame written goes through ``writeFrame(header:_:range:)``, and ``setOffloads(_:)`` lets the
/// kernel hand over partial checksums and 64 KB GSO frames. ``openMacvtap(_:virtioNetHeader:)``
/// opens a macvtap's character device instead, which the kernel's `tap` driver serves with
/// the same frames, header and offloads.
///
/// Lab notes that matter to callers: the TAP belongs to the namespace the fd was opened in, but
/// `ip link set <tap> netns <ns>` moves it with the fd still attached (G8); frames written in
/// the first milliseconds after attaching to a bridged TAP can be dropped (G3); opening needs
/// root (or `CAP_NET_ADMIN`).
///
/// **Threading:** not thread-safe and not `Sendable`. A device has one owner (a bridge endpoint,
/// an engine thread), which provides exclusion; in particular ``close()`` must not race with
/// another call. **Blocking:** only ``waitReadable(timeout:)`` blocks; reads and writes never do
/// (a read with nothing queued returns at once).
///
/// The fd is closed by ``close()`` or, failing that, when the device is deinitialized.
public final class TAPDevice {
  /// The kernel's name of the device (as asked for, or what the kernel picked for a name
  /// pattern like `"usnet%d"`).
  public private(set) var name: String

  /// Whether the device is still open.
  public var isOpen: Bool { descriptor >= 0 }

  /// The file descriptor, for diagnostics and for callers that multiplex several devices;
  /// -1 after ``close()``. Do not read, write or close it directly.
  public var fileDescriptor: Int32 { descriptor }

  /// The longest frame ``readFrame(into:)`` accepts: a 65,535-byte MTU plus an Ethernet header
  /// and a VLAN tag. Without offloads the kernel sends at most the TAP's MTU plus 14 bytes.
  public static let maximumFrameLength = 65_535 + 18

  /// The length of the virtio-net header in front of every frame read and written, 0
  /// without `IFF_VNET_HDR`.
  public internal(set) var virtioNetHeaderLength = 0

  /// The offloads last accepted by ``setOffloads(_:)``; none at first.
  public private(set) var offloads: TAPOffloads = []

  private var descriptor: Int32

  /// Takes over `descriptor`, an open TUN/TAP or macvtap fd attached to the link `name`.
  init(descriptor: Int32, name: String) {
    self.descriptor = descriptor
    self.name = name
  }

  deinit {
    if descriptor >= 0 {
      _ = usnet_fd_close(descriptor)
    }
  }

  /// Opens `/dev/net/tun` and attaches it to the TAP `name` (created if missing), as a
  /// nonblocking, close-on-exec fd with `IFF_TAP | IFF_NO_PI`.
  ///
  /// - Parameter name: 1 to 15 bytes, no NUL; a `%d` in it lets the kernel number the device.
  /// - Throws: ``DeviceError`` for `open(/dev/net/tun)` (ENOENT without the device node, EACCES
  ///   without root) or `ioctl(TUNSETIFF)` (EPERM without CAP_NET_ADMIN, EBUSY when another fd
  ///   holds a single-queue TAP, EINVAL for a name in use by a device of another kind), or
  ///   EINVAL for a bad name.
  public static func open(name: String) throws(DeviceError) -> TAPDevice {
    let device = try openUnattached(name: name)
    device.name = try device.attach(name: name, flags: USNET_IFF_TAP | USNET_IFF_NO_PI)
    return device
  }

  /// Opens `/dev/net/tun` for the TAP `name` (checked) without attaching yet.
  private static func openUnattached(name: String) throws(DeviceError) -> TAPDevice {
    let utf8 = Array(name.utf8)
    guard !utf8.isEmpty, utf8.count <= Int(USNET_IFNAME_MAX), !utf8.contains(0) else {
      throw DeviceError(
        call: "TAPDevice.open(name:)", errno: DeviceError.invalidArgument,
        detail: "interface name \"\(name)\" must have 1 to \(USNET_IFNAME_MAX) bytes, no NUL")
    }
    let opened = usnet_tun_open()
    guard opened >= 0 else {
      throw DeviceError(call: "open(/dev/net/tun)", errno: -opened)
    }
    // The device owns the fd from here on, so every later failure closes it.
    return TAPDevice(descriptor: opened, name: name)
  }

  /// Opens the TAP `name` like ``open(name:)``, asking for `IFF_VNET_HDR` when
  /// `virtioNetHeader` is true. A kernel or device that refuses the flag (EINVAL, for example
  /// a persistent TAP created without it) gets a plain attach instead: check
  /// ``virtioNetHeaderLength`` for what was granted.
  ///
  /// - Throws: what ``open(name:)`` throws, and ``DeviceError`` for `ioctl(TUNGETVNETHDRSZ)`.
  public static func open(name: String, virtioNetHeader: Bool) throws(DeviceError) -> TAPDevice {
    guard virtioNetHeader else { return try open(name: name) }
    let device = try open(name: name, flags: USNET_IFF_TAP | USNET_IFF_NO_PI | USNET_IFF_VNET_HDR)
    guard let device else { return try open(name: name) }
    let size = usnet_tun_get_vnet_hdr_size(device.descriptor)
    guard size >= 0 else { throw DeviceError(call: "ioctl(TUNGETVNETHDRSZ)", errno: -size) }
    device.virtioNetHeaderLength = Int(size)
    return device
  }

  /// Opens and attaches with `flags`; nil when TUNSETIFF refused the flags with EINVAL.
  private static func open(name: String, flags: Int32) throws(DeviceError) -> TAPDevice? {
    let device = try openUnattached(name: name)
    do {
      device.name = try device.attach(name: name, flags: flags)
    } catch {
      guard error.errno == DeviceError.invalidArgument else { throw error }
      return nil
    }
    return device
  }

  /// Tells the kernel which offloaded frames this reader accepts (`ioctl(TUNSETOFFLOAD)`);
  /// `[]` turns them all off. On success ``offloads`` is `offloads`; on failure it keeps its
  /// value.
  ///
  /// - Throws: ``DeviceError`` for `ioctl(TUNSETOFFLOAD)` (EINVAL for a set the kernel refuses,
  ///   for example any offload without ``TAPOffloads/checksum`` or without a virtio-net
  ///   header), EBADF after ``close()``.
  public func setOffloads(_ offloads: TAPOffloads) throws(DeviceError) {
    try checkOpen("ioctl(TUNSETOFFLOAD)")
    let result = usnet_tun_set_offload(descriptor, offloads.rawValue)
    guard result == 0 else {
      throw DeviceError(
        call: "ioctl(TUNSETOFFLOAD)", errno: -result,
        detail: "offloads 0x\(String(offloads.rawValue, radix: 16))")
    }
    self.offloads = offloads
  }

  /// Asks for each set in `preferences` in turn and keeps the first the kernel accepts; when
  /// it refuses them all (or the device has no virtio-net header), turns offloads off.
  /// Returns the accepted set (``offloads``).
  ///
  /// - Throws: ``DeviceError`` only when even turning offloads off fails (EBADF after
  ///   ``close()``).
  public func negotiateOffloads(_ preferences: [TAPOffloads]) throws(DeviceError) -> TAPOffloads {
    if virtioNetHeaderLength > 0 {
      for candidate in preferences {
        do {
          try setOffloads(candidate)
          return candidate
        } catch {
          if error.errno == DeviceError.badDescriptor { throw error }
        }
      }
    }
    try setOffloads([])
    return []
  }

  /// TUNSETIFF on the fd; returns the kernel's name of the device.
  func attach(name: String, flags: Int32) throws(DeviceError) -> String {
    var actual = [CChar](repeating: 0, count: Int(USNET_IFNAME_MAX) + 1)
    let result = unsafe usnet_tun_set_iff(descriptor, name, flags, &actual)
    guard result == 0 else {
      throw DeviceError(call: "ioctl(TUNSETIFF)", errno: -result, detail: "tap name \(name)")
    }
    let bytes = actual.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Reads one frame into `buffer[range]` and returns its length, or `nil` when no frame is
  /// queued (EAGAIN). A frame longer than the range is cut to it (the kernel drops the rest).
  ///
  /// The fast path: the buffer keeps its size, so nothing is allocated or cleared per frame.
  /// - Throws: ``DeviceError`` for `read`, EINVAL for a range outside `buffer`, EBADF after
  ///   ``close()``.
  public func readFrame(into buffer: inout [UInt8], range: Range<Int>) throws(DeviceError) -> Int? {
    guard range.lowerBound >= 0, range.upperBound <= buffer.count else {
      throw DeviceError(
        call: "read", errno: DeviceError.invalidArgument,
        detail: "range \(range) outside a buffer of \(buffer.count) bytes")
    }
    try checkOpen("read")
    let descriptor = descriptor
    let count = unsafe buffer.withUnsafeMutableBufferPointer { bytes in
      unsafe usnet_fd_read(
        descriptor, bytes.baseAddress.map { unsafe $0 + range.lowerBound }, Int64(range.count))
    }
    if count >= 0 { return Int(count) }
    let error = DeviceError(call: "read", errno: Int32(truncatingIfNeeded: -count))
    if error.isWouldBlock { return nil }
    throw error
  }

  /// Reads one frame into `buffer`, replacing its contents (its capacity is kept), and returns
  /// `true`; returns `false` when no frame is queued (EAGAIN), leaving `buffer` empty.
  ///
  /// Convenient but it clears up to ``maximumFrameLength`` bytes per call; a driver that reads
  /// many frames uses ``readFrame(into:range:)`` on a buffer it keeps.
  /// - Throws: ``DeviceError`` for `read`, EBADF after ``close()``.
  public func readFrame(into buffer: inout [UInt8]) throws(DeviceError) -> Bool {
    let capacity = Self.maximumFrameLength
    if buffer.count < capacity {
      buffer.append(contentsOf: repeatElement(0, count: capacity - buffer.count))
    }
    var length = 0
    defer { buffer.removeLast(buffer.count - length) }
    guard let count = try readFrame(into: &buffer, range: 0..<capacity) else { return false }
    length = count
    return true
  }

  /// Writes `frame[range]` as one frame.
  ///
  /// - Throws: ``DeviceError`` for `write` (EAGAIN when the kernel's queue is full: the frame
  ///   is not sent; EIO while the interface is down on some kernels; EINVAL for a frame the
  ///   kernel rejects), EINVAL for a range outside `frame`, EBADF after ``close()``.
  public func writeFrame(_ frame: [UInt8], range: Range<Int>) throws(DeviceError) {
    guard range.lowerBound >= 0, range.upperBound <= frame.count else {
      throw DeviceError(
        call: "write", errno: DeviceError.invalidArgument,
        detail: "range \(range) outside a frame of \(frame.count) bytes")
    }
    try checkOpen("write")
    let descriptor = descriptor
    let count = unsafe frame.withUnsafeBufferPointer { bytes in
      unsafe usnet_fd_write(
        descriptor, bytes.baseAddress.map { unsafe $0 + range.lowerBound }, Int64(range.count))
    }
    guard count >= 0 else {
      throw DeviceError(call: "write", errno: Int32(truncatingIfNeeded: -count))
    }
  }

  /// Writes `header` (the virtio-net header, exactly ``virtioNetHeaderLength`` bytes) and
  /// `frame[range]` as one frame with one `writev`.
  ///
  /// - Throws: what ``writeFrame(_:range:)`` throws (EINVAL also for metadata the kernel
  ///   rejects, like a GSO frame whose `headerLength` does not fit), and EINVAL for a header
  ///   of the wrong length.
  public func writeFrame(header: [UInt8], _ frame: [UInt8], range: Range<Int>) throws(DeviceError) {
    guard range.lowerBound >= 0, range.upperBound <= frame.count,
      header.count == virtioNetHeaderLength
    else {
      throw DeviceError(
        call: "writev", errno: DeviceError.invalidArgument,
        detail: "range \(range) of a frame of \(frame.count) bytes, header of \(header.count)"
          + " bytes (expected \(virtioNetHeaderLength))")
    }
    try checkOpen("writev")
    let descriptor = descriptor
    let count = unsafe header.withUnsafeBufferPointer { headerBytes in
      unsafe frame.withUnsafeBufferPointer { bytes in
        unsafe usnet_fd_write_with_header(
          descriptor, headerBytes.baseAddress, Int64(headerBytes.count),
          bytes.baseAddress.map { unsafe $0 + range.lowerBound }, Int64(range.count))
      }
    }
    guard count >= 0 else {
      throw DeviceError(call: "writev", errno: Int32(truncatingIfNeeded: -count))
    }
  }

  /// Waits until a frame can be read or `timeout` passes (a negative timeout waits forever)
  /// and returns whether the device is readable. It may return `false` early (a signal), so
  /// callers loop on their own deadline. Error conditions count as readable, so the next
  /// read reports them.
  ///
  /// - Throws: ``DeviceError`` for `ppoll`, EBADF after ``close()``.
  public func waitReadable(timeout: Duration) throws(DeviceError) -> Bool {
    try checkOpen("ppoll")
    return try PollTimeout.waitReadable(descriptor, timeout: timeout)
  }

  /// Closes the fd; later calls throw EBADF. Closing twice does nothing. A TAP that was
  /// created by ``open(name:)`` and not made persistent disappears with its last fd.
  ///
  /// - Throws: ``DeviceError`` for `close` (the fd is released anyway).
  public func close() throws(DeviceError) {
    guard descriptor >= 0 else { return }
    let result = usnet_fd_close(descriptor)
    descriptor = -1
    guard result == 0 else { throw DeviceError(call: "close", errno: -result) }
  }

  private func checkOpen(_ call: String) throws(DeviceError) {
    guard descriptor >= 0 else {
      throw DeviceError(call: call, errno: DeviceError.badDescriptor, detail: "device closed")
    }
  }
}
