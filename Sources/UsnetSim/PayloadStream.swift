import UsnetStack

/// Deterministic payload bytes produced in chunks as a sender takes them, so a long transfer
/// needs no buffer of its full size.
///
/// A plain value; not thread-safe.
struct PayloadStream {
  let total: Int
  private var random: SeededRandom
  private var chunk = [UInt8](repeating: 0, count: 65536)
  private var chunkLength = 0
  private var chunkOffset = 0
  private(set) var generated = 0

  init(total: Int, seed: UInt64) {
    self.total = Swift.max(total, 0)
    random = SeededRandom(seed: seed)
  }

  /// Hands as much as the connection takes; returns whether it took anything.
  mutating func feed(
    _ stack: NetworkStack, _ id: TCPSocketID, at now: Instant, hash: inout SHA256
  ) throws(StackError) -> Bool {
    if chunkOffset == chunkLength {
      guard generated < total else { return false }
      refill(hash: &hash)
    }
    let taken = try stack.send(id, chunk, range: chunkOffset..<chunkLength, at: now)
    chunkOffset += taken
    return taken > 0
  }

  private mutating func refill(hash: inout SHA256) {
    chunkLength = Swift.min(chunk.count, total - generated)
    var index = 0
    while index < chunkLength {
      var word = random.next()
      let end = Swift.min(index + 8, chunkLength)
      while index < end {
        chunk[index] = UInt8(truncatingIfNeeded: word)
        word >>= 8
        index += 1
      }
    }
    chunkOffset = 0
    generated += chunkLength
    hash.update(chunk, range: 0..<chunkLength)
  }
}
