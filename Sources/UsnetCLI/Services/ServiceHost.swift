import UsnetSockets

/// Runs services on listeners and sockets, each on its own threads: an accept loop per
/// listener, a thread per connection, a receive loop per UDP socket.
///
/// Threading: every function starts threads and returns at once; `log` is called from those
/// threads (one line per connection or failure) and must be thread-safe.
public enum ServiceHost {
  /// Accepts connections on `listener` until accepting fails for good, serving each with
  /// `service` on a new thread. The returned thread ends with the error that stopped the
  /// accept loop (transient `interrupted`, `wouldBlock` and `connectionAborted` are retried).
  public static func run<Listener: TCPListenerProtocol>(
    _ service: some TCPService, on listener: Listener,
    log: @escaping @Sendable (String) -> Void
  ) -> ServiceThread<NetError> {
    ServiceThread(name: "usnet-\(service.name)") { () -> NetError in
      while true {
        let stream: Listener.Stream
        let peer: SocketAddress
        do throws(NetError) {
          (stream, peer) = try listener.accept()
        } catch {
          if [.interrupted, .wouldBlock, .connectionAborted].contains(error.kind) { continue }
          log("\(service.name): accepting stopped: \(error)")
          return error
        }
        _ = ServiceThread(name: "usnet-\(service.name)-connection") {
          do throws(NetError) {
            let tally = try service.serve(stream)
            log(
              "\(service.name) \(peer): \(tally.bytesReceived) bytes in,"
                + " \(tally.bytesSent) bytes out")
          } catch {
            log("\(service.name) \(peer): \(error)")
          }
        }
      }
    }
  }

  /// Runs the UDP echo service on `socket` on a new thread; the thread ends with the error
  /// that stopped receiving.
  public static func runEcho<Socket: UDPSocketProtocol>(
    on socket: Socket, log: @escaping @Sendable (String) -> Void
  ) -> ServiceThread<NetError> {
    ServiceThread(name: "usnet-echo-udp") { () -> NetError in
      do throws(NetError) {
        try EchoService().serve(datagramsOn: socket)
      } catch {
        log("echo/udp: receiving stopped: \(error)")
        return error
      }
    }
  }
}
