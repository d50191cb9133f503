import UsnetSockets
import UsnetStack

/// What one `usnet demo` run did: the fetch as the client saw it, the server's side, both
/// stacks' TCP counters, both switch ports' frame counts and the pcap written. A plain value.
public struct DemoResult: Sendable {
  /// The settings it ran with.
  public var settings: DemoSettings
  /// The first failure, or nil when every step worked (the checks are separate: see
  /// ``succeeded``).
  public var failure: String?
  /// `USNET_SOCKETS` of the server's and the client's runtime.
  public var serverDevice = ""
  /// See ``serverDevice``.
  public var clientDevice = ""
  /// The SHA-256 of the page the server sent, in hex.
  public var expectedDigest = ""
  /// The fetch as the client saw it, when it completed.
  public var fetch: HTTPFetch?
  /// The bytes the server's HTTP service read and wrote, when it finished.
  public var server: ConnectionTally?
  /// From the client's connect to the end of the response.
  public var elapsed: Duration = .zero
  /// From the client's connect to the established connection.
  public var handshake: Duration = .zero
  /// The server stack's counters at the end, or nil when the stack had stopped (the time
  /// limit passed) or never started.
  public var serverCounters: StackCounters?
  /// The client stack's counters at the end, or nil as for ``serverCounters``.
  public var clientCounters: StackCounters?
  /// The server's switch port (port 0).
  public var serverPort = SimulatedPortCounters()
  /// The client's switch port (port 1), where the loss is.
  public var clientPort = SimulatedPortCounters()
  /// Frames written into the pcap file.
  public var pcapFrames = 0

  /// A result for `settings` with nothing done yet.
  public init(settings: DemoSettings) {
    self.settings = settings
  }

  /// The failed checks: status, lengths and digest, in words; empty when all passed.
  public var problems: [String] {
    var problems: [String] = []
    if let failure { problems.append(failure) }
    guard let fetch else {
      if failure == nil { problems.append("no response") }
      return problems
    }
    if fetch.head?.status != 200 {
      problems.append("status \(fetch.head.map { String($0.status) } ?? "unreadable"), not 200")
    }
    if fetch.head?.contentLength != settings.bytes {
      problems.append("Content-Length is not \(settings.bytes)")
    }
    if fetch.bodyBytes != settings.bytes {
      problems.append("\(fetch.bodyBytes) body bytes received, not \(settings.bytes)")
    }
    if fetch.bodyDigest != expectedDigest { problems.append("body SHA-256 mismatch") }
    if let server, server.bytesSent != fetch.responseBytes {
      problems.append("server wrote \(server.bytesSent) bytes, client read \(fetch.responseBytes)")
    }
    return problems
  }

  /// Whether the page arrived complete and intact and the pcap was written.
  public var succeeded: Bool { problems.isEmpty }

  /// Body bits per second of elapsed time (0 before a fetch).
  public var goodputBitsPerSecond: Double {
    let seconds =
      Double(elapsed.components.seconds)
      + Double(elapsed.components.attoseconds) / 1e18
    guard let fetch, seconds > 0 else { return 0 }
    return Double(fetch.bodyBytes) * 8 / seconds
  }
}
