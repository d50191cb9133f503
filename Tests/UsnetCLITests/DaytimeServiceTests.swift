import Foundation
import Testing
import UsnetCLI
import UsnetSockets

@Suite("daytime service (RFC 867)", .serialized)
struct DaytimeServiceTests {
  @Test("one line with the date and time in UTC")
  func line() {
    #expect(
      DaytimeService.line(for: Date(timeIntervalSince1970: 1_795_973_031))
        == "Sunday, November 29, 2026 17:23:51-UTC\r\n")
  }

  @Test("writes the line and closes first, without waiting for the client")
  func closesFirst() throws {
    let pair = try ServicePair()
    let fixed = Date(timeIntervalSince1970: 0)
    let (client, server) = try pair.connect(to: DaytimeService { fixed }, port: 13)
    let tally = try server.join(timeout: .seconds(5))?.get()
    #expect(tally == ConnectionTally(bytesSent: 40))
    let text = String(decoding: try readToEnd(client), as: UTF8.self)
    #expect(text == "Thursday, January 1, 1970 00:00:00-UTC\r\n")
  }
}
