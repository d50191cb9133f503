// The short names users import. Package traits choose what they mean; every backend stays
// reachable under its explicit name whatever the traits (traits are unified across a
// dependency graph, so they must only add). Precedence: Host over Single over the default.

#if Host
  /// A TCP connection: the kernel's (trait `Host`).
  public typealias TCPStream = HostTCPStream
  /// A TCP listener: the kernel's (trait `Host`).
  public typealias TCPListener = HostTCPListener
  /// A UDP socket: the kernel's (trait `Host`).
  public typealias UDPSocket = HostUDPSocket
  /// The backend the short names resolve to.
  public let activeBackend = SocketBackend.host
#elseif Single
  /// A TCP connection on the userspace stack without an engine thread (trait `Single`).
  public typealias TCPStream = SingleThreadTCPStream
  /// A TCP listener on the userspace stack without an engine thread (trait `Single`).
  public typealias TCPListener = SingleThreadTCPListener
  /// A UDP socket on the userspace stack without an engine thread (trait `Single`).
  public typealias UDPSocket = SingleThreadUDPSocket
  /// The backend the short names resolve to.
  public let activeBackend = SocketBackend.userspaceSingleThread
#else
  /// A TCP connection on the userspace stack (the default traits).
  public typealias TCPStream = UserspaceTCPStream
  /// A TCP listener on the userspace stack (the default traits).
  public typealias TCPListener = UserspaceTCPListener
  /// A UDP socket on the userspace stack (the default traits).
  public typealias UDPSocket = UserspaceUDPSocket
  /// The backend the short names resolve to.
  public let activeBackend = SocketBackend.userspaceMultiThread
#endif

/// The socket backends usnet offers.
public enum SocketBackend: String, Sendable, CaseIterable {
  /// The userspace stack with an engine thread per interface (`Userspace*` types).
  case userspaceMultiThread
  /// The userspace stack advanced inside socket calls, no engine thread (trait `Single`;
  /// `SingleThread*` types).
  case userspaceSingleThread
  /// Kernel sockets (`Host*` types).
  case host
}
