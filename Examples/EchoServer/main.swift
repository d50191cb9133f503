// A blocking TCP echo server written once against usnet's short names: `TCPListener` and
// `TCPStream` mean the userspace stack by default and kernel sockets with the `Host` trait.
//
//   swift run --traits Host echo-server 127.0.0.1:7007       (kernel sockets)
//   USNET_SOCKETS='{"TapConfig":{"Create":{"mac":"Random","host_ip":"198.18.7.1",
//     "ipv4":{"Static":{"ipv4":"198.18.7.2","sub":24,"gateway":"198.18.7.1"}}}}}' \
//     swift run echo-server 0.0.0.0:7007    (root: the userspace stack on a new TAP; local
//                                            programs reach it on 127.0.0.1 through the twin)
//
// Each connection gets its own thread, reads until end of stream and writes back what
// arrives.
import Foundation
import UsnetSockets

let arguments = CommandLine.arguments
guard arguments.count == 2, let address = SocketAddress(arguments[1]) else {
  print("usage: echo-server <address:port>, e.g. 127.0.0.1:7007")
  exit(2)
}

do {
  let listener = try TCPListener.bind(to: address)
  print("echo-server (\(activeBackend.rawValue)) listening on \(try listener.localAddress)")
  for connection in listener.incoming {
    switch connection {
    case .success(let stream):
      Thread.detachNewThread {
        var buffer = [UInt8](repeating: 0, count: 16384)
        do {
          while true {
            let count = try stream.read(into: &buffer)
            if count == 0 { break }
            try stream.writeAll(Array(buffer[0..<count]))
          }
        } catch {
          print("echo-server: connection: \(error)")
        }
        stream.close()
      }
    case .failure(let error):
      print("echo-server: accept: \(error)")
    }
  }
} catch {
  print("echo-server: \(error)")
  exit(1)
}
