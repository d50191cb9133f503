import UsnetDevice

/// The wait of a device behind a file descriptor: `ppoll` on the descriptor and an eventfd that
/// ``wake()`` signals. Shared by ``TAPFrameDevice`` and ``PacketFrameDevice``.
///
/// Threading: `Sendable`; ``wait(until:)`` from the thread that drives the device, ``wake()``
/// from any thread.
struct DescriptorReadiness: Sendable {
  /// The device's descriptor, kept open by the device while it exists.
  let descriptor: Int32
  private let wakeUp: WakeUpEvent

  /// A readiness wait on `descriptor` with a fresh eventfd.
  ///
  /// - Throws: `eventfd`'s error.
  init(descriptor: Int32) throws(DeviceError) {
    self.descriptor = descriptor
    wakeUp = try WakeUpEvent()
  }

  /// Blocks until the descriptor is readable, ``wake()`` was called since the last wait, or
  /// `deadline` passes (nil: no deadline). May return early (a signal handler).
  ///
  /// - Throws: ``NetError`` from `ppoll` or the eventfd.
  func wait(until deadline: ContinuousClock.Instant?) throws(NetError) {
    do {
      _ = try wakeUp.wait(forReadable: descriptor, until: deadline)
    } catch {
      throw NetError(error)
    }
  }

  /// Makes the current or next ``wait(until:)`` return. Never blocks.
  func wake() {
    // Writing to an open eventfd cannot fail short of its counter limit, which still wakes.
    try? wakeUp.signal()
  }
}

extension FrameBatch {
  /// Appends a copy of each frame, without its metadata, to `frames`: the array form of a
  /// device's receive.
  func appendCopies(to frames: inout [[UInt8]]) {
    for index in 0..<count {
      let (buffer, range, _) = frame(at: index)
      frames.append(Array(buffer[range]))
    }
  }
}
