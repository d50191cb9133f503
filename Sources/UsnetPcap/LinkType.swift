import CPcap

/// The link-layer header type of a capture file (a libpcap `DLT_*` value).
///
/// Only the types usnet produces have names; a file read from elsewhere may carry any other value,
/// which `rawValue` exposes unchanged.
public struct LinkType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
  /// The libpcap `DLT_*` value.
  public var rawValue: Int32

  /// Wraps a libpcap `DLT_*` value.
  public init(rawValue: Int32) {
    self.rawValue = rawValue
  }

  /// Ethernet II frames, starting with the destination MAC address (`DLT_EN10MB`).
  public static let ethernet = LinkType(rawValue: DLT_EN10MB)

  /// libpcap's name for the type (`"EN10MB"` for Ethernet), or `"DLT <n>"` if it has none.
  public var description: String {
    guard let name = pcap_datalink_val_to_name(rawValue) else { return "DLT \(rawValue)" }
    return String(cString: name)
  }
}
