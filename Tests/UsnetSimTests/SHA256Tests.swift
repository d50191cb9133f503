import Testing
import UsnetSim

@Suite("SHA-256")
struct SHA256Tests {
  static func digest(_ text: String) -> String {
    var hash = SHA256()
    hash.update(Array(text.utf8))
    return hash.hexDigest()
  }

  @Test("FIPS 180-4 example vectors")
  func vectors() {
    #expect(
      Self.digest("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(
      Self.digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(
      Self.digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    var million = SHA256()
    let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
    for _ in 0..<1000 { million.update(chunk) }
    #expect(
      million.hexDigest() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  }

  @Test("feeding in uneven pieces gives the same digest as all at once")
  func incremental() {
    let bytes = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
    var whole = SHA256()
    whole.update(bytes)
    var pieces = SHA256()
    var index = 0
    var size = 1
    while index < bytes.count {
      let end = min(index + size, bytes.count)
      pieces.update(bytes, range: index..<end)
      index = end
      size = size * 3 % 257 + 1
    }
    #expect(pieces.hexDigest() == whole.hexDigest())
  }
}
