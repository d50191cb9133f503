import CUsnetDevice

extension TAPDevice {
  /// The most devices ``waitReadable(_:timeout:)`` waits on at once.
  public static let maximumWaitCount = 30

  /// Waits until at least one of `devices` can be read or `timeout` passes (a negative
  /// timeout waits forever) and returns, per device in order, whether it is readable. It may
  /// return all `false` early (a signal), so callers loop on their own deadline. Error
  /// conditions count as readable, so the next read reports them.
  ///
  /// - Throws: ``DeviceError`` for `ppoll`: EBADF when a device is closed, EINVAL for no
  ///   devices or more than ``maximumWaitCount``.
  public static func waitReadable(
    _ devices: [TAPDevice], timeout: Duration
  ) throws(DeviceError) -> [Bool] {
    guard (1...maximumWaitCount).contains(devices.count) else {
      throw DeviceError(call: "ppoll", errno: DeviceError.invalidArgument)
    }
    let descriptors = devices.map(\.fileDescriptor)
    if descriptors.contains(where: { $0 < 0 }) {
      throw DeviceError(call: "ppoll", errno: DeviceError.badDescriptor, detail: "device closed")
    }
    let nanoseconds = PollTimeout.nanoseconds(timeout)
    let result = unsafe descriptors.withUnsafeBufferPointer { fds in
      unsafe usnet_fd_wait_readable_any(fds.baseAddress, Int32(fds.count), nanoseconds)
    }
    guard result >= 0 else { throw DeviceError(call: "ppoll", errno: -result) }
    return devices.indices.map { result & (1 << $0) != 0 }
  }
}
