import ArgumentParser
import Foundation
import UsnetSockets

/// `usnet serve`: test services on one stack in one process, each on its own threads, using
/// the short-name sockets (`TCPListener`, `UDPSocket`) configured like any program's.
///
/// Runs until every service has stopped; exits with status 1 when no stack can be had, a port
/// cannot be bound, or the services stop.
public struct ServeCommand: ParsableCommand {
  /// The subcommand's name, abstract and examples.
  public static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract: "Run test services (echo, discard, sink, source, daytime, http) on one stack.",
    discussion: """
      Each service is enabled by its port flag and runs on its own threads through the \
      public TCPListener / TCPStream / UDPSocket API. The stack is the default runtime, or \
      one built from USNET_SOCKETS (and REDUCE_MTU_BY, SOCKET_BACKLOG, SOCKET_BUFFER, \
      BG_THREAD_PIN_CPU_ID) like any program's; the command says what is missing when none \
      can be had. One line is logged per connection.

      Example:
        usnet serve --echo 7 --discard 9 --sink 5001 --source 5002 --daytime 13 --http 80
      """)

  /// The options.
  @OptionGroup public var arguments: ServeArguments

  /// The command with no service.
  public init() {}

  /// Starts the stack and the services, then blocks while they run.
  public func run() throws {
    let settings = try arguments.settings()
    let stack: String
    do throws(NetError) {
      stack = try ServeStack.prepare(environment: ProcessInfo.processInfo.environment)
    } catch {
      standardError("usnet serve: no network stack to serve on: \(error)")
      throw ExitCode(1)
    }
    Self.log("usnet serve: on \(stack)")
    // Interrupted: shut the stack down, which completes a USNET_PCAP file and deletes a
    // macvtap the configuration created.
    let signals = SignalCleanup.install(message: "usnet serve: shutting the stack down") {
      UserspaceRuntime.current?.shutdown()
      SingleThreadRuntime.current?.shutdown()
    }
    defer { for source in signals { source.cancel() } }
    let threads: [ServiceThread<NetError>]
    do throws(NetError) {
      threads = try Self.start(settings, log: Self.log)
    } catch {
      standardError("usnet serve: \(error)")
      throw ExitCode(1)
    }
    for thread in threads { _ = thread.join() }
    if let number = SignalCleanup.received { throw ExitCode(128 + number) }
    standardError("usnet serve: every service stopped")
    throw ExitCode(1)
  }

  /// Binds every enabled service on the short-name sockets and starts it; returns the
  /// service threads. Logs one line per service with its port. Blocks only for the binds.
  ///
  /// - Throws: the first bind error, naming the service and the port.
  public static func start(
    _ settings: ServeSettings, log: @escaping @Sendable (String) -> Void
  ) throws(NetError) -> [ServiceThread<NetError>] {
    var threads: [ServiceThread<NetError>] = []
    for (service, port) in settings.tcpServices {
      let listener: TCPListener
      do throws(NetError) {
        listener = try TCPListener.bind(to: .v4(.any, port: port))
      } catch {
        throw NetError(
          error.kind, errno: error.errno, message: "\(service.name) on TCP port \(port): \(error)")
      }
      log("\(service.name) listening on TCP \(port)")
      threads.append(ServiceHost.run(service, on: listener, log: log))
    }
    if let port = settings.echo {
      let socket: UDPSocket
      do throws(NetError) {
        socket = try UDPSocket.bind(to: .v4(.any, port: port))
      } catch {
        throw NetError(
          error.kind, errno: error.errno, message: "echo on UDP port \(port): \(error)")
      }
      log("echo listening on UDP \(port)")
      threads.append(ServiceHost.runEcho(on: socket, log: log))
    }
    return threads
  }

  /// Writes `line` to standard output at once (unbuffered). Thread-safe.
  static func log(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
  }
}
