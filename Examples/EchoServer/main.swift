// A blocking TCP echo server written once against usnet's short names: `TCPListener` and
// `TCPStream` mean the userspace stack by default and kernel sockets with the `Host` trait.
//
//   swift run echo-server 127.0.0.1:7007            (with --traits Host: the kernel)
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
