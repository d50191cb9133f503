import Testing
import UsnetWire

@testable import UsnetStack

/// The pieces of path MTU discovery on their own: the RFC 1191 plateau table, the cache's
/// expiry and eviction, and the RFC 4821 search's bisection and rest.
@Suite("Path MTU cache and search")
struct PathMTUSearchTests {
  @Test("the plateau below a length follows RFC 1191's table; nothing below 68")
  func plateaus() {
    #expect(PathMTUCache.plateau(below: 1500) == 1492)
    #expect(PathMTUCache.plateau(below: 1492) == 1006)
    #expect(PathMTUCache.plateau(below: 1280) == 1006)
    #expect(PathMTUCache.plateau(below: 576) == 508)
    #expect(PathMTUCache.plateau(below: 69) == 68)
    #expect(PathMTUCache.plateau(below: 68) == nil)
    #expect(NetworkStack.nextHopMTU(0, quotedLength: 1500) == 1492)
    #expect(NetworkStack.nextHopMTU(1280, quotedLength: 1500) == 1280)
    #expect(NetworkStack.nextHopMTU(67, quotedLength: 1500) == nil)
  }

  @Test("entries expire at their lifetime; a full cache evicts the one expiring first")
  func cache() {
    var configuration = PathMTUConfiguration()
    configuration.capacity = 2
    configuration.entryLifetime = .seconds(10)
    var cache = PathMTUCache(configuration: configuration)
    let b = IPv4Address(10, 0, 0, 2)
    let c = IPv4Address(10, 0, 0, 3)
    let d = IPv4Address(10, 0, 0, 4)
    #expect(cache.update(b, mtu: 1400, at: .zero) == nil)
    #expect(cache.update(c, mtu: 1300, at: .zero + .seconds(1)) == nil)
    #expect(cache.mtu(for: b, at: .zero + .seconds(9)) == 1400)
    #expect(cache.mtu(for: b, at: .zero + .seconds(10)) == nil)
    #expect(cache.update(d, mtu: 1200, at: .zero + .seconds(2)) == b)
    #expect(cache.entries.count == 2)
    #expect(cache.mtu(for: d, at: .zero + .seconds(2)) == 1200)
  }

  @Test("the search bisects between what passed and the ceiling, then rests for the interval")
  func search() {
    var search = PathMTUSearch()
    #expect(search.probeSize(ceiling: 1460, now: .zero, interval: .seconds(600)) == nil)
    search.blackHoleDetected(low: 1024, ceiling: 1460)
    #expect(search.probeSize(ceiling: 1460, now: .zero, interval: .seconds(600)) == 1242)
    search.probeSent(start: SequenceNumber(0), end: SequenceNumber(1242), size: 1242)
    #expect(search.probeSize(ceiling: 1460, now: .zero, interval: .seconds(600)) == nil)
    search.probeFailed()
    #expect(search.searchHigh == 1241)
    var now = Instant.zero
    var rounds = 0
    while let size = search.probeSize(ceiling: 1460, now: now, interval: .seconds(600)) {
      search.probeSent(start: SequenceNumber(0), end: SequenceNumber(UInt32(size)), size: size)
      if size <= 1240 { search.probeSucceeded() } else { search.probeFailed() }
      rounds += 1
    }
    #expect(rounds < 10)
    #expect((1233...1240).contains(search.searchLow ?? 0))
    now = now + .seconds(599)
    #expect(search.probeSize(ceiling: 1460, now: now, interval: .seconds(600)) == nil)
    now = now + .seconds(1)
    let restart = search.probeSize(ceiling: 1460, now: now, interval: .seconds(600))
    #expect(restart == ((search.searchLow ?? 0) + 1460) / 2)
  }
}
