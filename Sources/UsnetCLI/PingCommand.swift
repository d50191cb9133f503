import ArgumentParser
import Foundation
import UsnetSockets
import UsnetWire

/// `usnet ping`: ICMP echo through a usnet stack on the device `USNET_SOCKETS` configures
/// (not through the kernel), with ping(8)'s output.
///
/// Exits with status 1 when no reply came back, 2 for bad arguments or configuration.
public struct PingCommand: ParsableCommand {
  /// The subcommand's name, abstract and examples.
  public static let configuration = CommandConfiguration(
    commandName: "ping",
    abstract: "Send ICMP echo requests through a usnet stack configured by USNET_SOCKETS.",
    discussion: """
      The stack runs on the device USNET_SOCKETS names (a TAP, macvtap or AF_PACKET \
      interface; root or CAP_NET_ADMIN is usually needed to open it).

      Example:
        USNET_SOCKETS='{"TapConfig":{"Create":{"mac":"Random","host_ip":"198.18.7.1",\
      "ipv4":{"Static":{"ipv4":"198.18.7.2","sub":24,"gateway":"198.18.7.1"}}}}}' \
      usnet ping -c 3 198.18.7.1
      """)

  /// The IPv4 address to ping.
  @Argument(help: "The IPv4 address to ping.")
  public var destination: String

  /// Requests to send.
  @Option(name: .shortAndLong, help: "Requests to send (1 or more).")
  public var count = 4

  /// Seconds between requests.
  @Option(name: .shortAndLong, help: "Seconds between requests.")
  public var interval = 1.0

  /// Data bytes per request.
  @Option(name: .shortAndLong, help: "Data bytes per request (0 to 1472).")
  public var size = 56

  /// Seconds to wait for each reply.
  @Option(name: [.customShort("W"), .long], help: "Seconds to wait for each reply.")
  public var timeout = 1.0

  /// The command with default options.
  public init() {}

  /// Checks the options before anything is opened.
  public func validate() throws {
    guard IPv4Address(destination) != nil else {
      throw ValidationError("\(destination) is not an IPv4 address like 198.18.7.1")
    }
    guard count >= 1 else { throw ValidationError("--count must be 1 or more") }
    guard (0...1472).contains(size) else { throw ValidationError("--size must be 0 to 1472") }
    guard interval >= 0, timeout > 0 else {
      throw ValidationError("--interval must be 0 or more and --timeout more than 0 seconds")
    }
  }

  /// Starts the runtime, pings and prints.
  public func run() throws {
    let runtime: UserspaceRuntime
    do {
      runtime = try UserspaceRuntime.fromEnvironment()
    } catch {
      standardError("usnet ping: \(error)")
      throw ExitCode(2)
    }
    defer { runtime.shutdown() }
    let signals = SignalCleanup.install(message: "usnet ping: shutting the stack down") {
      runtime.shutdown()
    }
    defer { for source in signals { source.cancel() } }
    let statistics = PingRun(
      destination: IPv4Address(destination) ?? .any, count: count,
      interval: .milliseconds(Int(interval * 1000)), payloadSize: size,
      timeout: .milliseconds(Int(timeout * 1000))
    ).perform(on: runtime) { print($0) }
    print(statistics.summary)
    if statistics.received == 0 { throw ExitCode(1) }
  }
}

/// One series of pings on a runtime, printing a line per reply or failure.
public struct PingRun: Sendable {
  /// Where to.
  public var destination: IPv4Address
  /// How many requests.
  public var count: Int
  /// The pause between requests.
  public var interval: Duration
  /// Data bytes per request.
  public var payloadSize: Int
  /// How long to wait for each reply.
  public var timeout: Duration

  /// Creates a run.
  public init(
    destination: IPv4Address, count: Int, interval: Duration, payloadSize: Int,
    timeout: Duration
  ) {
    self.destination = destination
    self.count = count
    self.interval = interval
    self.payloadSize = payloadSize
    self.timeout = timeout
  }

  /// Pings `count` times on `runtime`, calling `line` with each output line, and returns the
  /// tally. Blocks for the whole run.
  public func perform(on runtime: UserspaceRuntime, line: (String) -> Void) -> PingStatistics {
    var statistics = PingStatistics(destination: destination.description)
    line("PING \(destination) \(payloadSize) data bytes (through the usnet stack)")
    let payload = (0..<payloadSize).map { UInt8(truncatingIfNeeded: $0) }
    for index in 0..<count {
      if index > 0 {
        Thread.sleep(
          forTimeInterval: Double(interval.components.seconds)
            + Double(interval.components.attoseconds) / 1e18)
      }
      let sequence = UInt16(truncatingIfNeeded: index + 1)
      do throws(NetError) {
        let answer = try runtime.ping(
          destination, sequence: sequence, payload: payload, timeout: timeout)
        statistics.record(answer.roundTrip)
        line(
          "\(answer.reply.payload.count + 8) bytes from \(answer.reply.source): "
            + "icmp_seq=\(sequence) ttl=\(answer.reply.timeToLive) "
            + "time=\(PingStatistics.milliseconds(answer.roundTrip)) ms")
      } catch {
        statistics.record(nil)
        line("icmp_seq=\(sequence): \(error.message)")
      }
    }
    return statistics
  }
}
