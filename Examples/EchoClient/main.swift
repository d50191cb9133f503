// A blocking TCP echo client written once against usnet's short names (see echo-server).
//
//   swift run echo-client 127.0.0.1:7007 "hello"
//
// Connects, sends the message, shuts down writing and prints what comes back.
import Foundation
import UsnetSockets

let arguments = CommandLine.arguments
guard arguments.count == 3, let address = SocketAddress(arguments[1]) else {
  print("usage: echo-client <address:port> <message>")
  exit(2)
}

do {
  let stream = try TCPStream.connect(to: address, timeout: .seconds(5))
  try stream.writeAll(Array(arguments[2].utf8))
  try stream.shutdown(.write)
  var reply: [UInt8] = []
  var buffer = [UInt8](repeating: 0, count: 16384)
  while true {
    let count = try stream.read(into: &buffer)
    if count == 0 { break }
    reply += buffer[0..<count]
  }
  print(String(decoding: reply, as: UTF8.self))
  stream.close()
} catch {
  print("echo-client (\(activeBackend.rawValue)): \(error)")
  exit(1)
}
