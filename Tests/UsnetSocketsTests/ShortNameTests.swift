import Testing
import UsnetSockets

@Suite("Short names and traits")
struct ShortNameTests {
  @Test("the short names resolve to the backend the traits select")
  func shortNamesFollowTraits() {
    #if Host
      #expect(activeBackend == .host)
      #expect(TCPStream.self == HostTCPStream.self)
      #expect(TCPListener.self == HostTCPListener.self)
      #expect(UDPSocket.self == HostUDPSocket.self)
    #else
      #expect(activeBackend == .userspaceMultiThread)
      #expect(TCPStream.self == UserspaceTCPStream.self)
      #expect(TCPListener.self == UserspaceTCPListener.self)
      #expect(UDPSocket.self == UserspaceUDPSocket.self)
    #endif
    print("usnet short names: \(activeBackend.rawValue) (TCPStream = \(TCPStream.self))")
  }
}
