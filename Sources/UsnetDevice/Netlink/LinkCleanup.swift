/// Owns links a program created and deletes them when it is released: the "clean up on exit"
/// of the devices issue, without `ip` or `pkexec`.
///
/// ``track(_:)`` each link right after creating it (`let tap = try cleanup.track(socket.link(
/// .name(device.name)))`, or around ``NetlinkSocket/createMacvtap(named:on:mode:hardwareAddress:)``).
/// ``deleteAll()``, or failing that `deinit`, deletes them newest first through the socket
/// given at creation. A link already gone counts as deleted (deleting one end of a veth
/// deletes the other, deleting a parent deletes its macvtaps), and a link whose index now
/// carries another name is left alone, so the cleanup never deletes what it did not create.
///
/// **Signals are the program's job.** A process ended by SIGINT or SIGTERM runs no `deinit`;
/// the library installs no signal handlers. A program that must clean up on those signals
/// waits for them itself (for example a thread in `sigwait`, or a dispatch signal source with
/// the signals blocked) and then calls ``deleteAll()`` or releases the cleanup. Links created
/// in a private network namespace disappear with the namespace anyway.
///
/// **Blocking:** ``deleteAll()`` and `deinit` block for two netlink requests per link.
/// **Threading:** not thread-safe and not `Sendable`; it shares the socket's owner (and its
/// network namespace).
public final class LinkCleanup {
  /// The links to delete, oldest first.
  public private(set) var trackedLinks: [LinkFacts] = []

  private let socket: NetlinkSocket

  /// A cleanup that deletes through `socket` (and so in `socket`'s network namespace).
  public init(socket: NetlinkSocket) {
    self.socket = socket
  }

  deinit {
    try? deleteAll()
  }

  /// Adds `link` to the links to delete and returns it.
  @discardableResult
  public func track(_ link: LinkFacts) -> LinkFacts {
    trackedLinks.append(link)
    return link
  }

  /// Deletes every tracked link, newest first, and forgets them all. A link that is gone, or
  /// whose index now names another link, is skipped.
  ///
  /// - Throws: the first ``DeviceError`` after trying every link (those that failed are
  ///   forgotten too, so a second call does not repeat the failure).
  public func deleteAll() throws(DeviceError) {
    var firstError: DeviceError?
    while let link = trackedLinks.popLast() {
      do {
        try delete(link)
      } catch {
        firstError = firstError ?? error
      }
    }
    if let firstError { throw firstError }
  }

  /// Deletes `link` if its index still names it.
  private func delete(_ link: LinkFacts) throws(DeviceError) {
    do {
      guard try socket.link(.index(link.index)).name == link.name else { return }
      try socket.deleteLink(.index(link.index))
    } catch {
      guard error.errno == RouteNetlink.noDevice else { throw error }
    }
  }
}
