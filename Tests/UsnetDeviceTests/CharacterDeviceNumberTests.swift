import Testing
import UsnetDevice

/// sysfs `dev` text, as literal strings.
@Suite struct CharacterDeviceNumberTests {
  @Test func readsMajorAndMinorWithOrWithoutTheNewline() {
    #expect(
      CharacterDeviceNumber(sysfsText: "246:1\n") == CharacterDeviceNumber(major: 246, minor: 1))
    #expect(CharacterDeviceNumber(sysfsText: "10:200")?.description == "10:200")
    #expect(
      CharacterDeviceNumber(sysfsText: "4294967295:0")
        == CharacterDeviceNumber(major: .max, minor: 0))
  }

  @Test(arguments: [
    "", "\n", "246", "246:", ":1", "246:1:2", " 246:1", "246:1 ", "246:1\n\n", "-1:2", "+1:2",
    "a:b", "4294967296:1", "246:1\r\n", "２４６:1",
  ])
  func rejectsAnythingElse(text: String) {
    #expect(CharacterDeviceNumber(sysfsText: text) == nil)
  }
}
