/// The static host table of `/etc/hosts` (hosts(5)): lines of an address followed by its
/// names, `#` starting a comment.
///
/// Parsing is as lenient as glibc's: a line whose address is not a valid IPv4 or IPv6 literal
/// (zone ids like `fe80::1%eth0` included) is skipped, never an error. IPv6 lines are kept;
/// the ``Resolver`` returns them only when asked to (see ``Resolver/includesIPv6``). Names
/// match case-insensitively, and a trailing dot is ignored.
///
/// A plain value; `Sendable`.
public struct HostsFile: Hashable, Sendable {
  /// One line: an address and its names (canonical name first, then aliases).
  public struct Entry: Hashable, Sendable {
    /// The address.
    public var address: IPAddress
    /// The names, as written.
    public var names: [String]

    /// Creates an entry.
    public init(address: IPAddress, names: [String]) {
      self.address = address
      self.names = names
    }
  }

  /// The entries in file order.
  public var entries: [Entry]

  /// The standard location.
  public static let path = "/etc/hosts"

  /// Creates a table from entries.
  public init(entries: [Entry] = []) {
    self.entries = entries
  }

  /// Parses the text of a hosts file.
  public init(parsing text: String) {
    entries = []
    for fields in ConfigurationText.fieldLines(text, comments: ["#"]) {
      guard fields.count >= 2, let address = IPAddress(String(fields[0])) else { continue }
      entries.append(Entry(address: address, names: fields.dropFirst().map(String.init)))
    }
  }

  /// Reads and parses ``path``; an empty table when the file is missing or unreadable.
  public static func system() -> HostsFile {
    HostsFile(parsing: ConfigurationText.read(path: path) ?? "")
  }

  /// The addresses of every line that lists `name`, in file order, without repeats.
  public func addresses(for name: String) -> [IPAddress] {
    let wanted = ConfigurationText.canonicalName(name)
    var result: [IPAddress] = []
    for entry in entries
    where entry.names.contains(where: { ConfigurationText.canonicalName($0) == wanted })
      && !result.contains(entry.address)
    {
      result.append(entry.address)
    }
    return result
  }
}
