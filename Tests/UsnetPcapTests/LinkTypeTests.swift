import Testing
import UsnetPcap

@Suite struct LinkTypeTests {
  @Test func ethernetIsDLTEN10MB() {
    #expect(LinkType.ethernet.rawValue == 1)
    #expect(LinkType.ethernet.description == "EN10MB")
    #expect(LinkType(rawValue: 1) == .ethernet)
  }

  @Test func unknownTypesAreDescribedByNumber() {
    #expect(LinkType(rawValue: 65_000).description == "DLT 65000")
  }
}
