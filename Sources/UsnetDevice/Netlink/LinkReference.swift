/// Which link a ``NetlinkSocket`` call is about: by name or by index, in the socket's network
/// namespace. A plain value; `Sendable`.
public enum LinkReference: Hashable, Sendable, CustomStringConvertible {
  /// The link's name, like `"eth0"`: 1 to 15 bytes, no NUL.
  case name(String)
  /// The link's index (`ifindex`), greater than 0.
  case index(UInt32)

  /// `"link name eth0"` or `"link index 2"`, as error details say it.
  public var description: String {
    switch self {
    case .name(let name): "link name \(name)"
    case .index(let index): "link index \(index)"
    }
  }

  /// The index for an `ifinfomsg` (0 when the name selects) and the attributes that select
  /// the link (IFLA_IFNAME for a name, none for an index), after checking the reference.
  /// - Throws: ``DeviceError`` with EINVAL and `call` for an empty, too long or NUL-holding
  ///   name, or index 0.
  func selector(
    call: String
  ) throws(DeviceError) -> (index: UInt32, attributes: [NetlinkAttribute]) {
    switch self {
    case .name(let name):
      try Self.checkName(name, call: call)
      return (0, [NetlinkAttribute(type: RouteNetlink.linkName, string: name)])
    case .index(let index):
      guard index > 0 else {
        throw DeviceError(
          call: call, errno: DeviceError.invalidArgument, detail: "link index must be above 0")
      }
      return (index, [])
    }
  }

  /// Checks a link name as the kernel will: 1 to 15 bytes (IFNAMSIZ - 1), no NUL.
  /// - Throws: ``DeviceError`` with EINVAL and `call`.
  static func checkName(_ name: String, call: String) throws(DeviceError) {
    let utf8 = Array(name.utf8)
    guard !utf8.isEmpty, utf8.count <= 15, !utf8.contains(0) else {
      throw DeviceError(
        call: call, errno: DeviceError.invalidArgument,
        detail: "interface name \"\(name)\" must have 1 to 15 bytes, no NUL")
    }
  }
}
