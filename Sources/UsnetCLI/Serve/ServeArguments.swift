import ArgumentParser

/// The options of `usnet serve`: one port flag per service; ``settings()`` parses and checks
/// them (ports 1 to 65535, at least one service, no port used twice).
public struct ServeArguments: ParsableArguments {
  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "Echo (RFC 862) on this TCP and UDP port: writes back what arrives.", valueName: "port"))
  var echo: String?

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp("Discard (RFC 863) on this TCP port: reads until EOF.", valueName: "port"))
  var discard: String?

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "Sink on this TCP port: counts until EOF, then writes the count and a newline.",
      valueName: "port"))
  var sink: String?

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "Source on this TCP port: writes a pattern until the peer closes or resets.",
      valueName: "port"))
  var source: String?

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "Daytime (RFC 867) on this TCP port: one line with the date and time, then close.",
      valueName: "port"))
  var daytime: String?

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "HTTP/1.0 on this TCP port: 200 with a short body to any request, then close.",
      valueName: "port"))
  var http: String?

  /// No service enabled.
  public init() {}

  /// Rejects a bad port, a port given twice, or no service at all.
  public func validate() throws {
    try OptionValidation.check { _ = try settings() }
  }

  /// The typed settings, or the first bad value or conflict.
  public func settings() throws -> ServeSettings {
    var settings = ServeSettings()
    var used: [UInt16: String] = [:]
    func port(_ text: String?, _ option: String) throws -> UInt16? {
      guard let text else { return nil }
      let port = UInt16(try ValueParsers.integer(text, option: option, range: 1...65535))
      if let other = used[port] {
        throw OptionConflictError("\(other) and \(option) both name port \(port)")
      }
      used[port] = option
      return port
    }
    settings.echo = try port(echo, "--echo")
    settings.discard = try port(discard, "--discard")
    settings.sink = try port(sink, "--sink")
    settings.source = try port(source, "--source")
    settings.daytime = try port(daytime, "--daytime")
    settings.http = try port(http, "--http")
    guard !used.isEmpty else {
      throw OptionConflictError(
        "no service enabled: give at least one of --echo, --discard, --sink, --source,"
          + " --daytime or --http with a port")
    }
    return settings
  }
}
