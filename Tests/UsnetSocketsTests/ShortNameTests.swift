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
    #elseif Single
      #expect(activeBackend == .userspaceSingleThread)
      #expect(TCPStream.self == SingleThreadTCPStream.self)
      #expect(TCPListener.self == SingleThreadTCPListener.self)
      #expect(UDPSocket.self == SingleThreadUDPSocket.self)
      #expect(TCPStream.self != UserspaceTCPStream.self)
    #else
      #expect(activeBackend == .userspaceMultiThread)
      #expect(TCPStream.self == UserspaceTCPStream.self)
      #expect(TCPListener.self == UserspaceTCPListener.self)
      #expect(UDPSocket.self == UserspaceUDPSocket.self)
    #endif
    print("usnet short names: \(activeBackend.rawValue) (TCPStream = \(TCPStream.self))")
  }
}
