import Foundation
import Testing
import UsnetStack
import UsnetWire

@testable import UsnetSockets

@Suite("Runtime: per-socket wake-ups")
struct RuntimeWakeUpTests {
  @Test("traffic on one connection never wakes another connection's waiter")
  func onlyChangedSocketsWake() throws {
    let pair = try UserspacePair()
    let (busyClient, busyServer) = try pair.connectedStreams(port: 200)
    // Small writes back to back would wait for delayed ACKs under Nagle.
    try busyClient.setNoDelay(true)
    let listener = try UserspaceTCPListener.bind(
      to: UserspacePair.address(.any, 201), backlog: nil, on: pair.b)
    let idleClient = try UserspaceTCPStream.connect(
      to: UserspacePair.address(UserspacePair.ipB, 201), timeout: nil, on: pair.a)
    let (idleServer, _) = try listener.accept()
    // Let the handshake's last events settle.
    Thread.sleep(forTimeInterval: 0.1)
    let before = (idleClient.wakeUps, idleServer.wakeUps)
    let busyBefore = busyServer.wakeUps ?? 0
    var buffer = [UInt8](repeating: 0, count: 1000)
    for _ in 0..<50 {
      try busyClient.writeAll(buffer)
      try busyServer.readExact(into: &buffer)
    }
    #expect(idleClient.wakeUps == before.0)
    #expect(idleServer.wakeUps == before.1)
    #expect((busyServer.wakeUps ?? 0) > busyBefore)
  }
}
