// Unsafe sites in this file: 1 (1 `unsafe` mark).
//   1. `attachedLink()`: usnet_tun_get_iff copies the link name, NUL-terminated, into a local
//      [CChar] of USNET_IFNAME_MAX + 1 bytes, the length it writes.
// Everything else calls C functions that take and return integers only.

import CUsnetDevice

extension TAPDevice {
  /// Opens the character device of the macvtap `link` (the kernel's `tap` driver, the same
  /// read, write, virtio-net header and `TUNSETOFFLOAD` interface as a TAP), nonblocking and
  /// close-on-exec, in the calling thread's network namespace.
  ///
  /// `/dev/tap<index>` is not used: the index is per namespace while `/dev` is global, so two
  /// namespaces can clash on one name (lab note G2). Instead the device number is read from
  /// `class/net/<name>/macvtap/tap<index>/dev` of a private sysfs of this thread's namespace
  /// (the system's `/sys` shows another namespace once a thread has entered one), the device
  /// is opened through a node in a private, unmounted tmpfs, and `TUNGETIFF` confirms the fd
  /// is attached to `link` (not to a link that reused the number meanwhile).
  ///
  /// A macvtap fd starts with `IFF_VNET_HDR` (G1). With `virtioNetHeader` the header stays,
  /// ``virtioNetHeaderLength`` is what `TUNGETVNETHDRSZ` says and offloads are turned off
  /// (the kernel starts with them on) until ``setOffloads(_:)`` or
  /// ``negotiateOffloads(_:)``; without it `TUNSETIFF(IFF_TAP | IFF_NO_PI)` clears the
  /// header and the kernel finishes checksums and segments for the reader. The macvtap must
  /// be up for frames to flow; deleting it makes reads and writes fail. Needs root
  /// (CAP_SYS_ADMIN for the private mounts, CAP_MKNOD for the node).
  ///
  /// Blocks only for the mounts, reads and ioctls. `link` comes from a ``NetlinkSocket`` of
  /// the same namespace (``NetlinkSocket/link(_:)`` or
  /// ``NetlinkSocket/createMacvtap(named:on:mode:hardwareAddress:)``).
  /// - Throws: ``DeviceError``: EINVAL when `link` is not a macvtap (before any call); for
  ///   `fsmount(sysfs)` (EPERM without CAP_SYS_ADMIN), the sysfs read (ENOENT when the
  ///   macvtap is gone or lives in another namespace), `open` of the device (EPERM, ENXIO),
  ///   `ioctl(TUNGETIFF)` (ENODEV when the fd is attached to another link),
  ///   `ioctl(TUNSETIFF)` or `ioctl(TUNGETVNETHDRSZ)`, `ioctl(TUNSETOFFLOAD)`; EBADMSG for a
  ///   `dev` file that is not `major:minor`.
  public static func openMacvtap(
    _ link: LinkFacts, virtioNetHeader: Bool
  ) throws(DeviceError) -> TAPDevice {
    guard link.kind == "macvtap" else {
      throw DeviceError(
        call: "TAPDevice.openMacvtap(_:virtioNetHeader:)", errno: DeviceError.invalidArgument,
        detail: "\(link.name) is of kind \(link.kind ?? "none"), not a macvtap")
    }
    let path = "class/net/\(link.name)/macvtap/tap\(link.index)/dev"
    let text = try NamespaceSysfs().readFile(path)
    guard let number = CharacterDeviceNumber(sysfsText: text) else {
      throw DeviceError(
        call: "read(sysfs/\(path))", errno: RouteNetlink.badMessage,
        detail: "\"\(text)\" is not major:minor")
    }
    let opened = usnet_chardev_open(number.major, number.minor)
    guard opened >= 0 else {
      throw DeviceError(call: "open(char \(number))", errno: -opened, detail: link.name)
    }
    // The device owns the fd from here on, so every later failure closes it.
    let device = TAPDevice(descriptor: opened, name: link.name)
    let (attachedName, flags) = try device.attachedLink()
    guard attachedName == link.name else {
      throw DeviceError(
        call: "ioctl(TUNGETIFF)", errno: RouteNetlink.noDevice,
        detail: "char \(number) of \(link.name) is attached to \(attachedName)")
    }
    let wanted = USNET_IFF_TAP | USNET_IFF_NO_PI | (virtioNetHeader ? USNET_IFF_VNET_HDR : 0)
    if flags & (USNET_IFF_TAP | USNET_IFF_NO_PI | USNET_IFF_VNET_HDR) != wanted {
      _ = try device.attach(name: link.name, flags: wanted)
    }
    guard virtioNetHeader else { return device }
    let size = usnet_tun_get_vnet_hdr_size(opened)
    guard size >= 0 else { throw DeviceError(call: "ioctl(TUNGETVNETHDRSZ)", errno: -size) }
    device.virtioNetHeaderLength = Int(size)
    try device.setOffloads([])
    return device
  }

  /// `TUNGETIFF`: the name of the link the fd is attached to and its `IFF_*` flags.
  private func attachedLink() throws(DeviceError) -> (name: String, flags: Int32) {
    var name = [CChar](repeating: 0, count: Int(USNET_IFNAME_MAX) + 1)
    let result = unsafe usnet_tun_get_iff(fileDescriptor, &name)
    guard result >= 0 else {
      throw DeviceError(call: "ioctl(TUNGETIFF)", errno: -result, detail: self.name)
    }
    let bytes = name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return (String(decoding: bytes, as: UTF8.self), result)
  }
}
