import CUsnetDevice

/// Pins threads to CPUs: the engine thread of a runtime (`BG_THREAD_PIN_CPU_ID`).
public enum ThreadAffinity {
  /// Pins the calling thread to `cpu` with sched_setaffinity(2). Does not block.
  ///
  /// - Throws: ``DeviceError`` for `sched_setaffinity` (EINVAL for a CPU that does not exist
  ///   or that this process may not use).
  public static func pinCurrentThread(toCPU cpu: Int) throws(DeviceError) {
    guard let id = Int32(exactly: cpu) else {
      throw DeviceError(
        call: "sched_setaffinity", errno: DeviceError.invalidArgument, detail: "CPU \(cpu)")
    }
    let result = usnet_pin_current_thread(id)
    guard result == 0 else {
      throw DeviceError(call: "sched_setaffinity", errno: -result, detail: "CPU \(cpu)")
    }
  }
}
