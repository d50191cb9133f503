import Synchronization

/// The process-wide names of ``RealTimeSwitch`` ports, for runtimes configured with
/// `{"SimulatedConfig": {"port": name, ...}}`.
///
/// Threading: thread-safe (one lock around the table).
enum SimulatedPortRegistry {
  /// A registered port: its device and its link's MTU.
  struct Entry: Sendable {
    /// The port's device.
    var device: MemoryDevice
    /// The MTU of the port's link.
    var mtu: Int
  }

  private static let table = Mutex<[String: Entry]>([:])

  /// Registers `device`, on a link of MTU `mtu`, under `name`.
  ///
  /// - Throws: `invalidInput` for a name that is not 1 to 64 characters, `addrInUse` for a
  ///   name that is taken.
  static func register(_ device: MemoryDevice, mtu: Int, as name: String) throws(NetError) {
    guard (1...64).contains(name.count) else {
      throw NetError(
        .invalidInput,
        message: "simulated port name \"\(name)\": expected \(SimulatedConfig.acceptedPort)")
    }
    let taken = table.withLock { table in
      guard table[name] == nil else { return true }
      table[name] = Entry(device: device, mtu: mtu)
      return false
    }
    if taken {
      throw NetError(.addrInUse, message: "a simulated port is registered as \"\(name)\" already")
    }
  }

  /// Removes every name under which `device` is registered.
  static func unregister(_ device: MemoryDevice) {
    table.withLock { table in
      table = table.filter { $0.value.device !== device }
    }
  }

  /// The port registered as `name`, or nil.
  static func port(named name: String) -> Entry? {
    table.withLock { $0[name] }
  }

  /// The registered names, sorted, for messages.
  static var names: [String] {
    table.withLock { $0.keys.sorted() }
  }
}
